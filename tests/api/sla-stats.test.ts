import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import * as slaStatsRoute from "@/app/api/sla/stats/route";
import { openApiDocument } from "@/lib/http/openapi";
import { slaStats } from "@/lib/sla/stats";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * SLA reporting on fixed rows: tickets, ticket_slas and sla_breaches are inserted directly (no
 * clock service, no sweep), so every figure below is worked out by hand from this data.
 * Range: 2026-03-02 … 2026-03-04 (UTC days) = [2026-03-02T00:00Z, 2026-03-05T00:00Z).
 */
const testDb = useTestDb();
let db: Db;
let agent: Actor;
let admin: Actor;
let requester: Actor;

const T = (s: string) => `2026-03-${s}Z`;
type P = "P1" | "P2" | "P3" | "P4";
interface Row {
  name: string;
  priority: P;
  team: string | null;
  status: "new" | "open" | "in_progress" | "waiting" | "resolved" | "closed";
  waiting?: "requester" | "third_party";
  resolvedAt?: string;
  /** [business s, target s, met at] of the first response; due/warn when unmet. */
  fr: { s?: number; target: number; metAt?: string; due?: string; warn?: string };
  res: { s?: number; target: number; metAt?: string; due?: string; warn?: string };
  next?: { due: string; warn: string };
  pausedAt?: string;
  breaches?: { target: "first_response" | "next_response" | "resolution"; level: "warning" | "breach"; at: string; cycle?: number }[];
}

