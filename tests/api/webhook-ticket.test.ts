import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { eq, sql } from "drizzle-orm";
import { rows, sqlExecutor, type Db, type SqlExecutor } from "@/db/client";
import { apiKeys, externalTargets } from "@/db/schema";
import * as webhookRoute from "@/app/api/webhook/ticket/route";
import { clearApiKeyCache } from "@/lib/auth/api-keys";
import { canonicalJson, withIdempotency } from "@/lib/http/idempotency";
import { openApiDocument } from "@/lib/http/openapi";
import { mapWebhookPriority, mapWebhookSource } from "@/lib/integrations/webhook-ticket-schema";
import { createRateLimiter } from "@/lib/rate-limit";
import { createTicket } from "@/lib/tickets/create-ticket";
import { useTestDb } from "../helpers/db";
import { makeActor, tableCounts, type Actor } from "../helpers/fixtures";
import { call, type CallResult } from "../helpers/http";
import { clearEnv, setEnv } from "../triage/set-env";

/*
 * POST /api/webhook/ticket (issue #8 §2, seed 001): the answer's shape, priority words,
 * departments, the low-confidence fallback to the service-desk queue, Idempotency-Key replay /
 * conflict / concurrency / expiry, the per-key rate limit shared across instances, bad input
 * and auth. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let agent2: Actor;
let admin: Actor;
let requester: Actor;
/** On PostgreSQL, a second "instance" talks to the database over its own connection. */
let other: postgres.Sql | undefined;

const vpn = {
  title: "VPN not working after update",
  description: "Since the latest update I can't connect to VPN. Keeps timing out.",
  email: "user@company.com",
  priority: "medium",
  source: "email",
};

const SEED_FIELDS = [
  "ticket_id",
  "title",
  "status",
  "department",
  "assigned_to",
  "routed_to_system",
  "external_ticket_id",
  "confidence_score",
  "error_message",
  "created_at",
  "updated_at",
];

function post(body: unknown, opts: { key?: string; idem?: string; headers?: Record<string, string>; raw?: string } = {}): Promise<CallResult<any>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.idem !== undefined) headers["Idempotency-Key"] = opts.idem;
  return call(webhookRoute.POST, {
    path: "/api/webhook/ticket",
    method: "POST",
    key: opts.key === undefined ? agent.key : opts.key || undefined,
    body: opts.raw === undefined ? body : undefined,
    raw: opts.raw,
    headers,
  });
}

async function ticketRow(key: string) {
  const [t] = await rows<{ team_slug: string | null; priority: string; source: string; metadata: Record<string, unknown>; needs_review: boolean }>(
    db,
    sql`select team_slug, priority, source, metadata, needs_review from tickets where key = ${key}`,
  );
  return t;
}

async function keyIdOf(actor: Actor): Promise<string> {
  const [k] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.userId, actor.id));
  return k.id;
}

/** A second instance's SQL executor: its own connection on PostgreSQL, the same embedded database on PGlite. */
function otherExecutor(): SqlExecutor {
  if (!other) return sqlExecutor(db);
  const client = other;
  return {
    async executeSql(text, values) {
      return { rows: (await client.unsafe(text, (values ?? []) as never[], { prepare: false })) as Record<string, unknown>[] };
    },
  };
}

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "n8n-bot@corp.test", "agent");
  agent2 = await makeActor(db, "monitoring-bot@corp.test", "agent");
  admin = await makeActor(db, "admin@corp.test", "admin");
  requester = await makeActor(db, "alice@corp.test", "requester");
  if (testDb.kind === "postgres") other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await other?.end({ timeout: 5 });
});
afterEach(() => {
  clearEnv(["TRIAGE_REVIEW_THRESHOLD", "WEBHOOK_RATE_LIMIT_PER_MIN"]);
});

