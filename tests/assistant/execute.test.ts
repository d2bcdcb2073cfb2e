import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { categories, slaBreaches, ticketComments, tickets, users } from "@/db/schema";
import { executeConfirmed, executeOp, helpFor, type ExecuteResult } from "@/lib/assistant/execute";
import type { AssistantOp } from "@/lib/assistant/ops";
import type { AssistantData } from "@/lib/assistant/types";
import type { Principal } from "@/lib/auth/principal";
import { createTicket } from "@/lib/tickets/create-ticket";
import { useTestDb } from "../helpers/db";
import { makeActor, makeDeskActors, tableCounts, type Actor } from "../helpers/fixtures";
import { rejection, sessionOf } from "./execute-helpers";

/* Every assistant operation's happy path against a real seeded database, through the services. */

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let agent2: Actor;
let alice: Actor;
let bob: Actor;
let agentP: Principal;
let agent2P: Principal;
let aliceP: Principal;
let adminP: Principal;

beforeAll(async () => {
  db = testDb.db;
  ({ agent, agent2, alice, bob } = await makeDeskActors(db));
  agentP = sessionOf(agent, "agent");
  agent2P = sessionOf(agent2, "agent");
  aliceP = sessionOf(alice, "requester");
  adminP = sessionOf(await makeActor(db, "root@corp.test", "admin"), "admin");
  await db.insert(users).values([
    { email: "maria.lopez@corp.test", name: "Maria Lopez", role: "agent" },
    { email: "maria.schmidt@corp.test", name: "Maria Schmidt", role: "agent" },
  ]);
});

const run = (op: AssistantOp, p: Principal, ctx?: { now?: Date; timeZone?: string }) => executeOp(db, op, p, ctx);
function dataOf<K extends AssistantData["kind"]>(r: ExecuteResult, kind: K): Extract<AssistantData, { kind: K }> {
  expect(r.data?.kind).toBe(kind);
  return r.data as Extract<AssistantData, { kind: K }>;
}
async function ticketRow(key: string) {
  const [t] = await db.select().from(tickets).where(eq(tickets.key, key));
  return t;
}
async function newTicket(email: string, title = "Laptop fan is very loud") {
  const { ticket } = await createTicket(db, { title, description: `${title} since Monday, please check`, email, category: "hardware" }, { principal: agentP, defaultSource: "api" });
  return ticket.key;
}

describe("create", () => {
  it("files a ticket for the signed-in requester, with the triage in the answer", async () => {
    const r = await run({ op: "create", title: "VPN drops" }, aliceP);
    expect(r).toMatchObject({ op: "create", ok: true });
    const d = dataOf(r, "ticket");
    expect(d.ticket.requester).toBe(alice.email);
    expect(d.ticket.href).toBe(`/requests/${d.ticket.key}`);
    expect(d.changes[0]).toBe("created");
    expect(d.changes).toContain(`priority ${d.ticket.priority}`);
    expect(r.message).toMatch(new RegExp(`^Created ${d.ticket.key} \\(.+, P[1-4]`));
    expect(r.ticketId).toBe(Number(d.ticket.key.slice(2)));
    const row = await ticketRow(d.ticket.key);
    expect(row.source).toBe("web");
    expect(row.description).toBe("VPN drops (filed by assistant command)");
    expect(row.requesterVerified).toBe(true);
  });

  it("lets an agent file for a named requester with category and priority", async () => {
    const r = await run({ op: "create", title: "Projector in room 4 is dead", priority: "P2", category: "hardware", requester: bob.email }, agentP);
    const d = dataOf(r, "ticket");
    expect(d.ticket).toMatchObject({ requester: bob.email, priority: "P2", category: "hardware", team: "end-user-computing", href: `/tickets/${d.ticket.key}` });
    expect(d.changes).toEqual(expect.arrayContaining(["created", "category Hardware", "priority P2", "team End-User Computing"]));
    expect(r.message).toBe(`Created ${d.ticket.key} (Hardware, P2, End-User Computing).`);
    expect((await ticketRow(d.ticket.key)).description).toBe("Projector in room 4 is dead");
  });

  it("answers 422 for an unknown category", async () => {
    const e = await rejection(run({ op: "create", title: "Something odd", category: "no-such-thing" }, agentP));
    expect(e.status).toBe(422);
  });
});

