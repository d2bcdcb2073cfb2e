import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { externalPushes, externalTargets, ticketExternalLinks } from "@/db/schema";
import * as listRoute from "@/app/api/routing/targets/route";
import * as itemRoute from "@/app/api/routing/targets/[id]/route";
import * as pushesRoute from "@/app/api/routing/pushes/route";
import * as retryRoute from "@/app/api/routing/pushes/[id]/retry/route";
import * as teamRoute from "@/app/api/teams/[slug]/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import { resetSecretKeys } from "@/lib/crypto/secrets";
import { getBoss } from "@/lib/jobs/boss";
import { ensureQueues } from "@/lib/jobs/worker";
import { PUSH_TASK } from "@/lib/routing/push/enqueue";
import { resetEnvForTests } from "@/lib/env";
import { openApiDocument } from "@/lib/http/openapi";
import { createPayload, emptyTargetValues, targetValuesOf, updatePayload } from "@/components/routing/target-input";
import { listTicketPushStates } from "@/lib/routing/targets/links";
import { CreateTargetSchema, UpdateTargetSchema } from "@/lib/routing/targets/schemas";
import { loadResolvedTarget } from "@/lib/routing/targets/resolve";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let admin: Actor;
let agent: Actor;
let otherAgent: Actor;
let requester: Actor;

const originalKey = process.env.ENCRYPTION_KEY;
beforeAll(async () => {
  process.env.ENCRYPTION_KEY = crypto.randomBytes(32).toString("base64");
  resetEnvForTests();
  resetSecretKeys();
  db = testDb.db;
  admin = await makeActor(db, "admin-rt@corp.test", "admin");
  agent = await makeActor(db, "agent-rt@corp.test", "agent", { teamSlug: "service-desk" });
  otherAgent = await makeActor(db, "agent2-rt@corp.test", "agent", { teamSlug: "identity-access" });
  requester = await makeActor(db, "req-rt@corp.test", "requester");
});
afterAll(() => {
  if (originalKey === undefined) delete process.env.ENCRYPTION_KEY;
  else process.env.ENCRYPTION_KEY = originalKey;
  resetEnvForTests();
  resetSecretKeys();
});

// Values that must never come back in any response.
const SECRET = "whsec-5f1c9e-top-secret-signing-key";
const HEADER_VALUE = "hv-8d2b-private-header-value";
const JIRA_TOKEN = "ops-bot@corp.test:ATATT-jira-token-7781";
const SLACK_PATH = "/services/T000/B000/slackhookcredential42";
/** Every response body seen by this file, checked for secrets at the end. */
const seen: unknown[] = [];

async function api<T = any>(handler: Parameters<typeof call>[0], o: Parameters<typeof call>[1]) {
  const res = await call<T>(handler, o);
  seen.push(res.body);
  return res;
}

const webhook = {
  name: "Ops receiver",
  team: "service-desk",
  kind: "webhook",
  url: "https://hooks.example.com/switchboard",
  headers: { "X-Api-Key": HEADER_VALUE, "X-Tenant": "acme" },
  secret: SECRET,
  priorityThreshold: "P2",
};

async function auditOf(id: string) {
  return rows<{ action: string; before: unknown; after: unknown }>(db, sql`SELECT action, before, after FROM audit_events WHERE entity_type = 'external_target' AND entity_id = ${id} ORDER BY id`);
}

