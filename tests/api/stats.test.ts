import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import * as statsRoute from "@/app/api/tickets/stats/route";
import { createTicket } from "@/lib/tickets/create-ticket";
import { bucketBoundsSql, foldStatsDeltas } from "@/lib/tickets/stats";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let requester: Actor;

/** Known data: day offset, status, priority, category, first response s, resolution s. */
const DATA: [number, string, "P1" | "P2" | "P3" | "P4", string, number | null, number | null][] = [
  [0, "closed", "P1", "hardware", 120, 3600],
  [0, "resolved", "P2", "access", 600, 7200],
  [1, "open", "P3", "access", 30, null],
  [1, "new", "P4", "storage", null, null],
  [2, "resolved", "P3", "hardware", 5400, 86400],
  [2, "in_progress", "P2", "purchase", 45, null],
  [3, "closed", "P4", "hardware", 7, 100000],
  [3, "waiting", "P3", "hr-support", 900, null],
  [3, "resolved", "P1", "access", 15, 1800],
  [4, "new", "P3", "hardware", null, null],
];
const DAY0 = Date.parse("2026-03-02T00:00:00Z");

function pctDisc(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil(p * s.length)) - 1];
}

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "agent@corp.test", "agent");
  requester = await makeActor(db, "req@corp.test", "requester");
  for (const [i, [day, status, priority, category, fr, res]] of DATA.entries()) {
    const createdAt = new Date(DAY0 + day * 86400_000 + (i + 1) * 3600_000);
    const { ticket } = await createTicket(
      db,
      { title: `Known ticket ${i}`, description: `Known ticket number ${i} for stats`, email: "req@corp.test", category, priority },
      { principal: null, defaultSource: "api", createdAt },
    );
    const at = (s: number | null) => (s === null ? null : new Date(createdAt.getTime() + s * 1000).toISOString());
    await db.execute(sql`update tickets set status = ${status}::ticket_status,
      waiting_reason = case when ${status} = 'waiting' then 'requester'::waiting_reason end, first_response_at = ${at(fr)}::timestamptz,
      resolved_at = ${at(res)}::timestamptz where key = ${ticket.key}`);
  }
  // a ticket outside the range must not count
  await createTicket(db, { title: "Outside range", description: "created long before the range", email: "req@corp.test", category: "hardware", priority: "P1" }, { principal: null, defaultSource: "api", createdAt: new Date("2025-12-01T10:00:00Z") });
});

const stats = (q: string, key = agent.key) => call(statsRoute.GET, { path: `/api/tickets/stats?${q}`, key });