describe("the answer", () => {
  it("201 with seed 001's fields; the ticket is stored with the mapped priority and channel", async () => {
    setEnv({ TRIAGE_REVIEW_THRESHOLD: "0" });
    const before = await tableCounts(db);
    const res = await post(vpn);
    expect(res.status).toBe(201);
    const b = res.body;
    expect(Object.keys(b)).toEqual(expect.arrayContaining([...SEED_FIELDS, "category", "priority", "needs_review", "fallback"]));
    expect(b.ticket_id).toMatch(/^T-\d+$/);
    expect(res.headers.get("location")).toBe(`/api/tickets/${b.ticket_id}`);
    expect(b.title).toBe(vpn.title);
    expect(b.status).toBe("new");
    expect(b.priority).toBe("P3");
    expect(b.external_ticket_id).toBeNull();
    expect(b.routed_to_system).toBeNull();
    expect(b.error_message).toBeNull();
    expect(b.fallback).toBe(false);
    expect(b.needs_review).toBe(false);
    expect(b.confidence_score).toBeGreaterThan(0);
    expect(b.confidence_score).toBeLessThanOrEqual(1);
    expect(new Date(b.created_at).toISOString()).toBe(b.created_at);
    expect(b.updated_at).toBe(b.created_at);

    const t = await ticketRow(b.ticket_id);
    expect(t.priority).toBe("P3");
    expect(t.source).toBe("email");
    expect(t.metadata).toEqual({ webhook_source: "email" });
    expect(b.assigned_to).toBe(t.team_slug);
    const [team] = await rows<{ name: string }>(db, sql`select name from teams where slug = ${t.team_slug}`);
    expect(b.department).toBe(team.name);
    const after = await tableCounts(db);
    expect(after.tickets - before.tickets).toBe(1);
    expect(after.audit_events - before.audit_events).toBe(1);
  });

  it("maps seed 001's priority words and P1–P4 in any case", async () => {
    const cases: [string, string][] = [
      ["low", "P4"],
      ["medium", "P3"],
      ["HIGH", "P2"],
      [" Critical ", "P1"],
      ["p1", "P1"],
      ["P4", "P4"],
    ];
    for (const [word, expected] of cases) {
      const res = await post({ ...vpn, priority: word });
      expect(res.status, word).toBe(201);
      expect(res.body.priority, word).toBe(expected);
      expect((await ticketRow(res.body.ticket_id)).priority).toBe(expected);
    }
    expect(mapWebhookPriority("urgent")).toBeNull();
    expect(mapWebhookPriority("P5")).toBeNull();
  });

  it("maps free-text sources to the channel and keeps the original in metadata", async () => {
    expect(mapWebhookSource("E-Mail")).toBe("email");
    expect(mapWebhookSource("n8n")).toBe("api");
    const res = await post({ ...vpn, source: "monitoring", metadata: { host: "vpn-gw-2", alert: { id: 7 } } });
    expect(res.status).toBe(201);
    const t = await ticketRow(res.body.ticket_id);
    expect(t.source).toBe("api");
    expect(t.metadata).toEqual({ host: "vpn-gw-2", alert: { id: 7 }, webhook_source: "monitoring" });
    const bare = await post({ title: vpn.title, description: vpn.description, email: vpn.email });
    expect(bare.status).toBe(201);
    expect((await ticketRow(bare.body.ticket_id)).source).toBe("api");
  });

  it("a department by slug, name or short name wins over the triage; an unknown one is a 422 and creates no team", async () => {
    const bySlug = await post({ ...vpn, department: "procurement" });
    expect(bySlug.status).toBe(201);
    expect(bySlug.body.department).toBe("Procurement");
    expect(bySlug.body.assigned_to).toBe("procurement");
    const byName = await post({ ...vpn, department: "identity & access" });
    expect(byName.status).toBe(201);
    expect(byName.body.department).toBe("Identity & Access");
    expect((await ticketRow(byName.body.ticket_id)).team_slug).toBe("identity-access");
    // seed 001's departments by their short names, as employee sheets write them
    const it = await post({ ...vpn, department: "IT" });
    expect(it.status).toBe(201);
    expect((await ticketRow(it.body.ticket_id)).team_slug).toBe("service-desk");
    const hr = await post({ ...vpn, department: "Human Resources" });
    expect((await ticketRow(hr.body.ticket_id)).team_slug).toBe("hr-operations");
    const spaced = await post({ ...vpn, department: "identity and access" });
    expect((await ticketRow(spaced.body.ticket_id)).team_slug).toBe("identity-access");
    const before = await tableCounts(db);
    const unknown = await post({ ...vpn, department: "Facilities" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.field).toBe("department");
    expect(unknown.body.error.details.allowed).toContain("service-desk");
    expect(await tableCounts(db)).toEqual(before);
    const [teams] = await rows<{ n: number }>(db, sql`select count(*)::int as n from teams where lower(name) = 'facilities'`);
    expect(teams.n).toBe(0);
  });

  it("routed_to_system is the kind of the team's first active target whose threshold the priority meets", async () => {
    const team = "pmo";
    await db.insert(externalTargets).values([
      { name: "old webhook (off)", teamSlug: team, kind: "webhook", url: "https://hooks.example.test/a", active: false, createdAt: new Date("2026-01-01T00:00:00Z") },
      { name: "Jira PMO", teamSlug: team, kind: "jira", url: "https://jira.example.test", priorityThreshold: "P2", createdAt: new Date("2026-01-02T00:00:00Z") },
      { name: "Slack #pmo", teamSlug: team, kind: "slack", url: "https://hooks.slack.example.test/x", priorityThreshold: "P4", createdAt: new Date("2026-01-03T00:00:00Z") },
    ]);
    const p1 = await post({ ...vpn, priority: "critical", department: team });
    expect(p1.body.routed_to_system).toBe("jira");
    const p2 = await post({ ...vpn, priority: "P2", department: team });
    expect(p2.body.routed_to_system).toBe("jira");
    const p3 = await post({ ...vpn, priority: "medium", department: team });
    expect(p3.body.routed_to_system).toBe("slack");
    expect(p3.body.external_ticket_id).toBeNull();
    const none = await post({ ...vpn, priority: "critical", department: "procurement" });
    expect(none.body.routed_to_system).toBeNull();
  });
});

describe("low confidence", () => {
  it("routes to the general service-desk queue and says so", async () => {
    setEnv({ TRIAGE_REVIEW_THRESHOLD: "1" });
    const res = await post({ ...vpn, title: "Need local admin rights", description: "Please grant me administrator rights on my laptop to install software" });
    expect(res.status).toBe(201);
    expect(res.body.fallback).toBe(true);
    expect(res.body.needs_review).toBe(true);
    expect(res.body.department).toBe("Service Desk");
    expect(res.body.assigned_to).toBe("service-desk");
    expect(res.body.error_message).toMatch(/low triage confidence/i);
    expect(res.body.error_message).toContain("Service Desk");
    const t = await ticketRow(res.body.ticket_id);
    expect(t.team_slug).toBe("service-desk");
    expect(t.needs_review).toBe(true);
    const [d] = await rows<{ final_team: string; predicted_team: string | null }>(
      db,
      sql`select final_team, predicted_team from triage_decisions d join tickets t on t.id = d.ticket_id where t.key = ${res.body.ticket_id}`,
    );
    expect(d.final_team).toBe("service-desk");
  });

  it("a department given by the caller still wins, without the note", async () => {
    setEnv({ TRIAGE_REVIEW_THRESHOLD: "1" });
    const res = await post({ ...vpn, department: "infrastructure" });
    expect(res.status).toBe(201);
    expect(res.body.fallback).toBe(false);
    expect(res.body.error_message).toBeNull();
    expect(res.body.needs_review).toBe(true);
    expect((await ticketRow(res.body.ticket_id)).team_slug).toBe("infrastructure");
  });

  it("createTicket without lowConfidenceTeam keeps the suggestion's team (other callers unchanged)", async () => {
    setEnv({ TRIAGE_REVIEW_THRESHOLD: "1" });
    const text = { title: "Need local admin rights", description: "Please grant me administrator rights on my laptop to install software", email: "x@corp.test" };
    const plain = await createTicket(db, text, { principal: null, defaultSource: "api" });
    expect(plain.triage.needsReview).toBe(true);
    expect(plain.triage.team).not.toBe("service-desk");
    expect(plain.ticket.team).toBe(plain.triage.team);
    const withFallback = await createTicket(db, text, { principal: null, defaultSource: "api", lowConfidenceTeam: "service-desk" });
    expect(withFallback.ticket.team).toBe("service-desk");
  });
});

describe("Idempotency-Key", () => {
  it("a repeat returns the stored answer with Idempotent-Replayed and creates nothing", async () => {
    const first = await post(vpn, { idem: "<CAF=msg-1@mail.example.com>" });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const before = await tableCounts(db);
    const again = await post(vpn, { idem: "<CAF=msg-1@mail.example.com>" });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(`/api/tickets/${first.body.ticket_id}`);
    expect(again.body).toEqual(first.body);
    // the same request with its keys in another order and the priority in another case is the same request
    const reordered = { source: "email", priority: "MEDIUM", email: vpn.email, description: vpn.description, title: vpn.title };
    const third = await post(reordered, { idem: "<CAF=msg-1@mail.example.com>" });
    expect(third.status).toBe(201);
    expect(third.body).toEqual(first.body);
    expect(await tableCounts(db)).toEqual(before);
    const [k] = await rows<{ ticket_id: number; api_key_id: string; scope: string; hours: number }>(
      db,
      sql`select ticket_id::int, api_key_id, scope, extract(epoch from expires_at - created_at)::float8 / 3600 as hours
          from idempotency_keys where key = ${"<CAF=msg-1@mail.example.com>"}`,
    );
    expect(`T-${k.ticket_id}`).toBe(first.body.ticket_id);
    expect(k.api_key_id).toBe(await keyIdOf(agent));
    expect(k.scope).toBe(`webhook-ticket:api_key:${k.api_key_id}`);
    expect(k.hours).toBeCloseTo(24, 3);
  });

  it("the same key with a different body is a 409 idempotency_conflict and creates nothing", async () => {
    const first = await post(vpn, { idem: "msg-2" });
    expect(first.status).toBe(201);
    const before = await tableCounts(db);
    const res = await post({ ...vpn, description: "Something else entirely happened to my mailbox today" }, { idem: "msg-2" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("idempotency_conflict");
    expect(await tableCounts(db)).toEqual(before);
  });

  it("keys are scoped per API key", async () => {
    const mine = await post(vpn, { idem: "shared-id" });
    const theirs = await post(vpn, { idem: "shared-id", key: agent2.key });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(theirs.body.ticket_id).not.toBe(mine.body.ticket_id);
  });

  it("two concurrent requests with one key make one ticket; the other replays it", async () => {
    const before = await tableCounts(db);
    const [a, b] = await Promise.all([post(vpn, { idem: "concurrent-1" }), post(vpn, { idem: "concurrent-1" })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.ticket_id).toBe(b.body.ticket_id);
    expect([a.headers.get("idempotent-replayed"), b.headers.get("idempotent-replayed")].filter((h) => h === "true")).toHaveLength(1);
    const after = await tableCounts(db);
    expect(after.tickets - before.tickets).toBe(1);
  });

  it("withIdempotency: a duplicate that arrives while the first is still creating waits, then replays", async () => {
    let creates = 0;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const opts = { scope: "test-scope", key: "overlap", requestHash: "a".repeat(64) };
    const first = withIdempotency(db, opts, async () => {
      creates++;
      entered();
      await gate;
      return { status: 201, body: { n: creates } };
    });
    await inside;
    // the duplicate starts while the first transaction is open inside create()
    const second = withIdempotency(db, opts, async () => {
      creates++;
      return { status: 201, body: { n: creates } };
    });
    await new Promise((r) => setTimeout(r, 300));
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(creates).toBe(1);
    expect(a).toEqual({ kind: "created", status: 201, body: { n: 1 } });
    expect(b).toEqual({ kind: "replayed", status: 201, body: { n: 1 } });
  });

  it("an expired key files a new ticket and replaces the stored answer; other expired keys are cleaned up", async () => {
    const first = await post(vpn, { idem: "msg-expiring" });
    expect(first.status).toBe(201);
    await db.execute(sql`update idempotency_keys set expires_at = now() - interval '1 second', created_at = now() - interval '25 hours' where key = 'msg-expiring'`);
    await db.execute(sql`insert into idempotency_keys (scope, key, request_hash, status_code, response, expires_at)
      values ('other-scope', 'stale', ${"0".repeat(64)}, 201, '{}'::jsonb, now() - interval '1 hour')`);
    const before = await tableCounts(db);
    const again = await post(vpn, { idem: "msg-expiring" });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    expect(again.body.ticket_id).not.toBe(first.body.ticket_id);
    expect((await tableCounts(db)).tickets - before.tickets).toBe(1);
    const [k] = await rows<{ ticket_id: number; live: boolean }>(
      db,
      sql`select ticket_id::int, expires_at > now() as live from idempotency_keys where key = 'msg-expiring'`,
    );
    expect(`T-${k.ticket_id}`).toBe(again.body.ticket_id);
    expect(k.live).toBe(true);
    const [stale] = await rows<{ n: number }>(db, sql`select count(*)::int as n from idempotency_keys where key = 'stale'`);
    expect(stale.n).toBe(0);
    // and the new answer replays
    const third = await post(vpn, { idem: "msg-expiring" });
    expect(third.headers.get("idempotent-replayed")).toBe("true");
    expect(third.body.ticket_id).toBe(again.body.ticket_id);
  });

  it("a failed request stores nothing, so the key can be used again", async () => {
    const bad = await post({ ...vpn, department: "nowhere" }, { idem: "msg-retry" });
    expect(bad.status).toBe(422);
    const ok = await post({ ...vpn, department: "pmo" }, { idem: "msg-retry" });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("idempotent-replayed")).toBeNull();
  });

  it("a malformed key is a 400 and creates nothing", async () => {
    const before = await tableCounts(db);
    for (const idem of ["", "x".repeat(256), "clé-é", "tab\there"]) {
      const res = await post(vpn, { idem });
      expect(res.status, JSON.stringify(idem)).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    expect((await post(vpn, { idem: "x".repeat(255) })).status).toBe(201);
    expect((await tableCounts(db)).tickets - before.tickets).toBe(1);
  });

  it("canonical JSON ignores key order at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});

describe("rate limit per key", () => {
  it("429 with Retry-After once the key's budget is spent, counted across instances", async () => {
    setEnv({ WEBHOOK_RATE_LIMIT_PER_MIN: "3" });
    const bot = await makeActor(db, "bursty-bot@corp.test", "agent");
    // another app instance (its own limiter, its own connection) already took two of the three
    const otherInstance = createRateLimiter(async () => otherExecutor());
    const keyName = `webhook-ticket:p:api_key:${await keyIdOf(bot)}`;
    for (let i = 0; i < 2; i++) expect((await otherInstance.consume(keyName, { limit: 3, windowMs: 60_000 })).ok).toBe(true);
    const third = await post(vpn, { key: bot.key });
    expect(third.status).toBe(201);
    expect(third.headers.get("RateLimit-Limit")).toBe("3");
    expect(third.headers.get("RateLimit-Remaining")).toBe("0");
    const before = await tableCounts(db);
    const limited = await post(vpn, { key: bot.key });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("Retry-After"))).toBeLessThanOrEqual(60);
    expect(await tableCounts(db)).toEqual(before);
    // another key has its own budget
    expect((await post(vpn, { key: agent2.key })).status).toBe(201);
  });
});

describe("bad input is a 4xx, never a 500, and writes nothing", () => {
  it("rejects NUL bytes, wrong types, unknown priorities, missing e-mail, unknown fields and bad JSON", async () => {
    const before = await tableCounts(db);
    const cases: [string, unknown, string][] = [
      ["NUL in title", { ...vpn, title: "VPN\u0000down" }, "title"],
      ["NUL in metadata", { ...vpn, metadata: { k: "a\u0000b" } }, "metadata.k"],
      ["title a number", { ...vpn, title: 5 }, "title"],
      ["metadata an array", { ...vpn, metadata: [1, 2] }, "metadata"],
      ["unknown priority word", { ...vpn, priority: "urgent" }, "priority"],
      ["priority a number", { ...vpn, priority: 1 }, "priority"],
      ["missing email", { title: vpn.title, description: vpn.description }, "email"],
      ["bad email", { ...vpn, email: "not-an-email" }, "email"],
      ["unknown field", { ...vpn, assignee: "bob" }, ""],
      ["short description", { ...vpn, description: "help" }, "description"],
      ["deep metadata", { ...vpn, metadata: JSON.parse("{\"a\":".repeat(30) + "1" + "}".repeat(30)) }, "metadata"],
    ];
    for (const [name, body, path] of cases) {
      const res = await post(body);
      expect(res.status, name).toBe(400);
      expect(res.body.error.code, name).toBe("validation_error");
      const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
      expect(paths.some((p: string) => p.startsWith(path)), `${name}: ${paths.join(",")}`).toBe(true);
    }
    const badJson = await post(undefined, { raw: "{\"title\": " });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe("invalid_json");
    const notJson = await post(undefined, { raw: JSON.stringify(vpn), headers: { "content-type": "text/plain" } });
    expect(notJson.status).toBe(415);
    const huge = await post({ ...vpn, metadata: { blob: "x".repeat(70_000) } });
    expect(huge.status).toBe(413);
    const tooBig = await post({ ...vpn, metadata: { blob: "x".repeat(40_000) } });
    expect(tooBig.status).toBe(400);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("metadata at the limit plus webhook_source is a 400, not a database error", async () => {
    const before = await tableCounts(db);
    // {"a": "x…"} is exactly 32,768 bytes as jsonb text; adding webhook_source pushes it over
    const atLimit = { a: "x".repeat(32_768 - 9) };
    const res = await post({ ...vpn, metadata: atLimit });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe("metadata");
    expect(await tableCounts(db)).toEqual(before);
    const withoutSource = await post({ title: vpn.title, description: vpn.description, email: vpn.email, metadata: atLimit });
    expect(withoutSource.status).toBe(201);
  });
});

describe("OpenAPI", () => {
  it("documents the endpoint from WebhookTicketSchema", () => {
    const doc = openApiDocument() as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { required: string[]; properties: Record<string, unknown>; additionalProperties: boolean } }> }; parameters: { name: string }[]; responses: Record<string, unknown> } }> };
    const op = doc.paths["/api/webhook/ticket"].post;
    const schema = op.requestBody.content["application/json"].schema;
    expect(schema.required.sort()).toEqual(["description", "email", "title"]);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["priority", "source", "metadata", "department"]));
    expect(schema.additionalProperties).toBe(false);
    expect(op.parameters.map((p) => p.name)).toContain("Idempotency-Key");
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["201", "409", "429"]));
  });
});

describe("auth", () => {
  it("401 without or with an unknown or revoked key; 403 for a requester key; agents and admins may call", async () => {
    const before = await tableCounts(db);
    expect((await post(vpn, { key: "" })).status).toBe(401);
    expect((await post(vpn, { key: "sb_this-key-does-not-exist-0000000000000000" })).status).toBe(401);
    const r = await post({ ...vpn, email: requester.email }, { key: requester.key });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
    const gone = await makeActor(db, "revoked-bot@corp.test", "agent");
    await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.userId, gone.id));
    clearApiKeyCache();
    expect((await post(vpn, { key: gone.key })).status).toBe(401);
    expect(await tableCounts(db)).toEqual(before);
    expect((await post(vpn, { key: admin.key })).status).toBe(201);
  });
});