describe("update", () => {
  it("changes the status through the lifecycle and adds the note as an internal note", async () => {
    const key = await newTicket(bob.email);
    const r = await run({ op: "update", key, status: "in_progress", priority: "P2", note: "investigating the load balancer" }, agentP);
    const d = dataOf(r, "ticket");
    expect(d.ticket.status).toBe("in_progress");
    expect(d.changes).toEqual(expect.arrayContaining(["status new → in progress", "internal note added"]));
    const row = await ticketRow(key);
    expect(row.status).toBe("in_progress");
    const notes = await db.select().from(ticketComments).where(eq(ticketComments.ticketId, row.id));
    expect(notes.map((n) => [n.body, n.internal])).toEqual([["investigating the load balancer", true]]);
  });

  it("refuses an invalid transition with 409 and keeps the note out too (one transaction)", async () => {
    for (const [from, to] of [["closed", "in_progress"], ["resolved", "waiting"]] as const) {
      const key = await newTicket(bob.email);
      await run({ op: "resolve", key, status: from, resolution: "done" }, agentP);
      const row = await ticketRow(key);
      const e = await rejection(run({ op: "update", key, status: to, note: "asked the vendor" }, agentP));
      expect(e.status).toBe(409);
      expect((await ticketRow(key)).status).toBe(from);
      expect(await db.select().from(ticketComments).where(eq(ticketComments.ticketId, row.id))).toEqual([]);
    }
  });
});

