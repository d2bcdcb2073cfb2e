import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, tableCounts, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let agent2: Actor;
let alice: Actor;
let bob: Actor;

const printer = {
  title: "Printer on floor 3 is jammed",
  description: "The printer next to the kitchen keeps jamming and shows a paper error, cannot print anything",
};

async function create(key: string, body: Record<string, unknown>) {
  return call(ticketsRoute.POST, { path: "/api/tickets", key, body });
}

beforeAll(async () => {
  db = testDb.db;
  ({ agent, agent2, alice, bob } = await makeDeskActors(db));
});

describe("POST /api/tickets with Idempotency-Key", () => {
  const post = (key: string, body: Record<string, unknown>, idem: string) =>
    call(ticketsRoute.POST, { path: "/api/tickets", key, body, headers: { "Idempotency-Key": idem } });

  it("a repeat returns the stored answer with Idempotent-Replayed and creates nothing; another body is 409", async () => {
    const body = { ...printer, email: "idem@corp.test" };
    const first = await post(agent.key, body, "retry-after-503-1");
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const before = await tableCounts(db);
    const again = await post(agent.key, body, "retry-after-503-1");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(`/api/tickets/${first.body.ticket.key}`);
    expect(again.body).toEqual(first.body);
    const other = await post(agent.key, { ...body, description: "A different problem with the scanner on floor 2" }, "retry-after-503-1");
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("idempotency_conflict");
    expect(await tableCounts(db)).toEqual(before);
    // Keys are per caller: another agent's same key is a new request.
    const theirs = await post(agent2.key, body, "retry-after-503-1");
    expect(theirs.status).toBe(201);
    expect(theirs.body.ticket.key).not.toBe(first.body.ticket.key);
  });

  it("a malformed key is a 400 bad_request and creates nothing", async () => {
    const before = await tableCounts(db);
    const res = await post(agent.key, { ...printer, email: "idem@corp.test" }, "bad\u0001key");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(await tableCounts(db)).toEqual(before);
  });
});

