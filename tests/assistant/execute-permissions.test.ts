import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { categories, ticketComments, tickets } from "@/db/schema";
import { executeConfirmed, executeOp } from "@/lib/assistant/execute";
import type { AssistantOp } from "@/lib/assistant/ops";
import type { AssistantData } from "@/lib/assistant/types";
import type { Principal } from "@/lib/auth/principal";
import { createTicket } from "@/lib/tickets/create-ticket";
import { useTestDb } from "../helpers/db";
import { makeActor, makeDeskActors, tableCounts, type Actor } from "../helpers/fixtures";
import { integrationKey, rejection, sessionOf } from "./execute-helpers";

/* The assistant runs every operation with the caller's permissions: nothing more. */

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let alice: Actor;
let bob: Actor;
let agentP: Principal;
let aliceP: Principal;
let bobP: Principal;
const keys: Record<string, string> = {};

beforeAll(async () => {
  db = testDb.db;
  ({ agent, alice, bob } = await makeDeskActors(db));
  agentP = sessionOf(agent, "agent");
  aliceP = sessionOf(alice, "requester");
  bobP = sessionOf(bob, "requester");
  const file = async (tag: string, email: string, principal: Principal | null, source: "api" | "web" = "api") => {
    const { ticket } = await createTicket(
      db,
      { title: `Ticket ${tag} about the printer`, description: `The printer ${tag} jams on every page`, email, category: "hardware" },
      { principal, defaultSource: source },
    );
    keys[tag] = ticket.key;
  };
  await file("alice1", alice.email, agentP);
  await file("alice2", alice.email, aliceP);
  await file("aliceUnverified", alice.email, null, "web"); // a signed-out visitor typed alice's address
  await file("bob1", bob.email, agentP);
});

const run = (op: AssistantOp, p: Principal) => executeOp(db, op, p);
const row = async (key: string) => (await db.select().from(tickets).where(eq(tickets.key, key)))[0];
const kindOf = <K extends AssistantData["kind"]>(d: AssistantData | null, kind: K) => {
  expect(d?.kind).toBe(kind);
  return d as Extract<AssistantData, { kind: K }>;
};

