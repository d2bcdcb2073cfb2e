import { beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as bulkRoute from "@/app/api/tickets/bulk/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, tableCounts, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { fileTicket } from "./bulk-helpers";

const t = useTestDb();
let agent: Actor, agent2: Actor, alice: Actor;

beforeAll(async () => {
  ({ agent, agent2, alice } = await makeDeskActors(t.db));
});

const bulk = (who: Actor | null, body: unknown) => call(bulkRoute.POST, { path: "/api/tickets/bulk", key: who?.key, body });
const get = (key: string) => call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: agent.key, params: { key } });
const patch = (key: string, body: unknown) => call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body });

it("assigns several tickets, one transaction each, and reports a closed ticket as a per-row failure", async () => {
  const keys = [await fileTicket(agent, alice.email, "Printer jams on floor 2"), await fileTicket(agent, alice.email, "Printer jams on floor 3")];
  const closed = await fileTicket(agent, alice.email, "Printer jams on floor 4");
  expect((await patch(closed, { status: "closed" })).status).toBe(200);

  // Assigning works on closed tickets through PATCH too; a status change does not: use one.
  const r = await bulk(agent, { keys: [...keys, closed, "T-999999"], action: { type: "status", status: "in_progress" } });
  expect(r.status).toBe(200);
  expect(r.body.summary).toEqual({ ok: 2, failed: 2 });
  expect(r.body.results.map((x: { key: string; ok: boolean }) => [x.key, x.ok])).toEqual([[keys[0], true], [keys[1], true], [closed, false], ["T-999999", false]]);
  expect(r.body.results[2].error.code).toBe("invalid_transition");
  expect(r.body.results[3].error.code).toBe("not_found");
  for (const k of keys) expect((await get(k)).body.ticket.status).toBe("in_progress");
  expect((await get(closed)).body.ticket.status).toBe("closed");

  const a = await bulk(agent, { keys: [keys[0], keys[1], keys[0]], action: { type: "assign", assignee: agent2.id } });
  expect(a.status).toBe(200);
  expect(a.body.summary).toEqual({ ok: 2, failed: 0 });
  for (const k of keys) expect((await get(k)).body.ticket.assignee.id).toBe(agent2.id);
  const audit = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'ticket.assignee_changed' AND entity_id IN (${keys[0]}, ${keys[1]})`);
  expect(audit[0].n).toBe(2);
});

it("sets priority and category, and closes with an internal note or a public reply", async () => {
  const [k1, k2] = [await fileTicket(agent, alice.email, "Laptop fan loud"), await fileTicket(agent, alice.email, "Laptop fan very loud")];
  expect((await bulk(agent, { keys: [k1, k2], action: { type: "priority", priority: "P1" } })).body.summary).toEqual({ ok: 2, failed: 0 });
  expect((await get(k1)).body.ticket.priority).toBe("P1");
  expect((await bulk(agent, { keys: [k1], action: { type: "category", category: "hardware" } })).body.summary.ok).toBe(1);
  expect((await get(k1)).body.ticket.category).toBe("hardware");

  const c = await bulk(agent, { keys: [k1, k2], action: { type: "close", note: "Fixed by the fan firmware update", public: true } });
  expect(c.body.summary).toEqual({ ok: 2, failed: 0 });
  const d = (await get(k2)).body;
  expect(d.ticket.status).toBe("closed");
  expect(d.comments.at(-1)).toMatchObject({ body: "Fixed by the fan firmware update", internal: false });

  // Closing again fails per row (closed is final) and adds no note.
  const again = await bulk(agent, { keys: [k1], action: { type: "close", note: "Again" } });
  expect(again.status).toBe(200);
  expect(again.body.results[0]).toMatchObject({ ok: false, error: { code: "invalid_transition" } });
  expect((await get(k1)).body.comments.filter((x: { body: string }) => x.body === "Again")).toHaveLength(0);
});

it("merges every selected ticket into the target, leaving the target out", async () => {
  const target = await fileTicket(agent, alice.email, "Wifi down in building A");
  const dups = [await fileTicket(agent, alice.email, "No wifi in building A"), await fileTicket(agent, alice.email, "Wifi broken building A")];
  const r = await bulk(agent, { keys: [target, ...dups], action: { type: "merge", into: target } });
  expect(r.status).toBe(200);
  expect(r.body.results.map((x: { key: string }) => x.key)).toEqual(dups);
  expect(r.body.summary).toEqual({ ok: 2, failed: 0 });
  for (const k of dups) expect((await get(k)).body.ticket.status).toBe("closed");
  expect((await get(target)).body.ticket.status).not.toBe("closed");
});

it("requesters cannot call it; bad input is a 4xx and changes nothing", async () => {
  const k = await fileTicket(agent, alice.email, "Monitor flickers");
  const before = await tableCounts(t.db);
  expect((await bulk(alice, { keys: [k], action: { type: "priority", priority: "P1" } })).status).toBe(403);
  expect((await bulk(null, { keys: [k], action: { type: "priority", priority: "P1" } })).status).toBe(401);
  const bad: unknown[] = [
    {},
    { keys: [], action: { type: "priority", priority: "P1" } },
    { keys: Array.from({ length: 101 }, (_, i) => `T-${i + 1}`), action: { type: "priority", priority: "P1" } },
    { keys: ["nonsense"], action: { type: "priority", priority: "P1" } },
    { keys: [k], action: { type: "priority", priority: "P9" } },
    { keys: [k], action: { type: "explode" } },
    { keys: [k], action: { type: "assign" } },
    { keys: [k], action: { type: "close", note: "  " } },
    { keys: [k], action: { type: "priority", priority: "P1", extra: 1 } },
  ];
  for (const body of bad) expect((await bulk(agent, body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
  const unknownCategory = await bulk(agent, { keys: [k], action: { type: "category", category: "no-such-thing" } });
  expect(unknownCategory.status).toBe(422);
  expect(unknownCategory.body.error.details.field).toBe("action.category");
  expect((await bulk(agent, { keys: [k], action: { type: "merge", into: "T-999999" } })).status).toBe(422);
  expect(await tableCounts(t.db)).toEqual(before);
});
