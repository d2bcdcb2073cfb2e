import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import { createTicket } from "@/lib/tickets/create-ticket";
import { countTickets } from "@/lib/tickets/list-tickets";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { sessionOf } from "../assistant/execute-helpers";

/* GET /api/tickets?createdFrom=…&createdTo=…&waitingReason=…, and countTickets over the same filters. */

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let alice: Actor;
const keys: Record<string, string> = {};

beforeAll(async () => {
  db = testDb.db;
  ({ agent, alice } = await makeDeskActors(db));
  const staff = sessionOf(agent, "agent");
  const specs = [
    { tag: "nov20", at: "2026-11-20T10:00:00Z", title: "Docking station flickers" },
    { tag: "nov23", at: "2026-11-23T00:00:00Z", title: "Keyboard keys stuck" },
    { tag: "nov25", at: "2026-11-25T15:30:00Z", title: "Monitor cable missing" },
  ];
  for (const s of specs) {
    const { ticket } = await createTicket(
      db,
      { title: s.title, description: `${s.title} since this morning, please help`, email: alice.email, category: "hardware" },
      { principal: staff, defaultSource: "api", createdAt: new Date(s.at) },
    );
    keys[s.tag] = ticket.key;
  }
  await updateTicket(db, keys.nov20, { status: "waiting", waitingReason: "third_party" }, staff);
  await updateTicket(db, keys.nov25, { status: "waiting", waitingReason: "requester" }, staff);
});

const list = (query: string, key = agent.key) => call(ticketsRoute.GET, { path: `/api/tickets?${query}`, key });
const keysOf = (r: { body: { items: { key: string }[] } }) => r.body.items.map((t) => t.key);

describe("GET /api/tickets created range and waiting reason", () => {
  it("createdFrom is inclusive and createdTo exclusive", async () => {
    const from = await list(`createdFrom=${encodeURIComponent("2026-11-23T00:00:00Z")}`);
    expect(from.status).toBe(200);
    expect(keysOf(from)).toEqual([keys.nov25, keys.nov23]);
    const to = await list(`createdTo=${encodeURIComponent("2026-11-23T00:00:00Z")}`);
    expect(keysOf(to)).toEqual([keys.nov20]);
    const both = await list(`createdFrom=2026-11-21T00:00:00%2B01:00&createdTo=2026-11-25T15:30:00Z`);
    expect(keysOf(both)).toEqual([keys.nov23]);
  });

  it("filters by waitingReason", async () => {
    expect(keysOf(await list("waitingReason=third_party"))).toEqual([keys.nov20]);
    expect(keysOf(await list("waitingReason=requester"))).toEqual([keys.nov25]);
    expect(keysOf(await list("waitingReason=requester&createdTo=2026-11-24T00:00:00Z"))).toEqual([]);
  });

  it("applies the filters for requesters on top of their visibility", async () => {
    expect(keysOf(await list("createdFrom=2026-11-23T00:00:00Z", alice.key))).toEqual([keys.nov25, keys.nov23]);
  });

  it("answers 400 for a malformed instant or waiting reason", async () => {
    for (const q of ["createdFrom=yesterday", "createdTo=2026-11-23", "waitingReason=vendor", "createdFrom=2026-11-23T00:00:00Z&createdFrom=2026-11-24T00:00:00Z"]) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
  });

  it("countTickets uses the same filters and visibility, null above the cap", async () => {
    const staff = sessionOf(agent, "agent");
    expect(await countTickets(db, { createdFrom: "2026-11-23T00:00:00Z" }, staff)).toBe(2);
    expect(await countTickets(db, { waitingReason: "third_party" }, staff)).toBe(1);
    expect(await countTickets(db, {}, staff, 2)).toBeNull();
    expect(await countTickets(db, {}, staff, 3)).toBe(3);
    expect(await countTickets(db, { q: "keyboard" }, staff)).toBe(1);
    expect(await countTickets(db, { q: keys.nov20 }, staff)).toBe(1);
    expect(await countTickets(db, {}, sessionOf(agent, "requester"))).toBe(0); // the agent requested none of them
  });
});
