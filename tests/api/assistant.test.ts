import { beforeAll, describe, expect, it } from "vitest";
import { POST as assistant } from "@/app/api/assistant/route";
import { GET as listConversationsRoute } from "@/app/api/assistant/conversations/route";
import { GET as conversationRoute } from "@/app/api/assistant/conversations/[id]/route";
import { GET as auditRoute } from "@/app/api/admin/assistant/messages/route";
import { signBulkConfirmation } from "@/lib/assistant/confirm";
import type { Principal } from "@/lib/auth/principal";
import { openApiDocument } from "@/lib/http/openapi";
import { createTicket } from "@/lib/tickets/create-ticket";
import { useTestDb } from "../helpers/db";
import { makeActor, makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
let agent: Actor;
let alice: Actor;
let bob: Actor;
let admin: Actor;
let aliceTicket = "";

const say = (who: Actor, body: unknown, query = "") => call(assistant, { path: `/api/assistant${query}`, key: who.key, body });

beforeAll(async () => {
  ({ agent, alice, bob } = await makeDeskActors(t.db));
  admin = await makeActor(t.db, "admin@corp.test", "admin");
  aliceTicket = (await createTicket(t.db, { title: "VPN drops every hour", description: "The VPN client disconnects every hour since Monday", email: alice.email }, { principal: null, defaultSource: "api" })).ticket.key;
  for (const title of ["Printer on floor 2 jams", "Scanner shows error 42"]) {
    await createTicket(t.db, { title, description: `${title} since this morning`, email: bob.email }, { principal: null, defaultSource: "api" });
  }
});

describe("POST /api/assistant", () => {
  let convId = "";

  it("creates a ticket, then continues the conversation with a list", async () => {
    const created = await say(agent, { text: "create ticket for API timeouts in production, high priority for jo@example.com" });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ op: "create", ok: true, data: { kind: "ticket", ticket: { title: expect.stringMatching(/API timeouts in production/i), priority: "P2" } } });
    expect(created.body.message).toMatch(/T-\d+/);
    expect(created.body.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body).not.toHaveProperty("error");
    convId = created.body.conversationId;

    const listed = await say(agent, { text: "show open tickets", conversationId: convId });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ op: "list", ok: true, conversationId: convId, data: { kind: "tickets" } });

    const mine = await call(listConversationsRoute, { path: "/api/assistant/conversations", key: agent.key });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: convId, messageCount: 4, title: expect.stringMatching(/^create ticket for API timeouts/) })]);
    const one = await call(conversationRoute, { path: `/api/assistant/conversations/${convId}`, key: agent.key, params: { id: convId } });
    expect(one.status).toBe(200);
    expect(one.body.messages.map((m: { role: string; op: string | null }) => [m.role, m.op])).toEqual([
      ["user", null],
      ["assistant", "create"],
      ["user", null],
      ["assistant", "list"],
    ]);
    expect(one.body.messages[1]).toMatchObject({ provider: "grammar", ok: true, data: { kind: "ticket" } });
  });

  it("answers in the compact form with ?compact=1", async () => {
    const r = await say(agent, { text: `show ${aliceTicket}` }, "?compact=1");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ s: "ok", a: "shown", d: { id: aliceTicket, t: "VPN drops every hour", cat: expect.any(String), pri: expect.any(Number), stat: "new" }, c: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const nf = await say(agent, { text: "show T-99999" }, "?compact=1");
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ s: "nf", m: expect.stringContaining("T-99999"), c: expect.any(String) });
    const list = await say(agent, { text: "show open tickets" }, "?compact=1");
    expect(list.body).toMatchObject({ s: "ok", a: "listed", n: expect.any(Number) });
    expect(list.body.d.length).toBeGreaterThan(0);
    expect(Object.keys(list.body.d[0]).sort()).toEqual(expect.arrayContaining(["cat", "id", "pri", "stat", "t"]));
  });

  it("executor failures are answers with ok false, the error and its status, and are stored", async () => {
    const r = await say(agent, { text: "show T-99999" });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ op: "show", ok: false, data: null, message: expect.stringContaining("T-99999"), error: { code: "not_found" } });
    const forbidden = await say(alice, { text: `take ${aliceTicket}` });
    expect([403, 404]).toContain(forbidden.status);
    expect(forbidden.body.ok).toBe(false);
    const stored = await call(conversationRoute, { path: "/", key: agent.key, params: { id: r.body.conversationId } });
    expect(stored.body.messages[1]).toMatchObject({ op: "show", ok: false, content: r.body.message });
  });

  it("unknown input is 200 with ok false and help examples; nothing ran", async () => {
    const r = await say(agent, { text: "purple monkey dishwasher" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ op: "help", ok: false, data: { kind: "help" } });
    expect(r.body.data.examples.length).toBeGreaterThan(3);
    expect(r.body.data.examples).toContain("take T-12");
  });

  it("a bulk change answers with a confirmation first and runs on {confirm: token}", async () => {
    // Two of bob's tickets become the agent's, waiting on the requester.
    const keys: string[] = [];
    const bobs = await say(agent, { text: `show tickets from ${bob.email}` });
    for (const tk of bobs.body.data.tickets as { key: string }[]) keys.push(tk.key);
    expect(keys).toHaveLength(2);
    for (const k of keys) {
      expect((await say(agent, { text: `take ${k}` })).body.ok).toBe(true);
      const w = await say(agent, { text: `update ${k} to waiting on the requester` });
      expect(w.body).toMatchObject({ ok: true, data: { ticket: { status: "waiting" } } });
    }
    const preview = await say(agent, { text: "close all my waiting tickets" });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ op: "bulk", ok: true, data: { kind: "confirm", total: 2 } });
    expect(preview.body.data.tickets.map((x: { key: string }) => x.key).sort()).toEqual([...keys].sort());
    // Still waiting: the preview changed nothing.
    const still = await say(agent, { text: `show ${keys[0]}` });
    expect(still.body.data.ticket.status).toBe("waiting");

    const cf = await say(agent, { text: "close all my waiting tickets" }, "?compact=1");
    expect(cf.body).toMatchObject({ s: "cf", a: "confirm", n: 2, tok: expect.any(String) });
    expect([...cf.body.d].sort()).toEqual([...keys].sort());

    // Another caller cannot use the token.
    const stolen = await say(admin, { confirm: preview.body.data.token });
    expect(stolen.status).toBe(400);
    expect(stolen.body).toMatchObject({ op: "bulk", ok: false, error: { code: expect.any(String) } });

    const run = await say(agent, { confirm: preview.body.data.token, conversationId: preview.body.conversationId });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ op: "bulk", ok: true, conversationId: preview.body.conversationId, data: { kind: "bulk", succeeded: 2, failed: 0 } });
    const after = await say(agent, { text: `show ${keys[1]}` });
    expect(after.body.data.ticket.status).toBe("closed");
  });

  it("a bad body is a 400, never a 500, and stores nothing", async () => {
    const before = (await call(auditRoute, { path: "/api/admin/assistant/messages?limit=200", key: admin.key })).body.items.length;
    for (const body of [{}, { text: "" }, { text: 42 }, { text: "show T-1", extra: true }, { text: "show T-1", conversationId: "nope" }, { text: "show T-1", ticketKey: "12" }, { confirm: "" }, { text: "x".repeat(2001) }]) {
      const r = await say(agent, body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
    expect((await call(assistant, { path: "/api/assistant", key: agent.key, raw: "{not json" })).status).toBe(400);
    expect((await say(agent, { text: "show T-1" }, "?compact=maybe")).status).toBe(400);
    expect((await call(assistant, { path: "/api/assistant", body: { text: "show T-1" } })).status).toBe(401);
    const after = (await call(auditRoute, { path: "/api/admin/assistant/messages?limit=200", key: admin.key })).body.items.length;
    expect(after).toBe(before);
  });

  it("a confirm token we never issued (malformed, forged, tampered) is a 400 that runs and stores nothing", async () => {
    const conv = await say(agent, { text: "show my open tickets" });
    const { token } = signBulkConfirmation({ kind: "user", id: agent.id, userId: agent.id, role: "agent", email: agent.email, label: "agent" } as Principal, { status: "closed" }, [1]);
    const [payload, sig] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ v: 1, p: `user:${agent.id}`, a: { status: "closed" }, ids: [1, 2], exp: Date.now() + 60_000 })).toString("base64url");
    const before = (await call(auditRoute, { path: "/api/admin/assistant/messages?limit=200", key: admin.key })).body.items.length;
    for (const confirm of ["\u000e", "not-a-token", "a.b.c", `${payload}.`, `${payload}.${sig.slice(0, -2)}AA`, `${forgedPayload}.${sig}`, `${payload}x.${sig}`]) {
      const r = await say(agent, { confirm, conversationId: conv.body.conversationId });
      expect(r.status, confirm).toBe(400);
      expect(r.body.error, confirm).toMatchObject({ code: "bad_request", details: { field: "confirm" } });
      expect(r.body.op, confirm).toBeUndefined();
    }
    const after = (await call(auditRoute, { path: "/api/admin/assistant/messages?limit=200", key: admin.key })).body.items.length;
    expect(after).toBe(before);
  });

  it("a requester cannot see or continue another's conversation (404) and lists only their own", async () => {
    const own = await say(alice, { text: `show ${aliceTicket}` });
    expect(own.status).toBe(200);
    expect(own.body.ok).toBe(true);
    const seen = await call(conversationRoute, { path: "/", key: alice.key, params: { id: convId } });
    expect(seen.status).toBe(404);
    const cont = await say(alice, { text: "show my tickets", conversationId: convId });
    expect(cont.status).toBe(404);
    expect(cont.body.error.code).toBe("not_found");
    const bobSees = await call(conversationRoute, { path: "/", key: bob.key, params: { id: own.body.conversationId } });
    expect(bobSees.status).toBe(404);
    const list = await call(listConversationsRoute, { path: `/api/assistant/conversations?ticket=${aliceTicket}`, key: alice.key });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([own.body.conversationId]);
    // The agent's conversation about alice's ticket is not among alice's.
    const agentAbout = await call(listConversationsRoute, { path: `/api/assistant/conversations?ticket=${aliceTicket}`, key: agent.key });
    expect(agentAbout.body.items.length).toBeGreaterThan(0);
    expect((await call(listConversationsRoute, { path: "/api/assistant/conversations?ticket=12", key: alice.key })).status).toBe(400);
    // Admins may read any conversation.
    expect((await call(conversationRoute, { path: "/", key: admin.key, params: { id: convId } })).status).toBe(200);
  });
});