describe("/api/routing/targets", () => {
  let id: string;

  it("an admin creates a webhook mapping: 201 with header names and hasSecret, values sealed in the database, audit event without secrets", async () => {
    const res = await api(listRoute.POST, { path: "/api/routing/targets", key: admin.key, body: webhook });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Ops receiver",
      team: "service-desk",
      kind: "webhook",
      url: "https://hooks.example.com/switchboard",
      urlMasked: false,
      method: "POST",
      headerNames: ["X-Api-Key", "X-Tenant"],
      hasSecret: true,
      config: {},
      priorityThreshold: "P2",
      active: true,
      retryLimit: 10,
      retryDelayS: 10,
    });
    expect(Object.keys(res.body)).not.toEqual(expect.arrayContaining(["secret"]));
    expect(res.body).not.toHaveProperty("headers");
    id = res.body.id;

    const [row] = await db.select().from(externalTargets).where(eq(externalTargets.id, id));
    expect(row.secretCiphertext).toMatch(/^v1\./);
    expect(row.headersCiphertext).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(JSON.stringify(row)).not.toContain(HEADER_VALUE);
    expect(row.createdBy).toBe(admin.id);
    // The push engine opens them again.
    const resolved = await loadResolvedTarget(db, id);
    expect(resolved?.secret).toBe(SECRET);
    expect(resolved?.headers).toEqual({ "X-Api-Key": HEADER_VALUE, "X-Tenant": "acme" });

    const audit = await auditOf(id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "external_target.created", before: null, after: { name: "Ops receiver", hasSecret: true, headerNames: ["X-Api-Key", "X-Tenant"] } });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(JSON.stringify(audit)).not.toContain(HEADER_VALUE);
  });

  it("creates Jira, Freshservice and Slack mappings with their config (defaults filled in); the Slack hook URL is masked", async () => {
    const jira = await api(listRoute.POST, {
      path: "/api/routing/targets",
      key: admin.key,
      body: { name: "Jira OPS", team: "infrastructure", kind: "jira", url: "https://acme.atlassian.net", secret: JIRA_TOKEN, config: { projectKey: "OPS", priorities: { P1: "Blocker" } } },
    });
    expect(jira.status).toBe(201);
    expect(jira.body.config).toEqual({ projectKey: "OPS", issueType: "Task", priorities: { P1: "Blocker" } });
    const fs = await api(listRoute.POST, {
      path: "/api/routing/targets",
      key: admin.key,
      body: { name: "Freshservice HR", team: "hr-operations", kind: "freshservice", url: "https://acme.freshservice.com", secret: "fs-api-key", config: { groupId: 42, priorities: { P1: 4 } }, retryLimit: 3, retryDelayS: 30 },
    });
    expect(fs.status).toBe(201);
    expect(fs.body).toMatchObject({ config: { groupId: 42, priorities: { P1: 4 }, source: 2 }, retryLimit: 3, retryDelayS: 30 });
    const slack = await api(listRoute.POST, {
      path: "/api/routing/targets",
      key: admin.key,
      body: { name: "Slack #it-ops", team: "service-desk", kind: "slack", url: `https://hooks.slack.com${SLACK_PATH}`, config: { channel: "#it-ops" }, priorityThreshold: "P1" },
    });
    expect(slack.status).toBe(201);
    expect(slack.body).toMatchObject({ url: "https://hooks.slack.com/…", urlMasked: true, hasSecret: false, headerNames: [] });
    const stored = await loadResolvedTarget(db, slack.body.id);
    expect(stored?.url).toBe(`https://hooks.slack.com${SLACK_PATH}`);
    expect(stored?.secret).toBeNull();
    // The hook URL is the credential: at rest only its masked form is in plain text.
    const [raw] = await db.select().from(externalTargets).where(eq(externalTargets.id, slack.body.id));
    expect(raw.url).toBe("https://hooks.slack.com/…");
    expect(JSON.stringify(raw)).not.toContain(SLACK_PATH);
  });

  it("PATCH of a Slack mapping: the masked URL sent back keeps the hook; a new hook URL is sealed again", async () => {
    const [row] = await db.select().from(externalTargets).where(eq(externalTargets.name, "Slack #it-ops"));
    const patch = (body: unknown) => api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: { id: row.id }, body });
    const same = await patch({ url: "https://hooks.slack.com/…", priorityThreshold: "P2" });
    expect(same.status).toBe(200);
    expect((await loadResolvedTarget(db, row.id))?.url).toBe(`https://hooks.slack.com${SLACK_PATH}`);
    const moved = await patch({ url: "https://hooks.slack.com/services/T000/B000/newcredential77" });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ url: "https://hooks.slack.com/…", urlMasked: true, hasSecret: false, priorityThreshold: "P2" });
    expect((await loadResolvedTarget(db, row.id))?.url).toBe("https://hooks.slack.com/services/T000/B000/newcredential77");
    const [raw] = await db.select().from(externalTargets).where(eq(externalTargets.id, row.id));
    expect(JSON.stringify(raw)).not.toContain("newcredential77");
    // put the original hook back for the tests below
    expect((await patch({ url: `https://hooks.slack.com${SLACK_PATH}`, priorityThreshold: "P1" })).status).toBe(200);
    // Slack has no secret: one sent (or null) does not touch the sealed hook URL.
    expect((await patch({ secret: "not-a-slack-thing" })).status).toBe(200);
    expect((await patch({ secret: null })).status).toBe(200);
    expect(await loadResolvedTarget(db, row.id)).toMatchObject({ url: `https://hooks.slack.com${SLACK_PATH}`, secret: null });
  });

  it("a mapping leaving Slack does not inherit the hook URL as its secret", async () => {
    const made = await api(listRoute.POST, {
      path: "/api/routing/targets",
      key: admin.key,
      body: { name: "Slack to webhook", team: "pmo", kind: "slack", url: "https://hooks.slack.com/services/T1/B1/movingcredential9" },
    });
    expect(made.status).toBe(201);
    const p = { id: made.body.id };
    const noSecret = await api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: p, body: { kind: "webhook", url: "https://hooks.example.com/in" } });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error.details.issues[0].path).toBe("secret");
    const moved = await api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: p, body: { kind: "webhook", url: "https://hooks.example.com/in", secret: "hook-signing-1" } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ kind: "webhook", url: "https://hooks.example.com/in", urlMasked: false, hasSecret: true });
    expect(await loadResolvedTarget(db, made.body.id)).toMatchObject({ url: "https://hooks.example.com/in", secret: "hook-signing-1" });
    expect((await api(itemRoute.DELETE, { method: "DELETE", path: "/x", key: admin.key, params: p })).status).toBe(204);
  });

  it("lists (optionally per team) and reads mappings without header values or secrets", async () => {
    const list = await api(listRoute.GET, { path: "/api/routing/targets", key: admin.key });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { name: string }) => t.name)).toEqual(["Freshservice HR", "Jira OPS", "Ops receiver", "Slack #it-ops"]);
    const sd = await api(listRoute.GET, { path: "/api/routing/targets?team=service-desk", key: admin.key });
    expect(sd.body.items.map((t: { name: string }) => t.name)).toEqual(["Ops receiver", "Slack #it-ops"]);
    const one = await api(itemRoute.GET, { path: `/api/routing/targets/${id}`, key: admin.key, params: { id } });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, headerNames: ["X-Api-Key", "X-Tenant"], hasSecret: true });
    const missing = crypto.randomUUID();
    expect((await api(itemRoute.GET, { path: `/api/routing/targets/${missing}`, key: admin.key, params: { id: missing } })).status).toBe(404);
    expect((await api(itemRoute.GET, { path: "/api/routing/targets/nope", key: admin.key, params: { id: "nope" } })).status).toBe(404);
  });

  it("is for admins only: 401 without credentials, 403 for agents and requesters, nothing written", async () => {
    const before = (await db.select().from(externalTargets)).length;
    const p = { id };
    for (const who of [undefined, agent.key, requester.key]) {
      const want = who ? 403 : 401;
      expect((await api(listRoute.GET, { path: "/api/routing/targets", key: who })).status).toBe(want);
      expect((await api(listRoute.POST, { path: "/api/routing/targets", key: who, body: { ...webhook, name: "Sneaky" } })).status).toBe(want);
      expect((await api(itemRoute.GET, { path: `/api/routing/targets/${id}`, key: who, params: p })).status).toBe(want);
      expect((await api(itemRoute.PATCH, { method: "PATCH", path: `/api/routing/targets/${id}`, key: who, params: p, body: { active: false } })).status).toBe(want);
      expect((await api(itemRoute.DELETE, { method: "DELETE", path: `/api/routing/targets/${id}`, key: who, params: p })).status).toBe(want);
      expect((await api(pushesRoute.GET, { path: "/api/routing/pushes?status=dead", key: who })).status).toBe(want);
      expect((await api(retryRoute.POST, { method: "POST", path: "/api/routing/pushes/1/retry", key: who, params: { id: "1" } })).status).toBe(want);
    }
    expect((await db.select().from(externalTargets)).length).toBe(before);
    const [row] = await db.select().from(externalTargets).where(eq(externalTargets.id, id));
    expect(row.active).toBe(true);
  });

  it("rejects bad input with 4xx and field paths: URL, headers, config per kind, limits, unknown team, duplicate name", async () => {
    const post = (body: unknown) => api(listRoute.POST, { path: "/api/routing/targets", key: admin.key, body });
    const paths = (res: { body: any }) => (res.body.error?.details?.issues ?? []).map((i: { path: string }) => i.path);
    const cases: [string, unknown, number, string | null][] = [
      ["ftp URL", { ...webhook, name: "a", url: "ftp://example.com/x" }, 400, "url"],
      ["credentials in URL", { ...webhook, name: "a", url: "https://user:pw@example.com/x" }, 400, "url"],
      ["not a URL", { ...webhook, name: "a", url: "example.com" }, 400, "url"],
      ["Host header", { ...webhook, name: "a", headers: { Host: "evil.example" } }, 400, "headers"],
      ["Content-Length header", { ...webhook, name: "a", headers: { "content-length": "1" } }, 400, "headers"],
      ["header name with a space", { ...webhook, name: "a", headers: { "X Bad": "1" } }, 400, "headers"],
      ["header value with a newline", { ...webhook, name: "a", headers: { "X-Ok": "a\r\nInjected: 1" } }, 400, "headers"],
      ["21 headers", { ...webhook, name: "a", headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, "v"])) }, 400, "headers"],
      ["unknown kind", { ...webhook, name: "a", kind: "servicenow" }, 400, "kind"],
      ["PUTS method", { ...webhook, name: "a", method: "DELETE" }, 400, "method"],
      ["retryLimit 51", { ...webhook, name: "a", retryLimit: 51 }, 400, "retryLimit"],
      ["retryDelayS 0", { ...webhook, name: "a", retryDelayS: 0 }, 400, "retryDelayS"],
      ["P5 threshold", { ...webhook, name: "a", priorityThreshold: "P5" }, 400, "priorityThreshold"],
      ["unknown field", { ...webhook, name: "a", password: "x" }, 400, ""],
      ["webhook without secret", { ...webhook, name: "a", secret: undefined }, 400, "secret"],
      ["webhook with config", { ...webhook, name: "a", config: { projectKey: "OPS" } }, 400, "config.projectKey"],
      ["jira without project key", { name: "j", team: "infrastructure", kind: "jira", url: "https://acme.atlassian.net", config: {} }, 400, "config.projectKey"],
      ["jira lower-case project key", { name: "j", team: "infrastructure", kind: "jira", url: "https://acme.atlassian.net", config: { projectKey: "ops" } }, 400, "config.projectKey"],
      ["freshservice priority 5", { name: "f", team: "infrastructure", kind: "freshservice", url: "https://acme.freshservice.com", config: { priorities: { P1: 5 } } }, 400, "config.priorities.P1"],
      ["freshservice group id as text", { name: "f", team: "infrastructure", kind: "freshservice", url: "https://acme.freshservice.com", config: { groupId: "ops" } }, 400, "config.groupId"],
      ["slack unknown setting", { name: "s", team: "infrastructure", kind: "slack", url: "https://hooks.slack.com/services/x", config: { projectKey: "OPS" } }, 400, "config.projectKey"],
      ["unknown team", { ...webhook, name: "a", team: "no-such-team" }, 422, null],
      ["duplicate name in the team", { ...webhook }, 409, null],
    ];
    const before = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM external_targets`);
    for (const [label, body, status, path] of cases) {
      const res = await post(body);
      expect(res.status, label).toBe(status);
      expect(res.body.error.code, label).toBe(status === 400 ? "validation_error" : status === 409 ? "conflict" : "unprocessable");
      if (path !== null) expect(paths(res).some((p: string) => p === path || p.startsWith(`${path}.`)), `${label}: ${paths(res)}`).toBe(true);
    }
    const after = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM external_targets`);
    expect(after[0].n).toBe(before[0].n);
    // The same name in another team is fine.
    const other = await post({ ...webhook, team: "identity-access" });
    expect(other.status).toBe(201);
    expect((await api(itemRoute.DELETE, { method: "DELETE", path: "/x", key: admin.key, params: { id: other.body.id } })).status).toBe(204);
  });

  it("PATCH keeps the secret and headers when left out, replaces them when sent, clears them with null", async () => {
    const p = { id };
    const before = (await db.select().from(externalTargets).where(eq(externalTargets.id, id)))[0];
    const rename = await api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: p, body: { name: "Ops receiver v2", priorityThreshold: "P1", retryLimit: 0 } });
    expect(rename.status).toBe(200);
    expect(rename.body).toMatchObject({ name: "Ops receiver v2", priorityThreshold: "P1", retryLimit: 0, hasSecret: true, headerNames: ["X-Api-Key", "X-Tenant"] });
    const kept = (await db.select().from(externalTargets).where(eq(externalTargets.id, id)))[0];
    expect(kept.secretCiphertext).toBe(before.secretCiphertext);
    expect(kept.headersCiphertext).toBe(before.headersCiphertext);

    const replaced = await api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: p, body: { secret: "rotated-secret-2", headers: { Authorization: "Bearer rotated-header" } } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.headerNames).toEqual(["Authorization"]);
    let resolved = await loadResolvedTarget(db, id);
    expect(resolved).toMatchObject({ secret: "rotated-secret-2", headers: { Authorization: "Bearer rotated-header" } });

    const cleared = await api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: p, body: { headers: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ headerNames: [], hasSecret: true });
    resolved = await loadResolvedTarget(db, id);
    expect(resolved).toMatchObject({ secret: "rotated-secret-2", headers: {} });

    // A webhook cannot lose its signing secret; a Slack one can have none.
    const noSecret = await api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: p, body: { secret: null } });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error.details.issues[0].path).toBe("secret");
    expect((await loadResolvedTarget(db, id))?.secret).toBe("rotated-secret-2");

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(["external_target.created", "external_target.updated", "external_target.updated", "external_target.updated"]);
    expect(audit[2].after).toMatchObject({ secretChanged: true, headersChanged: true });
    expect(JSON.stringify(audit)).not.toMatch(/rotated-secret-2|rotated-header/);
  });

  it("PATCH validates config against the new or stored kind, and rejects empty bodies and unknown teams", async () => {
    const [jira] = await db.select().from(externalTargets).where(eq(externalTargets.name, "Jira OPS"));
    const p = { id: jira.id };
    const patch = (body: unknown) => api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: p, body });
    const bad = await patch({ config: { projectKey: "ops" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toContain("config.projectKey");
    // Switching to Slack without new settings: the Jira settings do not fit a Slack target.
    const switched = await patch({ kind: "slack" });
    expect(switched.status).toBe(400);
    expect(switched.body.error.details.issues.map((i: { path: string }) => i.path)).toContain("config.projectKey");
    expect((await patch({})).status).toBe(400);
    expect((await patch({ team: "no-such-team" })).status).toBe(422);
    const ok = await patch({ config: { projectKey: "INFRA", issueType: "Incident" } });
    expect(ok.status).toBe(200);
    expect(ok.body.config).toEqual({ projectKey: "INFRA", issueType: "Incident", priorities: {} });
    expect(ok.body.hasSecret).toBe(true);
    expect((await loadResolvedTarget(db, jira.id))?.secret).toBe(JIRA_TOKEN);
    // Renaming onto a sibling's name in the same team is a conflict.
    const [slack] = await db.select().from(externalTargets).where(eq(externalTargets.name, "Slack #it-ops"));
    const clash = await api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: { id: slack.id }, body: { name: "Ops receiver v2" } });
    expect(clash.status).toBe(409);
    expect((await api(itemRoute.PATCH, { method: "PATCH", path: "/x", key: admin.key, params: { id: crypto.randomUUID() }, body: { active: false } })).status).toBe(404);
  });
});