describe("assign", () => {
  let key: string;
  beforeAll(async () => {
    key = await newTicket(bob.email);
  });

  it("takes a ticket (me), assigns by name and e-mail, and unassigns", async () => {
    let r = await run({ op: "assign", key, assignee: "me" }, agentP);
    expect(dataOf(r, "ticket").ticket.assignee).toBe("agent");
    expect(dataOf(r, "ticket").changes).toContain("assigned to agent");
    r = await run({ op: "assign", key, assignee: "AGENT2" }, agentP);
    expect((await ticketRow(key)).assigneeId).toBe(agent2.id);
    r = await run({ op: "assign", key, assignee: "maria.lopez@corp.test" }, agentP);
    expect(dataOf(r, "ticket").ticket.assignee).toBe("Maria Lopez");
    r = await run({ op: "assign", key, assignee: "none" }, agentP);
    expect(dataOf(r, "ticket").ticket.assignee).toBeNull();
    expect((await ticketRow(key)).assigneeId).toBeNull();
  });

  it("offers candidates for an ambiguous person and changes nothing", async () => {
    await run({ op: "assign", key, assignee: "me" }, agentP);
    const before = await tableCounts(db);
    const r = await run({ op: "assign", key, assignee: "maria" }, agentP);
    expect(r.ok).toBe(false);
    const d = dataOf(r, "candidates");
    expect(d.field).toBe("assignee");
    expect(d.candidates).toEqual([
      { label: "Maria Lopez <maria.lopez@corp.test>", command: `assign ${key} to maria.lopez@corp.test` },
      { label: "Maria Schmidt <maria.schmidt@corp.test>", command: `assign ${key} to maria.schmidt@corp.test` },
    ]);
    expect((await ticketRow(key)).assigneeId).toBe(agent.id);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("answers 422 with candidates for an unknown person", async () => {
    const e = await rejection(run({ op: "assign", key, assignee: "zed" }, agentP));
    expect(e.status).toBe(422);
    const cands = (e.details as { candidates: { label: string; command: string }[] }).candidates;
    expect(cands.map((c) => c.command)).toContain(`assign ${key} to agent2@corp.test`);
    expect((await ticketRow(key)).assigneeId).toBe(agent.id);
  });
});

describe("comment, resolve, show", () => {
  it("adds a public reply and an internal note", async () => {
    const key = await newTicket(alice.email);
    const reply = await run({ op: "comment", key, body: "Still broken after the update", internal: false }, aliceP);
    expect(dataOf(reply, "ticket").changes[0]).toBe("reply added");
    const note = await run({ op: "comment", key, body: "Vendor ticket 4711", internal: true }, agentP);
    expect(note.message).toBe(`Added an internal note to ${key}.`);
    const row = await ticketRow(key);
    const cs = await db.select().from(ticketComments).where(eq(ticketComments.ticketId, row.id));
    expect(cs.map((c) => [c.body, c.internal])).toEqual([
      ["Still broken after the update", false],
      ["Vendor ticket 4711", true],
    ]);
  });

  it("resolves and closes with a resolution", async () => {
    const key = await newTicket(bob.email);
    const r = await run({ op: "resolve", key, status: "closed", resolution: "replaced the switch" }, agentP);
    expect(dataOf(r, "ticket").ticket.status).toBe("closed");
    const row = await ticketRow(key);
    expect([row.status, row.resolution]).toEqual(["closed", "replaced the switch"]);
    expect(row.closedAt).not.toBeNull();
  });

  it("shows a ticket", async () => {
    const key = await newTicket(bob.email, "Badge reader broken");
    const r = await run({ op: "show", key }, agentP);
    expect(dataOf(r, "ticket").ticket).toMatchObject({ key, title: "Badge reader broken", href: `/tickets/${key}` });
    expect(r.message).toMatch(new RegExp(`^${key}: Badge reader broken \\(new, P[1-4], unassigned\\)\\.$`));
    expect(r.ticketId).toBe(Number(key.slice(2)));
  });
});

describe("list and stats", () => {
  it("lists with a filter and an exact total", async () => {
    const k1 = await newTicket(bob.email, "Scanner offline one");
    const k2 = await newTicket(bob.email, "Scanner offline two");
    await run({ op: "assign", key: k1, assignee: "maria lopez" }, agentP);
    await run({ op: "assign", key: k2, assignee: "maria lopez" }, agentP);
    await run({ op: "update", key: k2, priority: "P1" }, agentP);
    const r = await run({ op: "list", filter: { assignee: "Maria Lopez" }, limit: 1 }, agentP);
    const d = dataOf(r, "tickets");
    expect(d.tickets.map((t) => t.key)).toEqual([k2]);
    expect(d.total).toBe(2);
    expect(d.totalCap).toBe(10_000);
    expect(d.description).toBe("tickets assigned to Maria Lopez <maria.lopez@corp.test>");
    expect(r.message).toBe("2 tickets assigned to Maria Lopez <maria.lopez@corp.test>; showing the first 1.");
    const p1 = dataOf(await run({ op: "list", filter: { assignee: "maria.lopez@corp.test", priority: ["P1"], status: ["new", "open"] } }, agentP), "tickets");
    expect(p1.tickets.map((t) => t.key)).toEqual([k2]);
    expect(p1.description).toBe("new or open P1 tickets assigned to Maria Lopez <maria.lopez@corp.test>");
  });

  it("offers candidates when the list's assignee is ambiguous", async () => {
    const r = await run({ op: "list", filter: { assignee: "maria", status: ["open"] } }, agentP);
    expect(r.ok).toBe(false);
    expect(dataOf(r, "candidates").candidates.map((c) => c.command)).toEqual([
      "show open tickets assigned to maria.lopez@corp.test",
      "show open tickets assigned to maria.schmidt@corp.test",
    ]);
  });

  it("lists by created range and describes the dates", async () => {
    const { ticket } = await createTicket(
      db,
      { title: "Old printer issue", description: "The old printer jams on every page", email: bob.email, category: "hardware" },
      { principal: agentP, defaultSource: "api", createdAt: new Date("2026-11-23T09:00:00Z") },
    );
    const r = await run(
      { op: "list", filter: { createdFrom: "2026-11-23T00:00:00Z", createdTo: "2026-11-24T00:00:00Z" } },
      agentP,
      { now: new Date("2026-11-25T00:00:00Z"), timeZone: "UTC" },
    );
    const d = dataOf(r, "tickets");
    expect(d.tickets.map((t) => t.key)).toEqual([ticket.key]);
    expect(d.description).toBe("tickets created from Mon 23 Nov until before Tue 24 Nov");
  });

  it("counts tickets and SLA breaches (breach level, today in the zone, until now)", async () => {
    const n = dataOf(await run({ op: "stats", metric: "tickets", filter: { priority: ["P1"] } }, agentP), "stats");
    const c = await db.$count(tickets, eq(tickets.priority, "P1"));
    expect(n.count).toBe(c);
    expect(n.count).toBeGreaterThan(0);

    const row = await ticketRow(await newTicket(bob.email));
    const base = { ticketId: row.id, target: "resolution" as const, priority: "P2" as const, dueAt: new Date("2026-12-01T00:00:00Z") };
    await db.insert(slaBreaches).values([
      { ...base, level: "breach", cycle: 1, occurredAt: new Date("2026-12-02T08:00:00Z") },
      { ...base, level: "breach", cycle: 2, occurredAt: new Date("2026-12-02T00:00:00Z") },
      { ...base, level: "warning", cycle: 1, occurredAt: new Date("2026-12-02T09:00:00Z") },
      { ...base, level: "breach", cycle: 3, occurredAt: new Date("2026-12-01T23:59:00Z") },
      { ...base, level: "breach", cycle: 4, occurredAt: new Date("2026-12-02T13:00:00Z") },
    ]);
    const now = new Date("2026-12-02T12:00:00Z");
    const today = dataOf(await run({ op: "stats", metric: "breaches" }, agentP, { now, timeZone: "UTC" }), "stats");
    expect(today).toMatchObject({ count: 2, from: "2026-12-02T00:00:00.000Z", to: now.toISOString(), description: "SLA breaches today" });
    // In Berlin the day began at 23:00 UTC on the 1st.
    expect(dataOf(await run({ op: "stats", metric: "breaches" }, agentP, { now, timeZone: "Europe/Berlin" }), "stats").count).toBe(3);
    const ranged = await run({ op: "stats", metric: "breaches", from: "2026-12-01T00:00:00Z", to: "2026-12-03T00:00:00Z" }, agentP, { now, timeZone: "UTC" });
    expect(dataOf(ranged, "stats").count).toBe(4);
    const e = await rejection(run({ op: "stats", metric: "breaches", from: "2026-12-03T00:00:00Z", to: "2026-12-01T00:00:00Z" }, agentP));
    expect(e.status).toBe(400);
  });
});

describe("bulk", () => {
  let keys: string[];
  beforeAll(async () => {
    keys = [];
    for (const t of ["Bulk one printer", "Bulk two printer", "Bulk three printer"]) {
      const { ticket } = await createTicket(db, { title: t, description: `${t} jams constantly`, email: "carol@corp.test", category: "hardware" }, { principal: agentP, defaultSource: "api" });
      keys.push(ticket.key);
    }
  });
  const op: AssistantOp = { op: "bulk", filter: { requester: "carol@corp.test" }, action: { status: "closed", note: "printer replaced" } };

  it("answers with a confirmation and changes nothing; the token runs exactly those tickets", async () => {
    const before = await tableCounts(db);
    const r = await run(op, agentP);
    const d = dataOf(r, "confirm");
    expect(d.total).toBe(3);
    expect(d.action).toBe("close 3 tickets");
    expect(d.tickets.map((t) => t.key)).toEqual([...keys].reverse());
    expect(r.message).toBe(`This will close 3 tickets: ${[...keys].reverse().join(", ")}. Confirm to go ahead.`);
    expect(await tableCounts(db)).toEqual(before);
    for (const k of keys) expect((await ticketRow(k)).status).toBe("new");

    // A ticket filed after the confirmation is not touched by it.
    const late = await newTicket("carol@corp.test");
    // One of them moved on meanwhile: the services still close it.
    await run({ op: "update", key: keys[0], status: "in_progress" }, agentP);
    const done = await executeConfirmed(db, d.token, agentP);
    const b = dataOf(done, "bulk");
    expect(b).toMatchObject({ succeeded: 3, failed: 0 });
    for (const k of keys) expect(await ticketRow(k)).toMatchObject({ status: "closed", resolution: "printer replaced" });
    expect((await ticketRow(late)).status).toBe("new");

    // Replaying re-runs on the same ids: closing a closed ticket is a no-op.
    const again = dataOf(await executeConfirmed(db, d.token, agentP), "bulk");
    expect(again.succeeded).toBe(3);
  });

  it("reports a ticket that can no longer transition as failed", async () => {
    const k = await newTicket("dave@corp.test");
    const r = dataOf(await run({ op: "bulk", filter: { requester: "dave@corp.test" }, action: { waitingReason: "third_party" } }, agentP), "confirm");
    await run({ op: "resolve", key: k, status: "closed" }, agentP);
    const b = dataOf(await executeConfirmed(db, r.token, agentP), "bulk");
    expect(b.failed).toBe(1);
    expect(b.results[0]).toMatchObject({ key: k, ok: false });
    expect((await ticketRow(k)).status).toBe("closed");
  });

  it("refuses tampered, expired and other callers' tokens with 400", async () => {
    const k = await newTicket("erin@corp.test");
    const d = dataOf(await run({ op: "bulk", filter: { requester: "erin@corp.test" }, action: { priority: "P1" } }, agentP), "confirm");
    const [payload, sig] = d.token.split(".");
    const forged = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    forged.ids = [1, 2, 3];
    const tampered = `${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${sig}`;
    const in11min = new Date(Date.now() + 11 * 60_000);
    for (const [token, who, now] of [
      [tampered, agentP, undefined],
      [`${payload}.${sig.slice(1)}x`, agentP, undefined],
      ["garbage", agentP, undefined],
      [d.token, agentP, in11min],
      [d.token, agent2P, undefined],
    ] as const) {
      const e = await rejection(executeConfirmed(db, token, who, { now }));
      expect(e.status).toBe(400);
    }
    expect((await ticketRow(k)).priority).not.toBe("P1");
  });

  it("refuses more than 200 matches and asks to narrow the filter", async () => {
    await db.insert(tickets).values(
      Array.from({ length: 201 }, (_, i) => ({
        title: `Bulk import ${i}`,
        description: "Imported ticket for the bulk cap",
        requesterEmail: "many@corp.test",
        categorySlug: "hardware",
        priority: "P4" as const,
        source: "api" as const,
      })),
    );
    const before = await tableCounts(db);
    const e = await rejection(run({ op: "bulk", filter: { requester: "many@corp.test" }, action: { priority: "P3" } }, agentP));
    expect(e.status).toBe(422);
    expect(e.message).toMatch(/^More than 200 tickets requested by many@corp\.test match; narrow the filter/);
    expect(await tableCounts(db)).toEqual(before);
  });
});

describe("create_category and help", () => {
  it("creates a category for admins, slug from the name", async () => {
    const r = await run({ op: "create_category", name: "Printers & Scanners", team: "end-user-computing" }, adminP);
    expect(r).toMatchObject({ op: "create_category", ok: true, message: "Created category Printers & Scanners (printers-scanners), routed to End-User Computing." });
    const [c] = await db.select().from(categories).where(eq(categories.slug, "printers-scanners"));
    expect(c).toMatchObject({ name: "Printers & Scanners", teamSlug: "end-user-computing" });
  });

  it("lists what each role may do", async () => {
    const req = dataOf(await run({ op: "help" }, aliceP), "help").examples;
    const ag = helpFor(agentP);
    const ad = helpFor(adminP);
    expect(req.some((e) => /^(assign|take|close all)/.test(e))).toBe(false);
    expect(ag.some((e) => e.startsWith("assign "))).toBe(true);
    expect(ag.some((e) => e.startsWith("close all"))).toBe(true);
    expect(ag.some((e) => e.startsWith("create category"))).toBe(false);
    expect(ad.some((e) => e.startsWith("create category"))).toBe(true);
  });
});
