import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let agent2: Actor;
let alice: Actor;
let bob: Actor;

async function create(key: string, body: Record<string, unknown>) {
  return call(ticketsRoute.POST, { path: "/api/tickets", key, body });
}

beforeAll(async () => {
  db = testDb.db;
  ({ agent, agent2, alice, bob } = await makeDeskActors(db));
});

describe("GET /api/tickets", () => {
  let keys: Record<string, string> = {};
  beforeAll(async () => {
    // a controlled set: distinct categories/priorities/requesters, created a minute apart
    const specs = [
      { tag: "a1", email: alice.email, category: "hardware", priority: "P2", title: "Laptop battery swelling", description: "My laptop battery is swollen and the case is bending" },
      { tag: "a2", email: alice.email, category: "access", priority: "P3", title: "VPN login rejected", description: "VPN rejects my password since the reset yesterday" },
      { tag: "b1", email: bob.email, category: "storage", priority: "P4", title: "Mailbox quota nearly full", description: "Outlook says my mailbox quota is almost full, please increase" },
      { tag: "b2", email: bob.email, category: "hardware", priority: "P1", title: "Projector dead in boardroom", description: "Board meeting in one hour and the projector will not power on" },
    ];
    for (const s of specs) {
      const res = await create(agent.key, { title: s.title, description: s.description, email: s.email, category: s.category, priority: s.priority });
      expect(res.status).toBe(201);
      keys[s.tag] = res.body.ticket.key;
    }
    await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${keys.a1}`, key: agent.key, params: { key: keys.a1 }, body: { status: "in_progress", assignee: agent.id } });
    await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${keys.b2}`, key: agent.key, params: { key: keys.b2 }, body: { assignee: agent2.id } });
  });

  const list = (query: string, key = agent.key) => call(ticketsRoute.GET, { path: `/api/tickets?${query}`, key });

  it("lists newest first", async () => {
    const res = await list("limit=100");
    expect(res.status).toBe(200);
    const created = res.body.items.map((t: { createdAt: string }) => Date.parse(t.createdAt));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    const ids = res.body.items.map((t: { key: string }) => Number(t.key.slice(2)));
    expect(ids[0]).toBeGreaterThan(ids[ids.length - 1]);
  });

  it("filters by status, priority, category, team, assignee and email", async () => {
    const keysOf = (r: { body: { items: { key: string }[] } }) => r.body.items.map((t) => t.key);
    expect(keysOf(await list("status=in_progress"))).toEqual([keys.a1]);
    expect(keysOf(await list("priority=P1"))).toEqual([keys.b2]);
    expect(keysOf(await list("priority=P1,P4"))).toEqual([keys.b2, keys.b1]);
    expect(keysOf(await list("category=storage"))).toEqual([keys.b1]);
    expect(keysOf(await list("team=identity-access&category=access"))).toEqual([keys.a2]);
    expect(keysOf(await list(`assignee=${agent2.id}`))).toEqual([keys.b2]);
    expect(keysOf(await list("assignee=me"))).toEqual([keys.a1]);
    expect(keysOf(await list(`email=${bob.email}`))).toEqual([keys.b2, keys.b1]);
    const unassigned = keysOf(await list("assignee=none&limit=100"));
    expect(unassigned).toContain(keys.a2);
    expect(unassigned).not.toContain(keys.a1);
    const all = await list("status=new,open,in_progress&category=hardware");
    expect(keysOf(all)).toEqual([keys.b2, keys.a1]);
  });

  it("searches full text over title and description, and by key", async () => {
    const keysOf = (r: { body: { items: { key: string }[] } }) => r.body.items.map((t) => t.key);
    expect(keysOf(await list("q=projector")).includes(keys.b2)).toBe(true);
    expect(keysOf(await list(`q=${encodeURIComponent("mailbox quota")}`))).toEqual([keys.b1]);
    expect(keysOf(await list(`q=${encodeURIComponent("battery swollen")}`))).toEqual([keys.a1]); // stemming: swelling/swollen via description
    expect(keysOf(await list(`q=${keys.a2.toLowerCase()}`))).toEqual([keys.a2]);
    expect((await list("q=zzzyxx")).body.items).toEqual([]);
  });

  it("paginates with a cursor without gaps or repeats", async () => {
    const all = (await list("limit=100")).body.items.map((t: { key: string }) => t.key);
    expect(all.length).toBe(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { key: string }[]; nextCursor: string | null } } = await list(`limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.body.items.map((t) => t.key));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual(all);
    const bad = await list("cursor=garbage");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_error");
  });

  it("shows requesters only their own tickets, whatever the filter", async () => {
    const mine = await list("limit=100", alice.key);
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((t: { email: string }) => t.email === alice.email)).toBe(true);
    const sneaky = await list(`email=${bob.email}`, alice.key);
    expect(sneaky.body.items).toEqual([]);
  });

  it("rejects anonymous callers and bad filters", async () => {
    expect((await call(ticketsRoute.GET, { path: "/api/tickets" })).status).toBe(401);
    for (const q of ["status=sleeping", "priority=P9", "limit=101", "limit=0", "assignee=bob", "unknown=1", "category=Not A Slug"]) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
  });
});