const FAR = T("31T00:00:00"); // due times in the far future of the range
const ROWS: Row[] = [
  // resolved in range
  { name: "A", priority: "P1", team: "identity-access", status: "resolved", resolvedAt: T("02T10:00:00"),
    fr: { s: 600, target: 900, metAt: T("02T09:00:00") }, res: { s: 3600, target: 14400, metAt: T("02T10:00:00") } },
  { name: "B", priority: "P1", team: "identity-access", status: "closed", resolvedAt: T("03T12:00:00"),
    fr: { s: 1200, target: 900, metAt: T("03T02:00:00") }, res: { s: 10000, target: 14400, metAt: T("03T12:00:00") },
    breaches: [{ target: "first_response", level: "warning", at: T("03T00:30:00") }, { target: "first_response", level: "breach", at: T("03T01:00:00") }] },
  { name: "C", priority: "P2", team: "end-user-computing", status: "resolved", resolvedAt: T("04T23:59:59"),
    fr: { s: 1800, target: 3600, metAt: T("04T08:00:00") }, res: { s: 20000, target: 28800, metAt: T("04T23:59:59") },
    breaches: [{ target: "resolution", level: "warning", at: T("04T20:00:00") }] },
  { name: "D", priority: "P3", team: null, status: "resolved", resolvedAt: T("04T05:00:00"),
    fr: { s: 100, target: 7200, metAt: T("01T20:00:00") }, res: { s: 90000, target: 86400, metAt: T("04T05:00:00") },
    breaches: [{ target: "resolution", level: "breach", at: T("04T04:00:00") }, { target: "next_response", level: "breach", at: T("02T05:00:00"), cycle: 1 }] },
  // resolved exactly at `to`: outside the range, and so is its breach
  { name: "E", priority: "P1", team: "identity-access", status: "resolved", resolvedAt: T("05T00:00:00"),
    fr: { s: 300, target: 900, metAt: T("04T10:00:00") }, res: { s: 20000, target: 14400, metAt: T("05T00:00:00") },
    breaches: [{ target: "resolution", level: "breach", at: T("05T00:00:00") }] },
  // resolved before the range, its unmet resolution long overdue (closed: never backlog); its breach at the range's first instant
  { name: "F", priority: "P2", team: "end-user-computing", status: "closed", resolvedAt: T("01T23:59:59"),
    fr: { s: 50, target: 3600, metAt: T("01T01:00:00") }, res: { target: 28800, due: T("01T12:00:00"), warn: T("01T10:00:00") },
    breaches: [{ target: "first_response", level: "breach", at: T("02T00:00:00") }] },
  // open tickets (backlog at 2026-03-04T12:00Z)
  { name: "H", priority: "P1", team: "identity-access", status: "open",
    fr: { target: 900, due: T("04T11:00:00"), warn: T("04T10:48:00") }, res: { target: 14400, due: FAR, warn: FAR } },
  { name: "I", priority: "P1", team: "identity-access", status: "in_progress",
    fr: { s: 800, target: 900, metAt: T("04T07:00:00"), due: T("04T08:00:00"), warn: T("04T07:48:00") }, res: { target: 14400, due: T("04T13:00:00"), warn: T("04T11:00:00") } },
  { name: "J", priority: "P2", team: "end-user-computing", status: "open",
    fr: { s: 60, target: 3600, metAt: T("03T08:00:00") }, res: { target: 28800, due: FAR, warn: FAR }, next: { due: T("04T11:30:00"), warn: T("04T11:00:00") } },
  { name: "K", priority: "P2", team: "end-user-computing", status: "waiting", waiting: "requester", pausedAt: T("04T09:00:00"),
    fr: { target: 3600, due: T("04T10:00:00"), warn: T("04T09:30:00") }, res: { target: 28800, due: T("04T11:00:00"), warn: T("04T10:00:00") } },
  { name: "L", priority: "P3", team: null, status: "waiting", waiting: "third_party",
    fr: { s: 30, target: 7200, metAt: T("03T10:00:00") }, res: { target: 86400, due: T("05T00:00:00"), warn: T("04T10:00:00") } },
  { name: "M", priority: "P4", team: "procurement", status: "new",
    fr: { target: 28800, due: T("04T14:00:00"), warn: T("04T12:00:00") }, res: { target: 144000, due: FAR, warn: FAR } },
  { name: "N", priority: "P4", team: "procurement", status: "new",
    fr: { target: 28800, due: T("04T14:00:00"), warn: T("04T12:00:01") }, res: { target: 144000, due: FAR, warn: FAR } },
];

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "agent@corp.test", "agent");
  admin = await makeActor(db, "admin@corp.test", "admin");
  requester = await makeActor(db, "req@corp.test", "requester");
  for (const r of ROWS) {
    const created = T("01T00:00:00");
    const [t] = await rows<{ id: number }>(
      db,
      sql`INSERT INTO tickets (title, description, requester_email, category_slug, priority, status, waiting_reason, team_slug, created_at, resolved_at)
          VALUES (${`SLA ticket ${r.name}`}, ${`Ticket ${r.name} for the SLA report`}, 'req@corp.test', 'access', ${r.priority}::ticket_priority,
                  ${r.status}::ticket_status, ${r.waiting ?? null}::waiting_reason, ${r.team}, ${created}::timestamptz, ${r.resolvedAt ?? null}::timestamptz)
          RETURNING id::int AS id`,
    );
    const ts = (v: string | undefined) => v ?? null;
    await db.execute(sql`INSERT INTO ticket_slas (ticket_id, policy_name, first_response_target_s, resolution_target_s,
        first_response_due_at, first_response_warn_at, resolution_due_at, resolution_warn_at, next_response_due_at, next_response_warn_at,
        first_response_met_at, first_response_business_s, resolution_met_at, resolution_business_s, paused_at)
      VALUES (${t.id}, 'Test policy', ${r.fr.target}, ${r.res.target},
        ${r.fr.due ?? T("01T01:00:00")}::timestamptz, ${r.fr.warn ?? T("01T00:50:00")}::timestamptz,
        ${r.res.due ?? T("01T06:00:00")}::timestamptz, ${r.res.warn ?? T("01T05:00:00")}::timestamptz,
        ${ts(r.next?.due)}::timestamptz, ${ts(r.next?.warn)}::timestamptz,
        ${ts(r.fr.metAt)}::timestamptz, ${r.fr.s ?? null}::int, ${ts(r.res.metAt)}::timestamptz, ${r.res.s ?? null}::int, ${ts(r.pausedAt)}::timestamptz)`);
    for (const b of r.breaches ?? []) {
      await db.execute(sql`INSERT INTO sla_breaches (ticket_id, target, level, cycle, priority, team_slug, due_at, occurred_at)
        VALUES (${t.id}, ${b.target}, ${b.level}, ${b.cycle ?? 0}, ${r.priority}::ticket_priority, ${r.team}, ${b.at}::timestamptz, ${b.at}::timestamptz)`);
    }
  }
  // a ticket resolved in range without any SLA clock: not part of the report
  await db.execute(sql`INSERT INTO tickets (title, description, requester_email, category_slug, priority, status, created_at, resolved_at)
    VALUES ('No SLA', 'A ticket without a policy', 'req@corp.test', 'access', 'P1', 'resolved', ${T("01T00:00:00")}::timestamptz, ${T("03T00:00:00")}::timestamptz)`);
});

const RANGE = { from: new Date(T("02T00:00:00")), to: new Date(T("05T00:00:00")) };
const get = (q: string, key = agent.key) => call(slaStatsRoute.GET, { path: `/api/sla/stats?${q}`, key });