describe("requesters", () => {
  it("cannot close someone else's ticket: 404, ticket unchanged", async () => {
    const before = await row(keys.bob1);
    for (const op of [
      { op: "resolve", key: keys.bob1, status: "closed", resolution: "not mine" },
      { op: "update", key: keys.bob1, status: "closed" },
      { op: "assign", key: keys.bob1, assignee: "me" },
      { op: "comment", key: keys.bob1, body: "hello", internal: false },
      { op: "show", key: keys.bob1 },
    ] as AssistantOp[]) {
      const e = await rejection(run(op, aliceP));
      expect(e.status, op.op).toBe(404);
    }
    expect(await row(keys.bob1)).toEqual(before);
  });

  it("cannot change their own ticket by update or resolve: 403", async () => {
    const before = await row(keys.alice1);
    expect((await rejection(run({ op: "update", key: keys.alice1, status: "closed" }, aliceP))).status).toBe(403);
    expect((await rejection(run({ op: "update", key: keys.alice1, note: "secret" }, aliceP))).status).toBe(403);
    expect((await rejection(run({ op: "resolve", key: keys.alice1, status: "closed" }, aliceP))).status).toBe(403);
    expect((await rejection(run({ op: "assign", key: keys.alice1, assignee: "agent" }, aliceP))).status).toBe(403);
    expect((await rejection(run({ op: "comment", key: keys.alice1, body: "internal?", internal: true }, aliceP))).status).toBe(403);
    expect(await row(keys.alice1)).toEqual(before);
    expect(await db.select().from(ticketComments).where(eq(ticketComments.ticketId, before.id))).toEqual([]);
  });

  it("cannot see unconfirmed tickets filed under their address, by show or list", async () => {
    expect((await rejection(run({ op: "show", key: keys.aliceUnverified }, aliceP))).status).toBe(404);
    const r = await run({ op: "list", filter: {} }, aliceP);
    const d = kindOf(r.data, "tickets");
    expect(d.tickets.map((t) => t.key).sort()).toEqual([keys.alice1, keys.alice2].sort());
    expect(d.total).toBe(2);
    expect(d.tickets.every((t) => t.href === `/requests/${t.key}`)).toBe(true);
    // Naming someone else's e-mail does not widen it.
    const other = kindOf((await run({ op: "list", filter: { requester: bob.email } }, aliceP)).data, "tickets");
    expect(other).toMatchObject({ tickets: [], total: 0 });
    const counted = kindOf((await run({ op: "stats", metric: "tickets" }, aliceP)).data, "stats");
    expect(counted.count).toBe(2);
    // A requester's "my tickets" (the grammar's assignee "me") are the ones they filed.
    const mine = kindOf((await run({ op: "list", filter: { assignee: "me" } }, aliceP)).data, "tickets");
    expect(mine.tickets.map((t) => t.key).sort()).toEqual([keys.alice1, keys.alice2].sort());
  });

  it("do not get the staff list when a person is unknown", async () => {
    const e = await rejection(run({ op: "list", filter: { assignee: "nobody-like-this" } }, aliceP));
    expect(e.status).toBe(422);
    expect(e.details).not.toHaveProperty("candidates");
  });

  it("cannot file for someone else, count breaches, run bulk changes or create categories", async () => {
    const before = await tableCounts(db);
    expect((await rejection(run({ op: "create", title: "For bob", requester: bob.email }, aliceP))).status).toBe(403);
    expect((await rejection(run({ op: "stats", metric: "breaches" }, aliceP))).status).toBe(403);
    expect((await rejection(run({ op: "bulk", filter: { requester: "me" }, action: { status: "closed" } }, aliceP))).status).toBe(403);
    expect((await rejection(run({ op: "create_category", name: "Mine", team: "service-desk" }, aliceP))).status).toBe(403);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("a bulk token does not work for another caller, even a requester", async () => {
    const d = kindOf((await run({ op: "bulk", filter: { requester: bob.email }, action: { status: "closed" } }, agentP)).data, "confirm");
    expect((await rejection(executeConfirmed(db, d.token, bobP))).status).toBe(400);
    expect((await row(keys.bob1)).status).toBe("new");
  });
});

describe("agents", () => {
  it("cannot create categories: 403 and no row", async () => {
    const e = await rejection(run({ op: "create_category", name: "Printers", team: "end-user-computing" }, agentP));
    expect(e.status).toBe(403);
    expect(await db.select().from(categories).where(eq(categories.slug, "printers"))).toEqual([]);
  });

  it("get 400 (not 500) for an op that does not parse and 404 for an unknown ticket", async () => {
    const bad = await rejection(executeOp(db, { op: "show", key: "T-0" } as AssistantOp, agentP));
    expect(bad.status).toBe(400);
    const bad2 = await rejection(executeOp(db, { op: "drop_tables" } as unknown as AssistantOp, agentP));
    expect(bad2.status).toBe(400);
    expect((await rejection(run({ op: "show", key: "T-999999" }, agentP))).status).toBe(404);
    expect((await rejection(run({ op: "resolve", key: "T-9999999999999999", status: "closed" }, agentP))).status).toBe(404);
    expect((await rejection(run({ op: "update", key: keys.bob1, team: "no-such-team" }, agentP))).status).toBe(422);
  });

  it("get 409 from a duplicate category name, not 500", async () => {
    const admin = sessionOf(await makeActor(db, "boss@corp.test", "admin"), "admin");
    await run({ op: "create_category", name: "Phones", team: "end-user-computing" }, admin);
    const e = await rejection(run({ op: "create_category", name: "Phones", team: "end-user-computing" }, admin));
    expect(e.status).toBe(409);
    expect((await rejection(run({ op: "create_category", name: "Tablets", team: "no-such-team" }, admin))).status).toBe(422);
  });
});

describe("API keys", () => {
  it("file for the named requester, else the key's default e-mail, with source api", async () => {
    const withDefault = await integrationKey(db, "monitoring", "agent", "ops@corp.test");
    const named = await run({ op: "create", title: "Disk full on db01", requester: "dba@corp.test" }, withDefault);
    const fallback = await run({ op: "create", title: "Disk full on db02" }, withDefault);
    const a = kindOf(named.data, "ticket").ticket;
    const b = kindOf(fallback.data, "ticket").ticket;
    expect([a.requester, b.requester]).toEqual(["dba@corp.test", "ops@corp.test"]);
    expect((await row(a.key)).source).toBe("api");
  });

  it("without a requester or default e-mail: 422 saying how to fix it, nothing filed", async () => {
    const bare = await integrationKey(db, "bare", "agent");
    const before = await tableCounts(db);
    const e = await rejection(run({ op: "create", title: "Disk full on db03" }, bare));
    expect(e.status).toBe(422);
    expect(e.message).toContain('"for name@example.com"');
    expect(e.message).toContain("--default-email");
    expect(await tableCounts(db)).toEqual(before);
    // "me" means nobody for a key without a person.
    expect((await rejection(run({ op: "assign", key: keys.bob1, assignee: "me" }, bare))).status).toBe(422);
  });
});
