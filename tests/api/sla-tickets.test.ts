import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import { resetEnvForTests } from "@/lib/env";
import { moveTestClock } from "@/lib/sla/now";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let alice: Actor;

const vpn = { title: "VPN disconnects every hour", description: "Since Monday my VPN drops every hour and I lose my remote desktop session" };
const LIST_EMAIL = "sla-list@corp.test";

async function file(body: Record<string, unknown> = {}, who: Actor = agent) {
  const r = await call(ticketsRoute.POST, { path: "/api/tickets", key: who.key, body: { ...vpn, email: LIST_EMAIL, priority: "P1", category: "hardware", ...body } });
  expect(r.status).toBe(201);
  return r.body.ticket as { key: string; sla: Record<string, unknown> | null };
}
const idOf = (key: string) => Number(key.slice(2));
const get = (key: string, who: Actor = agent) => call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: who.key, params: { key } });
const list = (qs: string, who: Actor = agent) => call(ticketsRoute.GET, { path: `/api/tickets?${qs}`, key: who.key });
const keys = (r: { body: { items: { key: string }[] } }) => r.body.items.map((i) => i.key);

beforeAll(async () => {
  db = testDb.db;
  ({ agent, alice } = await makeDeskActors(db));
});

describe("the ticket JSON's sla", () => {
  it("POST and GET carry {policy, firstResponseDueAt, resolutionDueAt, nextResponseDueAt, state, remainingS}; requesters see it too", async () => {
    const created = await file({ email: alice.email }, alice);
    expect(created.sla).toMatchObject({ policy: "P1 critical", state: "on_track", nextResponseDueAt: null, activeTarget: "first_response" });
    const r = await get(created.key);
    const sla = r.body.ticket.sla;
    expect(Object.keys(sla)).toEqual(expect.arrayContaining(["policy", "firstResponseDueAt", "resolutionDueAt", "nextResponseDueAt", "state", "remainingS"]));
    expect(Date.parse(sla.resolutionDueAt) - Date.parse(sla.firstResponseDueAt)).toBe(4 * 3600_000 - 15 * 60_000);
    expect(sla.remainingS).toBeGreaterThan(14 * 60);
    expect(sla.remainingS).toBeLessThanOrEqual(15 * 60);
    expect(sla.calendar).toMatchObject({ name: "24×7", alwaysOpen: true, holidays: [] });
    expect(sla.targets.map((t: { target: string }) => t.target)).toEqual(["first_response", "resolution"]);
    expect((await get(created.key, alice)).body.ticket.sla.policy).toBe("P1 critical");
    const page = await list(`email=${alice.email}`, alice);
    expect(page.body.items[0].sla.policy).toBe("P1 critical");
  });

  it("PATCH returns the recomputed sla; a ticket without a policy has sla: null", async () => {
    const t = await file({ email: "sla-other@corp.test" });
    const p = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${t.key}`, key: agent.key, params: { key: t.key }, body: { priority: "P4" } });
    expect(p.body.ticket.sla.policy).toBe("P4 low");
    await db.execute(sql`DELETE FROM ticket_slas WHERE ticket_id = ${idOf(t.key)}`);
    expect((await get(t.key)).body.ticket.sla).toBeNull();
  });
});

describe("GET /api/tickets?sla=…&sort=due", () => {
  const made: Record<string, string> = {};
  beforeAll(async () => {
    // Filed in this order; each clock is then moved with SQL to a known state.
    made.breached = (await file()).key;
    made.atRisk = (await file()).key;
    made.onTrack = (await file()).key;
    made.paused = (await file()).key;
    made.low = (await file({ priority: "P4" })).key;
    made.none = (await file()).key;
    made.met = (await file()).key;
    await db.execute(sql`UPDATE ticket_slas SET first_response_due_at = now() - interval '1 minute', first_response_warn_at = now() - interval '5 minutes'
                         WHERE ticket_id = ${idOf(made.breached)}`);
    await db.execute(sql`UPDATE ticket_slas SET first_response_due_at = now() + interval '2 minutes', first_response_warn_at = now() - interval '1 minute'
                         WHERE ticket_id = ${idOf(made.atRisk)}`);
    const w = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${made.paused}`, key: agent.key, params: { key: made.paused }, body: { status: "waiting" } });
    expect(w.body.ticket.sla.state).toBe("paused");
    await db.execute(sql`DELETE FROM ticket_slas WHERE ticket_id = ${idOf(made.none)}`);
    const r = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${made.met}`, key: agent.key, params: { key: made.met }, body: { status: "closed" } });
    expect(r.body.ticket.sla.state).toBe("met");
  });
  afterAll(() => {
    delete process.env.SWITCHBOARD_TEST_CLOCK;
    resetEnvForTests();
  });

  it("filters by state, computed in SQL like the JSON's state", async () => {
    const scope = `email=${LIST_EMAIL}`;
    expect(keys(await list(`${scope}&sla=breached`))).toEqual([made.breached]);
    expect(keys(await list(`${scope}&sla=at_risk`))).toEqual([made.atRisk]);
    expect(keys(await list(`${scope}&sla=paused`))).toEqual([made.paused]);
    expect(keys(await list(`${scope}&sla=met`))).toEqual([made.met]);
    expect(keys(await list(`${scope}&sla=on_track`))).toEqual([made.low, made.onTrack]);
    const both = await list(`${scope}&sla=at_risk,breached`);
    expect(keys(both)).toEqual([made.atRisk, made.breached]);
    expect(both.body.items.map((i: { sla: { state: string } }) => i.sla.state)).toEqual(["at_risk", "breached"]);
    expect(keys(await list(`${scope}&sla=breached&sla=paused`))).toEqual([made.paused, made.breached]);
  });

  it("sort=due: the active target's due time first, tickets without one last; pages follow the same order", async () => {
    const scope = `email=${LIST_EMAIL}`;
    const all = keys(await list(`${scope}&sort=due`));
    // met (all targets met) and no clock both have no due time: last, by id
    expect(all).toEqual([made.breached, made.atRisk, made.onTrack, made.paused, made.low, made.none, made.met]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await list(`${scope}&sort=due&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(r.status).toBe(200);
      seen.push(...keys(r));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(keys(await list(`${scope}&sort=due&sla=at_risk,breached`))).toEqual([made.breached, made.atRisk]);
  });

  it("the filter follows the test clock (SWITCHBOARD_TEST_CLOCK + moveTestClock)", async () => {
    process.env.SWITCHBOARD_TEST_CLOCK = "1";
    resetEnvForTests();
    await moveTestClock(db, { setMs: 13 * 60_000 }); // 13 of 15 minutes used: at risk
    const r = await list(`email=${LIST_EMAIL}&sla=at_risk`);
    expect(keys(r)).toContain(made.onTrack);
    expect(r.body.items.find((i: { key: string }) => i.key === made.onTrack).sla.state).toBe("at_risk");
    await moveTestClock(db, { setMs: 16 * 60_000 });
    expect(keys(await list(`email=${LIST_EMAIL}&sla=breached`))).toContain(made.onTrack);
    await moveTestClock(db, { setMs: 0 });
  });

  it("bad values are a 400", async () => {
    for (const qs of ["sla=late", "sla=", "sort=oldest", "sort=due&sort=due", "sort=due&q=vpn"]) {
      const r = await list(qs);
      expect(r.status, qs).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
    const page = await list(`email=${LIST_EMAIL}&limit=1`);
    expect((await list(`sort=due&cursor=${page.body.nextCursor}`)).status).toBe(400);
    const duePage = await list(`email=${LIST_EMAIL}&limit=1&sort=due`);
    expect((await list(`cursor=${duePage.body.nextCursor}`)).status).toBe(400);
  });
});