describe("POST /api/tickets", () => {
  it("creates a ticket with triage, decision row, audit event and team assignment in one go", async () => {
    const before = await tableCounts(db);
    const res = await create(agent.key, { ...printer, email: "Carol@Corp.test" });
    expect(res.status).toBe(201);
    const { ticket, triage } = res.body;
    expect(ticket.key).toMatch(/^T-\d+$/);
    expect(res.headers.get("location")).toBe(`/api/tickets/${ticket.key}`);
    expect(ticket.email).toBe("carol@corp.test");
    expect(ticket.status).toBe("new");
    expect(ticket.source).toBe("api");
    expect(ticket.category).toBe(triage.category);
    expect(ticket.priority).toBe(triage.priority);
    expect(ticket.team).toBe(triage.team);
    expect(triage.confidence).toBeGreaterThan(0);
    expect(triage.confidence).toBeLessThanOrEqual(1);
    expect(triage.provider).toBe("local");
    expect(triage.overridden).toEqual({ category: false, priority: false });
    expect(triage.team).toBeTruthy();

    const after = await tableCounts(db);
    expect(after.tickets - before.tickets).toBe(1);
    expect(after.triage_decisions - before.triage_decisions).toBe(1);
    expect(after.audit_events - before.audit_events).toBe(1);
    expect(after.ticket_assignments - before.ticket_assignments).toBe(1);
    const [d] = await rows<{ predicted_category: string; final_category: string; overridden_by: string | null; input_hash: string }>(
      db,
      sql`select predicted_category, final_category, overridden_by, input_hash from triage_decisions d join tickets t on t.id = d.ticket_id where t.key = ${ticket.key}`,
    );
    expect(d.overridden_by).toBeNull();
    expect(d.final_category).toBe(d.predicted_category);
    expect(d.input_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("lets the caller's category and priority win and records the override", async () => {
    const suggestion = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: printer });
    const otherCategory = suggestion.body.category === "purchase" ? "storage" : "purchase";
    const otherPriority = suggestion.body.priority === "P1" ? "P2" : "P1";
    const res = await create(agent.key, { ...printer, email: "carol@corp.test", category: otherCategory, priority: otherPriority });
    expect(res.status).toBe(201);
    expect(res.body.ticket.category).toBe(otherCategory);
    expect(res.body.ticket.priority).toBe(otherPriority);
    expect(res.body.ticket.team).toBe(otherCategory === "purchase" ? "procurement" : "infrastructure");
    expect(res.body.triage.overridden).toEqual({ category: true, priority: true });
    const [d] = await rows<{ predicted_category: string; final_category: string; final_priority: string; overridden_by: string }>(
      db,
      sql`select predicted_category, final_category, final_priority::text, overridden_by::text from triage_decisions d join tickets t on t.id = d.ticket_id where t.key = ${res.body.ticket.key}`,
    );
    expect(d).toEqual({ predicted_category: suggestion.body.category, final_category: otherCategory, final_priority: otherPriority, overridden_by: "requester" });
  });

  it("stores module, project, source and metadata", async () => {
    const res = await create(agent.key, {
      ...printer,
      email: "dave@corp.test",
      module: "workplace",
      project: "laptop-refresh-2026",
      source: "email",
      metadata: { mailbox: "help@corp.test", messageId: "<abc@x>" },
    });
    expect(res.status).toBe(201);
    expect(res.body.ticket).toMatchObject({ module: "workplace", project: "laptop-refresh-2026", source: "email", metadata: { mailbox: "help@corp.test" } });
  });

  it("rejects unknown category/module/project with 422 and writes nothing", async () => {
    for (const extra of [{ category: "no-such" }, { module: "nope" }, { project: "nope" }]) {
      const before = await tableCounts(db);
      const res = await create(agent.key, { ...printer, email: "x@corp.test", ...extra });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("unprocessable");
      expect(res.body.error.details.allowed.length).toBeGreaterThan(0);
      expect(await tableCounts(db)).toEqual(before);
    }
  });

  it("lets a requester file only under their own e-mail", async () => {
    const own = await create(alice.key, { ...printer, email: alice.email });
    expect(own.status).toBe(201);
    const other = await create(alice.key, { ...printer, email: bob.email });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("forbidden");
  });

  it("needs authentication", async () => {
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", body: { ...printer, email: "a@corp.test" } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
    const bad = await call(ticketsRoute.POST, { path: "/api/tickets", key: "sb_not-a-real-key", body: { ...printer, email: "a@corp.test" } });
    expect(bad.status).toBe(401);
  });
});

describe("POST /api/tickets/classify", () => {
  it("suggests category, priority and team with alternatives and writes nothing", async () => {
    const before = await tableCounts(db);
    const res = await call(classifyRoute.POST, {
      path: "/api/tickets/classify",
      key: alice.key,
      body: { title: "Need access to the finance share", description: "please grant me read access to the finance shared folder" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ category: expect.any(String), priority: expect.stringMatching(/^P[1-4]$/), team: expect.any(String) });
    expect(res.body.alternatives.length).toBeGreaterThan(0);
    const probs = [res.body.confidence, ...res.body.alternatives.map((a: { confidence: number }) => a.confidence)];
    expect(probs.every((p: number) => p >= 0 && p <= 1)).toBe(true);
    expect(probs[0]).toBeGreaterThanOrEqual(probs[1]);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("classifies obvious tickets into the expected category", async () => {
    const cases: [string, string][] = [
      ["password reset for my account, I am locked out and cannot log in", "access"],
      ["New purchase PO: please approve the purchase order for 5 laptops and order them from the vendor", "purchase"],
    ];
    for (const [description, expected] of cases) {
      const res = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: { description } });
      expect(res.body.category).toBe(expected);
    }
  });
});

describe("GET/PATCH /api/tickets/{key}", () => {
  const get = (key: string, apiKey?: string) => call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: apiKey, params: { key } });
  const patch = (key: string, body: unknown, apiKey = agent.key) =>
    call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: apiKey, params: { key }, body });

  it("returns the ticket with comments, history and triage to agents", async () => {
    const { body } = await create(agent.key, { ...printer, email: alice.email });
    const res = await get(body.ticket.key, agent.key);
    expect(res.status).toBe(200);
    expect(res.body.ticket.key).toBe(body.ticket.key);
    expect(res.body.history.map((h: { action: string }) => h.action)).toEqual(["ticket.created"]);
    expect(res.body.triage).toMatchObject({ provider: "local", predicted: { category: body.triage.category } });
  });

  it("lets a requester read their own ticket only, without internal notes, history or triage", async () => {
    const { body } = await create(agent.key, { ...printer, email: alice.email });
    const key = body.ticket.key;
    await call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: agent.key, params: { key }, body: { body: "internal: check toner stock", internal: true } });
    await call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: agent.key, params: { key }, body: { body: "We are sending a technician." } });
    const own = await get(key, alice.key);
    expect(own.status).toBe(200);
    expect(own.body.comments.map((c: { body: string }) => c.body)).toEqual(["We are sending a technician."]);
    expect(own.body.history).toEqual([]);
    expect(own.body.triage).toBeNull();
    const other = await get(key, bob.key);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("not_found");
    expect((await get(key)).status).toBe(401);
    expect((await get("T-999999", agent.key)).status).toBe(404);
    expect((await get("not-a-key", agent.key)).status).toBe(404);
  });

  it("changes status with audit events, resolved_at and legal transitions only", async () => {
    const { body } = await create(agent.key, { ...printer, email: alice.email });
    const key = body.ticket.key;
    const r1 = await patch(key, { status: "in_progress", priority: "P2" });
    expect(r1.status).toBe(200);
    expect(r1.body.ticket).toMatchObject({ status: "in_progress", priority: "P2", resolvedAt: null });
    const r2 = await patch(key, { status: "resolved", resolution: "Cleared the paper path and replaced the roller" });
    expect(r2.body.ticket.status).toBe("resolved");
    expect(r2.body.ticket.resolvedAt).not.toBeNull();
    expect(r2.body.ticket.resolutionS).toBeGreaterThanOrEqual(0);
    const r3 = await patch(key, { status: "closed" });
    expect(r3.body.ticket.closedAt).not.toBeNull();
    const illegal = await patch(key, { status: "open" });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error).toMatchObject({ code: "invalid_transition", details: { from: "closed", to: "open" } });

    const detail = await get(key, agent.key);
    // An agent's first change also confirms a triage that was flagged for review
    // (ticket.triage_reviewed); whether it was flagged depends on the model's confidence.
    const actions = detail.body.history.map((h: { action: string }) => h.action).filter((a: string) => a !== "ticket.triage_reviewed");
    expect(actions).toEqual([
      "ticket.created",
      "ticket.status_changed",
      "ticket.priority_changed",
      "ticket.status_changed",
      "ticket.resolution_changed",
      "ticket.status_changed",
    ]);
    const change = detail.body.history[1];
    expect(change).toMatchObject({ before: { status: "new" }, after: { status: "in_progress" }, actorType: "api_key" });
  });

  it("reopening a resolved ticket clears resolved_at; a no-op patch writes nothing", async () => {
    const { body } = await create(agent.key, { ...printer, email: alice.email });
    const key = body.ticket.key;
    await patch(key, { status: "resolved" });
    const reopened = await patch(key, { status: "open" });
    expect(reopened.body.ticket).toMatchObject({ status: "open", resolvedAt: null });
    const before = await tableCounts(db);
    const same = await patch(key, { status: "open" });
    expect(same.status).toBe(200);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("re-routes on category change, records the agent's correction and assignment history", async () => {
    const { body } = await create(agent.key, { ...printer, email: alice.email, category: "hardware" });
    const key = body.ticket.key;
    const res = await patch(key, { category: "access", assignee: agent2.id });
    expect(res.status).toBe(200);
    expect(res.body.ticket).toMatchObject({ category: "access", team: "identity-access", assignee: { id: agent2.id } });
    const [d] = await rows<{ overridden_by: string; final_category: string; final_team: string }>(
      db,
      sql`select overridden_by::text, final_category, final_team from triage_decisions d join tickets t on t.id = d.ticket_id where t.key = ${key}`,
    );
    expect(d).toEqual({ overridden_by: "agent", final_category: "access", final_team: "identity-access" });
    const [a] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ticket_assignments a join tickets t on t.id = a.ticket_id where t.key = ${key}`);
    expect(a.n).toBe(2);
  });

  it("forbids requesters to PATCH and validates the patch", async () => {
    const { body } = await create(agent.key, { ...printer, email: alice.email });
    const key = body.ticket.key;
    const before = await tableCounts(db);
    const r = await patch(key, { status: "closed" }, alice.key);
    expect(r.status).toBe(403);
    expect((await patch(key, {})).status).toBe(400);
    expect((await patch(key, { status: "done" })).status).toBe(400);
    expect((await patch(key, { assignee: alice.id })).status).toBe(422); // not an agent
    expect((await patch(key, { team: "no-team" })).status).toBe(422);
    expect((await patch("T-999999", { status: "open" })).status).toBe(404);
    expect(await tableCounts(db)).toEqual(before);
  });
});

describe("POST /api/tickets/{key}/comments", () => {
  const comment = (key: string, body: unknown, apiKey: string) =>
    call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: apiKey, params: { key }, body });

  it("sets first_response_at on the first public agent reply only", async () => {
    const { body } = await create(agent.key, { ...printer, email: alice.email });
    const key = body.ticket.key;
    const note = await comment(key, { body: "Looks like the fuser", internal: true }, agent.key);
    expect(note.status).toBe(201);
    expect(note.body.ticket.firstResponseAt).toBeNull();
    const reply = await comment(key, { body: "Hi Alice, a technician is on the way" }, agent.key);
    expect(reply.status).toBe(201);
    expect(reply.body.ticket.status).toBe("open");
    const first = reply.body.ticket.firstResponseAt;
    expect(first).not.toBeNull();
    const again = await comment(key, { body: "Any update on your side?" }, agent.key);
    expect(again.body.ticket.firstResponseAt).toBe(first);
  });

  it("lets requesters reply publicly on their own tickets only", async () => {
    const { body } = await create(agent.key, { ...printer, email: alice.email });
    const key = body.ticket.key;
    expect((await comment(key, { body: "It also smells burnt" }, alice.key)).status).toBe(201);
    const internal = await comment(key, { body: "secret", internal: true }, alice.key);
    expect(internal.status).toBe(403);
    expect((await comment(key, { body: "hello" }, bob.key)).status).toBe(404);
    const detail = await call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: agent.key, params: { key } });
    expect(detail.body.ticket.firstResponseAt).toBeNull(); // a requester's comment is not a response
  });

  it("moves a waiting ticket back to open when the requester answers; an agent cannot reply on a closed ticket", async () => {
    const { body } = await create(agent.key, { ...printer, email: alice.email });
    const key = body.ticket.key;
    await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { status: "waiting" } });
    const r = await comment(key, { body: "Here is the photo you asked for" }, alice.key);
    expect(r.body.ticket.status).toBe("open");
    await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { status: "closed" } });
    const closed = await comment(key, { body: "one more thing" }, agent.key);
    expect(closed.status).toBe(409);
  });
});