describe("slaStats", () => {
  it("computes met % per priority and team over the tickets resolved in range", async () => {
    const s = await slaStats(db, { ...RANGE, now: new Date(T("04T12:00:00")) });
    expect(s.range).toEqual({ from: "2026-03-02T00:00:00.000Z", to: "2026-03-05T00:00:00.000Z" });
    expect(s.met.all).toEqual({ met: 2, breached: 2, total: 4, metPct: 50 });
    expect(s.met.byPriority).toEqual({
      P1: { met: 1, breached: 1, total: 2, metPct: 50 },
      P2: { met: 1, breached: 0, total: 1, metPct: 100 },
      P3: { met: 0, breached: 1, total: 1, metPct: 0 },
      P4: { met: 0, breached: 0, total: 0, metPct: null },
    });
    expect(s.met.byTeam).toEqual({
      "identity-access": { met: 1, breached: 1, total: 2, metPct: 50 },
      "end-user-computing": { met: 1, breached: 0, total: 1, metPct: 100 },
      none: { met: 0, breached: 1, total: 1, metPct: 0 },
    });
  });

  it("counts breach records per UTC day and target, warnings and records outside [from, to) left out", async () => {
    const s = await slaStats(db, { ...RANGE, now: new Date(T("04T12:00:00")) });
    expect(s.breaches).toEqual({ total: 4, first_response: 2, next_response: 1, resolution: 1 });
    expect(s.breachesPerDay).toEqual([
      { day: "2026-03-02", total: 2, first_response: 1, next_response: 1, resolution: 0 },
      { day: "2026-03-03", total: 1, first_response: 1, next_response: 0, resolution: 0 },
      { day: "2026-03-04", total: 1, first_response: 0, next_response: 0, resolution: 1 },
    ]);
  });

  it("gives mean business times against the mean target per priority", async () => {
    const s = await slaStats(db, { ...RANGE, now: new Date(T("04T12:00:00")) });
    // first responses given in range: A 600/900, B 1200/900, C 1800/3600, E 300/900, I 800/900, J 60/3600 (03-03), L 30/7200 (03-03)
    expect(s.businessTime.firstResponse.all).toEqual({ count: 7, meanS: (600 + 1200 + 1800 + 300 + 800 + 60 + 30) / 7, meanTargetS: (900 * 4 + 3600 * 2 + 7200) / 7, withinTarget: 6 });
    expect(s.businessTime.firstResponse.byPriority.P1).toEqual({ count: 4, meanS: (600 + 1200 + 300 + 800) / 4, meanTargetS: 900, withinTarget: 3 });
    expect(s.businessTime.firstResponse.byPriority.P2).toEqual({ count: 2, meanS: 930, meanTargetS: 3600, withinTarget: 2 });
    expect(s.businessTime.firstResponse.byPriority.P3).toEqual({ count: 1, meanS: 30, meanTargetS: 7200, withinTarget: 1 });
    expect(s.businessTime.firstResponse.byPriority.P4).toEqual({ count: 0, meanS: null, meanTargetS: null, withinTarget: 0 });
    // resolutions in range: A, B, C, D (E at `to` and F before are out)
    expect(s.businessTime.resolution.all).toEqual({ count: 4, meanS: 30900, meanTargetS: 36000, withinTarget: 3 });
    expect(s.businessTime.resolution.byPriority).toEqual({
      P1: { count: 2, meanS: 6800, meanTargetS: 14400, withinTarget: 2 },
      P2: { count: 1, meanS: 20000, meanTargetS: 28800, withinTarget: 1 },
      P3: { count: 1, meanS: 90000, meanTargetS: 86400, withinTarget: 0 },
      P4: { count: 0, meanS: null, meanTargetS: null, withinTarget: 0 },
    });
  });

  it("counts the at-risk and breached backlog at the given now", async () => {
    const at12 = await slaStats(db, { ...RANGE, now: new Date(T("04T12:00:00")) });
    // H first response overdue, J next response overdue; I, L past warn; M warn == now; N not yet; K paused; F closed
    expect(at12.backlog).toEqual({
      atRisk: 3,
      breached: 2,
      byPriority: { P1: { atRisk: 1, breached: 1 }, P2: { atRisk: 0, breached: 1 }, P3: { atRisk: 1, breached: 0 }, P4: { atRisk: 1, breached: 0 } },
      links: { atRisk: "/tickets?sla=at_risk", breached: "/tickets?sla=breached" },
    });
    expect(at12.now).toBe("2026-03-04T12:00:00.000Z");
    const at13 = await slaStats(db, { ...RANGE, now: new Date(T("04T13:00:00")) });
    expect([at13.backlog.atRisk, at13.backlog.breached]).toEqual([3, 3]); // I breached at its due time; N now at risk
    expect(at13.backlog.byPriority.P4).toEqual({ atRisk: 2, breached: 0 });
    const before = await slaStats(db, { ...RANGE, now: new Date(T("04T07:00:00")) });
    expect([before.backlog.atRisk, before.backlog.breached]).toEqual([0, 0]);
    // the range does not change the backlog
    const other = await slaStats(db, { from: new Date("2025-01-01T00:00:00Z"), to: new Date("2025-01-02T00:00:00Z"), now: new Date(T("04T12:00:00")) });
    expect(other.backlog).toEqual(at12.backlog);
    expect(other.met.all).toEqual({ met: 0, breached: 0, total: 0, metPct: null });
    expect(other.breachesPerDay).toEqual([{ day: "2025-01-01", total: 0, first_response: 0, next_response: 0, resolution: 0 }]);
  });
});