describe("GET /api/admin/assistant/messages", () => {
  it("lists and exports for admins; requesters and agents get 403", async () => {
    expect((await call(auditRoute, { path: "/api/admin/assistant/messages", key: alice.key })).status).toBe(403);
    expect((await call(auditRoute, { path: "/api/admin/assistant/messages?format=csv", key: agent.key })).status).toBe(403);
    const json = await call(auditRoute, { path: "/api/admin/assistant/messages?op=create", key: admin.key });
    expect(json.status).toBe(200);
    // The matching answer and the question it answered (newest first).
    expect(json.body.items).toEqual([
      expect.objectContaining({ op: "create", role: "assistant", provider: "grammar" }),
      expect.objectContaining({ role: "user", op: null, content: expect.stringMatching(/^create ticket/i) }),
    ]);
    expect(json.body.items[0].actor).toMatch(/agent/);

    const csv = await call(auditRoute, { path: `/api/admin/assistant/messages?format=csv&actor=agent%40corp.test`, key: admin.key });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="assistant-messages-\d{4}-\d\d-\d\d\.csv"$/);
    expect(csv.headers.get("x-truncated")).toBe("false");
    const lines = String(csv.body).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe('"created_at","actor","ticket","role","content","op","ok","provider","model","prompt_tokens","completion_tokens","cost_usd","latency_ms","fallback_reason"');
    expect(lines.length - 1).toBe(Number(csv.headers.get("x-row-count")));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((l) => l.includes('"user","create ticket for API timeouts in production'))).toBe(true);
    expect(lines.some((l) => /"assistant",".*","create","true","grammar"/.test(l))).toBe(true);
    expect((await call(auditRoute, { path: "/api/admin/assistant/messages?format=xml", key: admin.key })).status).toBe(400);
    expect((await call(auditRoute, { path: "/api/admin/assistant/messages?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", key: admin.key })).status).toBe(400);
  });
});

describe("OpenAPI", () => {
  it("documents the assistant routes from their zod schemas", () => {
    const doc = openApiDocument() as any;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/assistant", "/api/assistant/conversations", "/api/assistant/conversations/{id}", "/api/admin/assistant/messages", "/api/tickets/{key}/assistant"]));
    const body = doc.paths["/api/assistant"].post.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties).sort()).toEqual(["confirm", "conversationId", "text", "ticketKey"]);
    expect(body.additionalProperties).toBe(false);
    expect(doc.paths["/api/assistant"].post.parameters.map((p: { name: string }) => p.name)).toEqual(["compact"]);
    expect(doc.paths["/api/admin/assistant/messages"].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["actor", "ticket", "from", "to", "op", "format"]));
  });
});