describe("dead letters, retry, external links on the ticket", () => {
  let ticketKey: string;
  let ticketId: number;
  let targetId: string;
  let deadIds: number[] = [];

  beforeAll(async () => {
    // The retry enqueues a routing.push job: its queue must exist (no worker runs here).
    await ensureQueues(db, testDb.kind, await getBoss(), [{ name: PUSH_TASK }]);
    const created = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: requester.key,
      body: { title: "VPN drops every hour", description: "The VPN client disconnects every hour since the update", email: requester.email },
    });
    expect(created.status).toBe(201);
    ticketKey = created.body.ticket.key;
    ticketId = Number(ticketKey.slice(2));
    const [t] = await db.select().from(externalTargets).where(eq(externalTargets.name, "Jira OPS"));
    targetId = t.id;
    const inserted = await db
      .insert(externalPushes)
      .values([1, 2, 3].map((n) => ({
        ticketId,
        targetId,
        eventId: 900_000 + n,
        action: "create" as const,
        status: "dead" as const,
        attempts: 11,
        lastStatusCode: n === 3 ? 400 : 503,
        lastError: n === 3 ? "Field 'priority' cannot be set" : "Service Unavailable",
        lastAttemptAt: new Date(Date.now() - (4 - n) * 60_000),
      })))
      .returning({ id: externalPushes.id });
    deadIds = inserted.map((r) => Number(r.id)).sort((a, b) => b - a);
  });

  it("GET /api/routing/pushes?status=dead lists dead pushes newest first, paged by cursor", async () => {
    const first = await api(pushesRoute.GET, { path: "/api/routing/pushes?status=dead&limit=2", key: admin.key });
    expect(first.status).toBe(200);
    expect(first.body.items.map((p: { id: number }) => p.id)).toEqual(deadIds.slice(0, 2));
    expect(first.body.items[0]).toMatchObject({ ticketKey, targetName: "Jira OPS", kind: "jira", action: "create", attempts: 11, lastStatusCode: 400, lastError: "Field 'priority' cannot be set" });
    expect(first.body.nextCursor).toBe(String(deadIds[1]));
    const second = await api(pushesRoute.GET, { path: `/api/routing/pushes?limit=2&cursor=${first.body.nextCursor}`, key: admin.key });
    expect(second.body.items.map((p: { id: number }) => p.id)).toEqual([deadIds[2]]);
    expect(second.body.nextCursor).toBeNull();
    expect((await api(pushesRoute.GET, { path: "/api/routing/pushes?status=done", key: admin.key })).status).toBe(400);
    expect((await api(pushesRoute.GET, { path: "/api/routing/pushes?limit=0", key: admin.key })).status).toBe(400);
    expect((await api(pushesRoute.GET, { path: "/api/routing/pushes?cursor=abc", key: admin.key })).status).toBe(400);
  });

  it("POST /api/routing/pushes/{id}/retry puts a dead push back in the queue (202), once", async () => {
    const id = deadIds[0];
    const res = await api(retryRoute.POST, { method: "POST", path: `/api/routing/pushes/${id}/retry`, key: admin.key, params: { id: String(id) } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id, status: "pending" });
    const [p] = await db.select().from(externalPushes).where(eq(externalPushes.id, id));
    expect(p.status).toBe("pending");
    const [ev] = await rows<{ action: string; actor_label: string }>(db, sql`SELECT action, actor_label FROM audit_events WHERE entity_type = 'external_push' AND entity_id = ${String(id)}`);
    expect(ev.action).toBe("external_push.retried");
    const jobs = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = ${PUSH_TASK} AND data->>'pushId' = ${String(id)}`);
    expect(jobs[0].n).toBe(1);
    const again = await api(retryRoute.POST, { method: "POST", path: `/api/routing/pushes/${id}/retry`, key: admin.key, params: { id: String(id) } });
    expect(again.status).toBe(409);
    expect((await api(retryRoute.POST, { method: "POST", path: "/x", key: admin.key, params: { id: "999999999" } })).status).toBe(404);
    expect((await api(retryRoute.POST, { method: "POST", path: "/x", key: admin.key, params: { id: "abc" } })).status).toBe(404);
    const list = await api(pushesRoute.GET, { path: "/api/routing/pushes", key: admin.key });
    expect(list.body.items.map((x: { id: number }) => x.id)).toEqual(deadIds.slice(1));
  });

  it("the ticket JSON carries externalLinks for agents (not for the requester)", async () => {
    const empty = await api(ticketRoute.GET, { path: `/api/tickets/${ticketKey}`, key: agent.key, params: { key: ticketKey } });
    expect(empty.body.externalLinks).toEqual([]);
    await db.insert(ticketExternalLinks).values({ ticketId, targetId, kind: "jira", externalId: "INFRA-12", externalUrl: "https://acme.atlassian.net/browse/INFRA-12" });
    const res = await api(ticketRoute.GET, { path: `/api/tickets/${ticketKey}`, key: agent.key, params: { key: ticketKey } });
    expect(res.status).toBe(200);
    expect(res.body.externalLinks).toEqual([{ target: "Jira OPS", kind: "jira", externalId: "INFRA-12", url: "https://acme.atlassian.net/browse/INFRA-12" }]);
    // The page's push state: per target only the newest push (the retried one, pending again).
    expect(await listTicketPushStates(db, ticketId)).toEqual([
      expect.objectContaining({ pushId: deadIds[0], target: "Jira OPS", kind: "jira", status: "pending", attempts: 11, lastStatusCode: 400 }),
    ]);
    await db.update(externalPushes).set({ status: "done" }).where(eq(externalPushes.id, deadIds[0]));
    expect(await listTicketPushStates(db, ticketId)).toEqual([]);
    await db.update(externalPushes).set({ status: "dead" }).where(eq(externalPushes.id, deadIds[0]));
    expect((await listTicketPushStates(db, ticketId))[0]).toMatchObject({ status: "dead", lastError: "Field 'priority' cannot be set" });
    await db.update(externalPushes).set({ status: "pending" }).where(eq(externalPushes.id, deadIds[0]));
    const mine = await api(ticketRoute.GET, { path: `/api/tickets/${ticketKey}`, key: requester.key, params: { key: ticketKey } });
    expect(mine.status).toBe(200);
    expect(mine.body.externalLinks).toEqual([]);
  });

  it("DELETE refuses a mapping tickets link to (409), deletes one without links (204)", async () => {
    const refused = await api(itemRoute.DELETE, { method: "DELETE", path: "/x", key: admin.key, params: { id: targetId } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ links: 1, pendingPushes: 1 });
    const [slack] = await db.select().from(externalTargets).where(eq(externalTargets.name, "Slack #it-ops"));
    const gone = await api(itemRoute.DELETE, { method: "DELETE", path: "/x", key: admin.key, params: { id: slack.id } });
    expect(gone.status).toBe(204);
    expect(await db.select().from(externalTargets).where(eq(externalTargets.id, slack.id))).toEqual([]);
    const audit = await auditOf(slack.id);
    expect(audit.at(-1)).toMatchObject({ action: "external_target.deleted", after: null });
    expect((await api(itemRoute.DELETE, { method: "DELETE", path: "/x", key: admin.key, params: { id: slack.id } })).status).toBe(404);
  });
});

describe("team assignment mode (/api/teams/{slug})", () => {
  const patch = (slug: string, key: string | undefined, body: unknown) => api(teamRoute.PATCH, { method: "PATCH", path: `/api/teams/${slug}`, key, params: { slug }, body });

  it("agents read it; admins and the team's own agents switch it; others cannot", async () => {
    const got = await api(teamRoute.GET, { path: "/api/teams/service-desk", key: agent.key, params: { slug: "service-desk" } });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ slug: "service-desk", assignmentMode: "auto" });
    expect((await api(teamRoute.GET, { path: "/x", key: requester.key, params: { slug: "service-desk" } })).status).toBe(403);
    expect((await api(teamRoute.GET, { path: "/x", key: agent.key, params: { slug: "nope" } })).status).toBe(404);

    const own = await patch("service-desk", agent.key, { assignmentMode: "round_robin" });
    expect(own.status).toBe(200);
    expect(own.body.assignmentMode).toBe("round_robin");
    expect((await patch("service-desk", otherAgent.key, { assignmentMode: "manual" })).status).toBe(403);
    expect((await patch("service-desk", requester.key, { assignmentMode: "manual" })).status).toBe(403);
    expect((await patch("service-desk", undefined, { assignmentMode: "manual" })).status).toBe(401);
    expect((await patch("service-desk", admin.key, { assignmentMode: "sometimes" })).status).toBe(400);
    expect((await patch("no-such-team", admin.key, { assignmentMode: "manual" })).status).toBe(404);
    const byAdmin = await patch("identity-access", admin.key, { assignmentMode: "manual" });
    expect(byAdmin.body.assignmentMode).toBe("manual");

    const [sd] = await rows<{ mode: string }>(db, sql`SELECT assignment_mode AS mode FROM teams WHERE slug = 'service-desk'`);
    expect(sd.mode).toBe("round_robin");
    const events = await rows<{ action: string; before: unknown; after: unknown; actor_id: string }>(
      db,
      sql`SELECT action, before, after, actor_id FROM audit_events WHERE entity_type = 'team' AND action = 'team.assignment_mode_changed' ORDER BY id`,
    );
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ before: { assignmentMode: "auto" }, after: { assignmentMode: "round_robin" } });
  });
});

describe("documentation and secrecy", () => {
  it("the OpenAPI document has the routing paths from the same zod schemas", () => {
    const doc = openApiDocument() as any;
    for (const p of ["/api/routing/targets", "/api/routing/targets/{id}", "/api/routing/pushes", "/api/routing/pushes/{id}/retry", "/api/teams/{slug}"]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const create = doc.paths["/api/routing/targets"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["name", "team", "kind", "url"]));
    expect(create.properties.kind.enum).toEqual(["jira", "freshservice", "slack", "webhook"]);
    expect(create.properties.retryLimit.maximum).toBe(50);
    const patch = doc.paths["/api/routing/targets/{id}"].patch.requestBody.content["application/json"].schema;
    expect(patch.required ?? []).toEqual([]);
  });

  it("no response of this file carried a secret, a header value, the Slack hook path or ciphertext", () => {
    expect(seen.length).toBeGreaterThan(50);
    const all = JSON.stringify(seen);
    for (const s of [SECRET, HEADER_VALUE, JIRA_TOKEN, "fs-api-key", "rotated-secret-2", "rotated-header", SLACK_PATH, "movingcredential9", "newcredential77", "Ciphertext", "ciphertext", '"v1.']) {
      expect(all).not.toContain(s);
    }
  });
});

describe("the admin form's payloads", () => {
  const stored = {
    id: crypto.randomUUID(),
    name: "Jira OPS",
    team: "infrastructure",
    kind: "jira" as const,
    url: "https://acme.atlassian.net",
    urlMasked: false,
    method: "POST" as const,
    headerNames: ["X-Trace"],
    hasSecret: true,
    config: { projectKey: "OPS", issueType: "Task", priorities: { P1: "Blocker" } },
    priorityThreshold: "P3" as const,
    active: true,
    retryLimit: 10,
    retryDelayS: 10,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };

  it("an untouched edit form sends nothing; empty secret and header boxes keep them, the remove boxes send null", () => {
    const initial = targetValuesOf(stored);
    expect(updatePayload(initial, initial)).toEqual({ payload: {} });
    expect(updatePayload({ ...initial, jiraProjectKey: "INFRA", jiraPriorities: { ...initial.jiraPriorities, P2: "Major" } }, initial)).toEqual({
      payload: { config: { projectKey: "INFRA", issueType: "Task", priorities: { P1: "Blocker", P2: "Major" } } },
    });
    expect(updatePayload({ ...initial, clearSecret: true, clearHeaders: true }, initial)).toEqual({ payload: { secret: null, headers: null } });
    const replaced = updatePayload({ ...initial, secret: "new", headers: "X-Trace: 1\n\nAuthorization: Bearer t" }, initial);
    expect(replaced).toEqual({ payload: { secret: "new", headers: { "X-Trace": "1", Authorization: "Bearer t" } } });
    expect(UpdateTargetSchema.safeParse((replaced as { payload: unknown }).payload).success).toBe(true);
    expect(updatePayload({ ...initial, headers: "no colon here" }, initial)).toEqual({ fieldErrors: { headers: "Line 1: write each header as Name: value" } });
    // A masked Slack URL left as shown is not sent (the stored hook URL is kept).
    const slack = targetValuesOf({ ...stored, kind: "slack", url: "https://hooks.slack.com/…", urlMasked: true, config: { channel: "#ops" } });
    expect(updatePayload({ ...slack, slackChannel: "#it" }, slack)).toEqual({ payload: { config: { channel: "#it" } } });
  });

  it("a filled create form parses with CreateTargetSchema; numbers typed as text stay invalid", () => {
    const v = { ...emptyTargetValues("hr-operations"), name: "FS", kind: "freshservice" as const, url: "https://acme.freshservice.com", fsGroupId: "42", fsPriorities: { P1: "4", P2: "", P3: "", P4: "" } };
    const built = createPayload(v);
    expect("payload" in built && CreateTargetSchema.parse(built.payload)).toMatchObject({ kind: "freshservice", config: { groupId: 42, priorities: { P1: 4 }, source: 2 } });
    const bad = createPayload({ ...v, fsGroupId: "forty-two", retryLimit: "ten" });
    const parsed = CreateTargetSchema.safeParse((bad as { payload: unknown }).payload);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["retryLimit"]));
  });
});
