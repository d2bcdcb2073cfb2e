import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import type { Principal } from "@/lib/auth/principal";
import { listFollowUps } from "@/lib/tickets/follow-ups";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * listFollowUps (lib/tickets/follow-ups.ts): the tickets filed as follow-ups of one ticket,
 * as the ticket pages list them ("Follow-ups: T-x, T-y"), with the requester visibility rule of
 * assertCanRead / listTickets: agents see all, a requester only their own confirmed tickets.
 */

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let alice: Actor;
let bob: Actor;

const idOf = (key: string) => Number(key.slice(2));
const person = (a: Actor, role: Principal["role"]): Principal => ({ kind: "user", id: a.id, role, userId: a.id, email: a.email, label: a.email });

async function file(email: string, title: string): Promise<string> {
  const r = await call(ticketsRoute.POST, {
    path: "/api/tickets",
    key: agent.key,
    body: { title, description: "The office printer on floor 3 jams on every second page since this morning", email },
  });
  expect(r.status).toBe(201);
  return r.body.ticket.key as string;
}

let old: string;
let viaReply: string;
let bobsLinked: string;
let unverifiedLinked: string;

beforeAll(async () => {
  db = testDb.db;
  ({ agent, alice, bob } = await makeDeskActors(db));
  old = await file(alice.email, "Printer jams");
  const closed = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${old}`, key: agent.key, params: { key: old }, body: { status: "closed" } });
  expect(closed.status).toBe(200);
  // Alice's reply on her closed ticket files a follow-up (lib/tickets/lifecycle.ts).
  const r = await call(commentsRoute.POST, {
    path: `/api/tickets/${old}/comments`,
    key: alice.key,
    params: { key: old },
    body: { body: "It jams again", internal: false },
  });
  expect(r.status).toBe(201);
  viaReply = r.body.followUp.key as string;
  // Two more links made by hand: one under Bob's e-mail, one under Alice's but unconfirmed.
  bobsLinked = await file(bob.email, "Printer jams for me too");
  unverifiedLinked = await file(alice.email, "Printer jams (claimed)");
  await db.execute(sql`UPDATE tickets SET follow_up_of_id = ${idOf(old)} WHERE id IN (${idOf(bobsLinked)}, ${idOf(unverifiedLinked)})`);
  await db.execute(sql`UPDATE tickets SET requester_verified = false WHERE id = ${idOf(unverifiedLinked)}`);
  await file(alice.email, "Unrelated: monitor flickers");
});

describe("listFollowUps", () => {
  it("an agent sees every follow-up, oldest first, with key, title, status and creation time", async () => {
    const found = await listFollowUps(db, idOf(old), person(agent, "agent"));
    expect(found.map((f) => f.key)).toEqual([viaReply, bobsLinked, unverifiedLinked]);
    expect(found[0]).toMatchObject({ key: viaReply, status: "new", title: "Follow-up: Printer jams" });
    expect(Number.isNaN(Date.parse(found[0].createdAt))).toBe(false);
  });

  it("the requester sees only their own confirmed follow-ups", async () => {
    const found = await listFollowUps(db, idOf(old), person(alice, "requester"));
    expect(found.map((f) => f.key)).toEqual([viaReply]);
  });

  it("another requester sees none of the owner's (only their own linked ticket, if any)", async () => {
    const carol: Principal = { kind: "user", id: "00000000-0000-4000-8000-00000000c0c0", role: "requester", userId: null, email: "carol@corp.test", label: "carol" };
    expect(await listFollowUps(db, idOf(old), carol)).toEqual([]);
    expect((await listFollowUps(db, idOf(old), person(bob, "requester"))).map((f) => f.key)).toEqual([bobsLinked]);
  });

  it("a requester principal without an e-mail and a ticket without follow-ups give none", async () => {
    expect(await listFollowUps(db, idOf(old), { ...person(alice, "requester"), email: null })).toEqual([]);
    expect(await listFollowUps(db, idOf(viaReply), person(agent, "agent"))).toEqual([]);
  });

  it("the follow-up's own page data names the old ticket", async () => {
    const r = await call(ticketRoute.GET, { path: `/api/tickets/${viaReply}`, key: agent.key, params: { key: viaReply } });
    expect(r.body.ticket.followUpOf).toBe(old);
  });
});