describe("GET /api/sla/stats", () => {
  it("serves the same figures for agents and admins; a date `to` is the whole day", async () => {
    const res = await get("from=2026-03-02&to=2026-03-04");
    expect(res.status).toBe(200);
    const direct = await slaStats(db, { ...RANGE, now: new Date(res.body.now) });
    expect(res.body).toEqual(direct);
    // backlog at the real clock (after March 2026): every unpaused open ticket is overdue
    expect([res.body.backlog.atRisk, res.body.backlog.breached]).toEqual([0, 6]);
    const asAdmin = await get("from=2026-03-02&to=2026-03-04", admin.key);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.met).toEqual(res.body.met);
  });

  it("takes date-times as instants", async () => {
    const res = await get(`from=2026-03-02T00:00:00Z&to=${encodeURIComponent("2026-03-03T01:00:00+01:00")}`);
    expect(res.status).toBe(200);
    expect(res.body.range).toEqual({ from: "2026-03-02T00:00:00.000Z", to: "2026-03-03T00:00:00.000Z" });
    expect(res.body.breaches.total).toBe(2);
    expect(res.body.breachesPerDay.map((d: { day: string }) => d.day)).toEqual(["2026-03-02"]);
    expect(res.body.met.all).toEqual({ met: 1, breached: 0, total: 1, metPct: 100 });
  });

  it("defaults to the last 30 UTC days", async () => {
    const res = await get("");
    expect(res.status).toBe(200);
    expect(res.body.breachesPerDay).toHaveLength(30);
    expect(res.body.breachesPerDay[29].day).toBe(res.body.now.slice(0, 10));
  });

  it("accepts up to 366 days and refuses bad ranges with 400", async () => {
    expect((await get("from=2024-01-01&to=2024-12-31")).status).toBe(200); // 366 days (leap year)
    expect((await get("from=2025-01-01&to=2026-01-01")).status).toBe(200); // 366 days
    expect((await get("to=2000-01-01")).status).toBe(200); // from = 30 days before
    expect((await get("from=2026-03-04&to=2026-03-04")).status).toBe(200); // one whole day
    for (const q of [
      "from=2025-01-01&to=2026-01-02", // 367 days
      "from=2026-03-05&to=2026-03-04",
      "from=2026-03-04T10:00:00Z&to=2026-03-04T10:00:00Z",
      "from=2020-01-01", // to defaults to today: too long
      "from=2026-13-01",
      "from=yesterday",
      "to=2026-03-04T25:00:00Z",
      "extra=1",
    ]) {
      const r = await get(q);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe("validation_error");
      expect(r.body.error.details.issues.length, q).toBeGreaterThan(0);
    }
    const long = await get("from=2025-01-01&to=2026-01-02");
    expect(long.body.error.details.issues[0].message).toMatch(/at most 366 days/);
  });

  it("is for agents and admins only", async () => {
    const r = await get("", requester.key);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
    expect((await call(slaStatsRoute.GET, { path: "/api/sla/stats" })).status).toBe(401);
  });
});

describe("OpenAPI", () => {
  it("documents GET /api/sla/stats from its zod schema", () => {
    const doc = openApiDocument() as { paths: Record<string, { get: { parameters: { name: string }[]; responses: Record<string, unknown> } }> };
    const op = doc.paths["/api/sla/stats"].get;
    expect(op.parameters.map((p) => p.name)).toEqual(["from", "to"]);
    expect(Object.keys(op.responses)).toEqual(["200", "400", "401", "403", "429"]);
  });
});