describe("GET /api/tickets/stats", () => {
  it("computes exact totals, breakdowns, per-day counts and duration statistics", async () => {
    const res = await stats("from=2026-03-02&to=2026-03-08");
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.range).toEqual({ from: "2026-03-02", to: "2026-03-08" });
    expect(s.total).toBe(10);
    expect(s.byStatus).toEqual({ new: 2, open: 1, in_progress: 1, waiting: 1, resolved: 3, closed: 2 });
    expect(s.byPriority).toEqual({ P1: 2, P2: 2, P3: 4, P4: 2 });
    expect(s.byCategory).toEqual({ hardware: 4, access: 3, storage: 1, purchase: 1, "hr-support": 1 });
    expect(s.byTeam).toEqual({ "end-user-computing": 4, "identity-access": 3, infrastructure: 1, procurement: 1, "hr-operations": 1 });
    expect(s.perDay.map((d: { count: number }) => d.count)).toEqual([2, 2, 2, 3, 1, 0, 0]);

    const fr = DATA.map((d) => d[4]).filter((x): x is number => x !== null);
    const rs = DATA.map((d) => d[5]).filter((x): x is number => x !== null);
    expect(s.firstResponse.count).toBe(fr.length);
    expect(s.firstResponse.meanS).toBeCloseTo(fr.reduce((a, b) => a + b, 0) / fr.length, 6);
    expect(s.firstResponse.p50S).toBe(pctDisc(fr, 0.5));
    expect(s.firstResponse.p90S).toBe(pctDisc(fr, 0.9));
    expect(s.resolution).toEqual({
      count: rs.length,
      meanS: rs.reduce((a, b) => a + b, 0) / rs.length,
      p50S: pctDisc(rs, 0.5),
      p90S: pctDisc(rs, 0.9),
    });

    // and the database's own percentile_disc agrees
    const [pg] = await rows<{ p50: number; p90: number }>(
      db,
      sql`select percentile_disc(0.5) within group (order by resolution_s)::int as p50, percentile_disc(0.9) within group (order by resolution_s)::int as p90
          from tickets where resolution_s is not null and created_at >= '2026-03-02' and created_at < '2026-03-09'`,
    );
    expect([s.resolution.p50S, s.resolution.p90S]).toEqual([pg.p50, pg.p90]);
  });

  it("gives the same answer before and after deltas are folded, and follows updates at once", async () => {
    const before = (await stats("from=2026-03-02&to=2026-03-08")).body;
    const folded = await foldStatsDeltas(db);
    expect(folded).toBeGreaterThan(0);
    const after = (await stats("from=2026-03-02&to=2026-03-08")).body;
    expect(after).toEqual(before);
    await db.execute(sql`update tickets set status = 'closed' where title = 'Known ticket 3'`);
    const changed = (await stats("from=2026-03-02&to=2026-03-08")).body;
    expect(changed.byStatus.new).toBe(1);
    expect(changed.byStatus.closed).toBe(3);
    expect(changed.total).toBe(10);
  });

  it("rebuilds the rollups from the tickets table to the same numbers", async () => {
    const before = (await stats("from=2026-03-02&to=2026-03-08")).body;
    await db.execute(sql`select sb_rebuild_stats_rollups()`);
    expect((await stats("from=2026-03-02&to=2026-03-08")).body).toEqual(before);
  });

  it("counts only the requested days", async () => {
    const res = await stats("from=2026-03-05&to=2026-03-05");
    expect(res.body.total).toBe(3);
    expect(res.body.firstResponse.count).toBe(3);
    const none = await stats("from=2020-01-01&to=2020-01-31");
    expect(none.body.total).toBe(0);
    expect(none.body.resolution).toEqual({ count: 0, meanS: null, p50S: null, p90S: null });
  });

  it("defaults to the last 90 days", async () => {
    const res = await stats("");
    expect(res.status).toBe(200);
    expect(res.body.perDay).toHaveLength(90);
  });

  it("is for agents only and validates the range", async () => {
    expect((await stats("", requester.key)).status).toBe(403);
    expect((await call(statsRoute.GET, { path: "/api/tickets/stats" })).status).toBe(401);
    for (const q of ["from=2026-13-01", "from=yesterday", "from=2026-03-09&to=2026-03-01", "extra=1"]) {
      const r = await stats(q);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
  });

  it("gives PostgreSQL's percentile_disc and mean for durations spread over many buckets, with ties and gaps", async () => {
    // 48 tickets on 2026-04-06..09; four rounds of random durations (a fixed-seed LCG): small
    // exact buckets, ties, values at bucket edges, days and weeks, and no value at all.
    const day0 = Date.parse("2026-04-06T00:00:00Z");
    for (let i = 0; i < 48; i++) {
      await createTicket(
        db,
        { title: `Spread ticket ${i}`, description: `Spread ticket ${i} for percentiles`, email: "req@corp.test", category: "hardware", priority: "P3" },
        { principal: null, defaultSource: "api", createdAt: new Date(day0 + (i % 4) * 86400_000 + i * 60_000) },
      );
    }
    let seed = 20261205;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const edges = [0, 1, 15, 16, 17, 31, 32, 4095, 4096, 86400];
    const duration = () => {
      const kind = rand(5);
      if (kind === 0) return null;
      if (kind === 1) return rand(16);
      if (kind === 2) return edges[rand(edges.length)];
      if (kind === 3) return 60 * (1 + rand(5)); // ties
      return rand(3_000_000);
    };
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 48; i++) {
        const fr = duration();
        const res = rand(3) === 0 ? null : (fr ?? 0) + rand(900_000);
        await db.execute(sql`update tickets set
            first_response_at = case when ${fr}::int is null then null else created_at + make_interval(secs => ${fr}::int) end,
            resolved_at = case when ${res}::int is null then null else created_at + make_interval(secs => ${res}::int) end
          where title = ${`Spread ticket ${i}`}`);
      }
      if (round === 2) await foldStatsDeltas(db);
      const s = (await stats("from=2026-04-06&to=2026-04-09")).body;
      for (const [key, col] of [["firstResponse", "first_response_s"], ["resolution", "resolution_s"]] as const) {
        const [pg] = await rows<{ n: number; mean: number | null; p50: number | null; p90: number | null }>(
          db,
          sql`select count(${sql.raw(col)})::int as n, avg(${sql.raw(col)})::float8 as mean,
                percentile_disc(0.5) within group (order by ${sql.raw(col)})::int as p50,
                percentile_disc(0.9) within group (order by ${sql.raw(col)})::int as p90
              from tickets where ${sql.raw(col)} is not null and created_at >= '2026-04-06' and created_at < '2026-04-10'`,
        );
        const got = s[key];
        expect(got.count, `${key} round ${round}`).toBe(pg.n);
        expect([got.p50S, got.p90S], `${key} round ${round}`).toEqual([pg.p50, pg.p90]);
        if (pg.n > 0) expect(got.meanS).toBeCloseTo(Number(pg.mean), 6);
      }
    }
  });

  it("has bucket bounds that match the SQL bucket function", async () => {
    const samples = [0, 1, 15, 16, 17, 31, 32, 33, 100, 1000, 4095, 4096, 86399, 86400, 1_000_000, 2_000_000_000];
    for (const s of samples) {
      const { lo: loSql, hi: hiSql } = bucketBoundsSql(sql`b`);
      const [r] = await rows<{ lo: number; hi: number }>(
        db,
        sql`select (${loSql})::float8 as lo, (${hiSql})::float8 as hi from (select sb_duration_bucket(${s}::int)::int as b) x`,
      );
      const [lo, hi] = [Number(r.lo), Number(r.hi)];
      expect(s, String(s)).toBeGreaterThanOrEqual(lo);
      expect(s, String(s)).toBeLessThanOrEqual(hi);
    }
  });
});
