import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import { markTicketRead } from "@/lib/workspace/reads";
import type { Principal } from "@/lib/auth/principal";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
let agent: Actor, alice: Actor;
const keys: string[] = [];
const PRIOS = ["P3", "P1", "P4", "P2", "P1", "P3", "P2"];

const list = (query: string, who: Actor = agent) => call(ticketsRoute.GET, { path: `/api/tickets?${query}`, key: who.key });
const keysOf = (r: { body: { items: { key: string }[] } }) => r.body.items.map((i) => i.key);
const idOf = (key: string) => Number(key.slice(2));

beforeAll(async () => {
  ({ agent, alice } = await makeDeskActors(t.db));
  for (let i = 0; i < PRIOS.length; i++) {
    const r = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: agent.key,
      body: { title: `Ordering ticket number ${i}`, description: `Ticket ${i} for the ordering tests of the list`, email: alice.email, priority: PRIOS[i], team: "service-desk" },
    });
    expect(r.status).toBe(201);
    keys.push(r.body.ticket.key);
  }
  // created i hours ago (ticket 0 oldest); updated in the reverse order (ticket 0 most recently).
  for (let i = 0; i < keys.length; i++) {
    await t.db.execute(sql`UPDATE tickets SET created_at = now() - make_interval(hours => ${100 - i}),
      updated_at = now() - make_interval(mins => ${i}) WHERE id = ${idOf(keys[i])}`);
  }
  await t.db.execute(sql`INSERT INTO ticket_tags (ticket_id, tag) VALUES (${idOf(keys[1])}, 'vip'), (${idOf(keys[4])}, 'vip')`);
});

/** Walk every page forward with `limit`, then back with `before` from the last page. */
async function walk(query: string, limit: number) {
  const pages: string[][] = [];
  let r = await list(`${query}&limit=${limit}`);
  expect(r.status).toBe(200);
  expect(r.body.prevCursor).toBeNull();
  pages.push(keysOf(r));
  while (r.body.nextCursor) {
    r = await list(`${query}&limit=${limit}&cursor=${r.body.nextCursor}`);
    expect(r.status).toBe(200);
    expect(r.body.prevCursor).not.toBeNull();
    pages.push(keysOf(r));
  }
  const back: string[][] = [keysOf(r)];
  while (r.body.prevCursor) {
    r = await list(`${query}&limit=${limit}&before=${r.body.prevCursor}`);
    expect(r.status).toBe(200);
    expect(r.body.nextCursor).not.toBeNull();
    back.unshift(keysOf(r));
  }
  return { forward: pages.flat(), pages, back };
}

describe("sorts with next and previous pages", () => {
  const mine = "team=service-desk&email=alice@corp.test";

  it("created: newest first; previous pages mirror the next ones", async () => {
    const { forward, pages, back } = await walk(mine, 3);
    expect(forward).toEqual([...keys].reverse());
    expect(back).toEqual(pages);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
  });

  it("updated: most recently changed first", async () => {
    const { forward, pages, back } = await walk(`${mine}&sort=updated`, 2);
    expect(forward).toEqual(keys);
    expect(back).toEqual(pages);
  });

  it("priority: P1 first, then newest", async () => {
    const { forward, pages, back } = await walk(`${mine}&sort=priority`, 2);
    const expected = keys
      .map((k, i) => ({ k, p: PRIOS[i], i }))
      .sort((a, b) => a.p.localeCompare(b.p) || b.i - a.i)
      .map((x) => x.k);
    expect(forward).toEqual(expected);
    expect(back).toEqual(pages);
  });

  it("a full-text search pages back to exactly the pages it went through", async () => {
    const { forward, pages, back } = await walk(`${mine}&q=ordering`, 3);
    expect(forward).toEqual([...keys].reverse());
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(back).toEqual(pages);
  });

  it("due: pages both ways (tickets without an SLA last, by id)", async () => {
    const { forward, pages, back } = await walk(`${mine}&sort=due`, 3);
    expect([...forward].sort()).toEqual([...keys].sort());
    expect(back).toEqual(pages);
  });

  it("cursor and before together, or a cursor from another sort, are a 400", async () => {
    const first = await list(`${mine}&limit=2`);
    const c = first.body.nextCursor;
    expect((await list(`${mine}&limit=2&cursor=${c}&before=${c}`)).status).toBe(400);
    expect((await list(`${mine}&limit=2&sort=priority&cursor=${c}`)).status).toBe(400);
    expect((await list(`${mine}&limit=2&sort=updated&before=${c}`)).status).toBe(400);
    expect((await list(`${mine}&before=bm9wZQ`)).status).toBe(400);
    expect((await list(`${mine}&sort=oldest`)).status).toBe(400);
    expect((await list(`${mine}&sort=priority&q=printer`)).status).toBe(400);
  });
});

describe("tag filter, total and unread", () => {
  it("tag keeps the tickets carrying it; a malformed tag is a 400", async () => {
    const r = await list("tag=vip");
    expect(r.status).toBe(200);
    expect(keysOf(r).sort()).toEqual([keys[1], keys[4]].sort());
    expect(keysOf(await list("tag=nothing-here"))).toEqual([]);
    expect((await list("tag=Not%20A%20Tag")).status).toBe(400);
  });

  it("unread: never opened, or the requester wrote since the agent last opened it", async () => {
    const principal: Principal = { kind: "user", id: agent.id, role: "agent", userId: agent.id, email: agent.email, label: "agent" };
    const unread = async (key: string) => (await list(`q=${key}`)).body.items[0].unread;
    expect(await unread(keys[0])).toBe(true);
    await markTicketRead(t.db, principal, idOf(keys[0]));
    expect(await unread(keys[0])).toBe(false);
    // The requester replies later: unread again.
    const c = await call(commentsRoute.POST, { path: `/api/tickets/${keys[0]}/comments`, key: alice.key, params: { key: keys[0] }, body: { body: "Any news on this one?" } });
    expect(c.status).toBe(201);
    await t.db.execute(sql`UPDATE ticket_reads SET read_at = now() - interval '1 minute' WHERE ticket_id = ${idOf(keys[0])}`);
    expect(await unread(keys[0])).toBe(true);
    await markTicketRead(t.db, principal, idOf(keys[0]));
    expect(await unread(keys[0])).toBe(false);
    // Requesters never see the marker.
    expect((await list(`q=${keys[0]}`, alice)).body.items[0].unread).toBeUndefined();
  });
});
