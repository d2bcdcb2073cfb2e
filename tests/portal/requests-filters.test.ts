import { beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import type { Principal } from "@/lib/auth/principal";
import { countRequests, parseRequestFilter } from "@/lib/portal/request-filters";
import { requesterMove } from "@/lib/portal/requester-status";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
let agent: Actor, alice: Actor;
const principalOf = (a: Actor): Principal => ({ kind: "user", id: a.id, role: "requester", userId: a.id, email: a.email, label: a.email });

beforeAll(async () => {
  ({ agent, alice } = await makeDeskActors(t.db));
});

it("requesterMove: solve while worked on, reopen inside the window, a new request after it or once closed", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  for (const status of ["new", "open", "in_progress", "waiting"] as const) expect(requesterMove({ status, resolvedAt: null }, now, 7)).toEqual({ kind: "solve" });
  expect(requesterMove({ status: "resolved", resolvedAt: "2026-03-03T12:00:00Z" }, now, 7)).toEqual({ kind: "reopen", until: "2026-03-10T12:00:00.000Z" });
  expect(requesterMove({ status: "resolved", resolvedAt: "2026-03-03T11:59:59Z" }, now, 7)).toEqual({ kind: "new_request", reason: "window_passed" });
  expect(requesterMove({ status: "resolved", resolvedAt: "2026-03-10T11:00:00Z" }, now, 0)).toEqual({ kind: "new_request", reason: "window_passed" });
  expect(requesterMove({ status: "closed", resolvedAt: "2026-03-10T11:00:00Z" }, now, 7)).toEqual({ kind: "new_request", reason: "closed" });
});

it("parseRequestFilter defaults to open", () => {
  expect(parseRequestFilter(undefined)).toBe("open");
  expect(parseRequestFilter("closed")).toBe("closed");
  expect(parseRequestFilter(["all", "open"])).toBe("all");
  expect(parseRequestFilter("everything")).toBe("open");
});

it("countRequests counts the requester's own confirmed tickets per tab", async () => {
  const keys: string[] = [];
  for (const title of ["Mouse broken", "Keyboard sticky", "Screen dim"]) {
    const r = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title, description: `${title} since this morning`, email: alice.email } });
    keys.push(r.body.ticket.key);
  }
  const resolve = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${keys[0]}`, key: agent.key, params: { key: keys[0] }, body: { status: "resolved" } });
  expect(resolve.status).toBe(200);
  // Someone else's ticket and Alice's unconfirmed one do not count.
  await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title: "Other", description: "Someone else's problem", email: "carol@corp.test" } });
  await t.db.execute(sql`UPDATE tickets SET requester_verified = false WHERE key = ${keys[2]}`);
  expect(await countRequests(t.db, principalOf(alice))).toEqual({ open: 1, closed: 1, all: 2 });
});
