import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { PRIORITIES, STATUSES, type Priority, type Status } from "@/db/schema";
import type { StatsQuery } from "./schemas";

export interface DurationStats {
  /** Tickets in range that have this duration (e.g. that were resolved). */
  count: number;
  /** Seconds; null when count is 0. Percentiles are nearest-rank (PostgreSQL percentile_disc). */
  meanS: number | null;
  p50S: number | null;
  p90S: number | null;
}

export interface TicketStats {
  /** Inclusive UTC calendar days of ticket creation. */
  range: { from: string; to: string };
  total: number;
  byStatus: Record<Status, number>;
  byPriority: Record<Priority, number>;
  byCategory: Record<string, number>;
  /** Keyed by team slug; tickets without a team under "none". */
  byTeam: Record<string, number>;
  firstResponse: DurationStats;
  resolution: DurationStats;
  /** One entry per day in range, zeros included. */
  perDay: { day: string; count: number }[];
}

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 90;

/**
 * Inclusive [lo, hi] seconds of a duration bucket, as SQL over a bucket expression; the inverse of
 * sb_duration_bucket() (migration 0011): buckets 0-15 hold one second each, then eight buckets per
 * power of two. Used by getTicketStats and checked against sb_duration_bucket by the stats tests.
 * @param bucket an int SQL expression (a bucket number, 0..263).
 */
export function bucketBoundsSql(bucket: SQL): { lo: SQL; hi: SQL } {
  return {
    lo: sql`CASE WHEN ${bucket} < 16 THEN ${bucket}::bigint ELSE (8 + (${bucket} - 16) % 8)::bigint << (1 + (${bucket} - 16) / 8) END`,
    hi: sql`CASE WHEN ${bucket} < 16 THEN ${bucket}::bigint ELSE ((9 + (${bucket} - 16) % 8)::bigint << (1 + (${bucket} - 16) / 8)) - 1 END`,
  };
}

/** Resolve the stats range: default the last 90 UTC days ending today. */
export function resolveRange(q: StatsQuery, today = new Date()): { from: string; to: string } {
  const to = q.to ?? today.toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

/**
 * Ticket statistics for tickets created in [from, to] (UTC days, inclusive), computed by the
 * database from the rollup tables plus not-yet-folded deltas, so they are exact and current.
 * Means come from per-bucket sums; p50/p90 locate the bucket holding the k-th value from the
 * rollup (k = ceil(p × count), nearest rank, in float8 as PostgreSQL's percentile_disc does), then
 * read the exact value from the (duration, created_at) index. One statement, hence one snapshot
 * and one round trip (until 2026-12 a REPEATABLE READ transaction of up to eight).
 * @throws Error "duration rollup is inconsistent with its counts" when a bucket's count has no
 *   matching ticket (the rollups disagree with the tickets table; sb_rebuild_stats_rollups fixes it).
 */
export async function getTicketStats(db: DbOrTx, q: StatsQuery): Promise<TicketStats> {
  const { from, to } = resolveRange(q);
  const fromTs = `${from}T00:00:00Z`;
  const toTs = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString();
  const bounds = bucketBoundsSql(sql`bucket`);
  // part 1: counts (g = 1 status, 2 priority, 3 category, 4 team, 5 day); part 2: duration
  // buckets (g = metric: 1 first response, 2 resolution); part 3: percentiles (g = metric,
  // k = "50" | "90", n = the value in seconds).
  const result = await rows<{ part: number; g: number; k: string | null; n: number; sum_s: number | null }>(
    db,
    sql`
    WITH cnt AS (
      SELECT CASE WHEN GROUPING(status) = 0 THEN 1 WHEN GROUPING(priority) = 0 THEN 2
                  WHEN GROUPING(category_slug) = 0 THEN 3 WHEN GROUPING(team_slug) = 0 THEN 4 ELSE 5 END AS g,
             coalesce(status::text, priority::text, category_slug, team_slug, day::text) AS k,
             sum(n)::int AS n
      FROM (
        SELECT day, status, priority, category_slug, team_slug, n FROM ticket_daily_counts WHERE day BETWEEN ${from}::date AND ${to}::date
        UNION ALL
        SELECT day, status, priority, category_slug, team_slug, n FROM ticket_count_deltas WHERE day BETWEEN ${from}::date AND ${to}::date
      ) x
      GROUP BY GROUPING SETS ((status), (priority), (category_slug), (team_slug), (day))
    ),
    b AS (
      SELECT metric::int AS metric, bucket::int AS bucket, sum(n)::int AS n, sum(sum_s)::float8 AS sum_s
      FROM (
        SELECT metric, bucket, n, sum_s FROM ticket_duration_rollup WHERE day BETWEEN ${from}::date AND ${to}::date
        UNION ALL
        SELECT metric, bucket, n, sum_s FROM ticket_duration_deltas WHERE day BETWEEN ${from}::date AND ${to}::date
      ) x
      GROUP BY metric, bucket HAVING sum(n) <> 0
    ),
    cum AS (
      SELECT metric, bucket, n, sum(n) OVER (PARTITION BY metric ORDER BY bucket) AS upto, sum(n) OVER (PARTITION BY metric) AS total FROM b
    ),
    ranks AS (
      SELECT DISTINCT ON (c.metric, p.pct) c.metric, p.pct, c.bucket, p.k - (c.upto - c.n) - 1 AS off
      FROM cum c CROSS JOIN LATERAL (
        SELECT v.pct, greatest(1, ceil(v.pct::float8 / 100 * c.total::float8))::bigint AS k FROM (VALUES (50), (90)) AS v(pct)
      ) p
      WHERE c.total > 0 AND c.upto >= p.k
      ORDER BY c.metric, p.pct, c.bucket
    ),
    bounds AS (
      SELECT metric, pct, off, ${bounds.lo} AS lo, ${bounds.hi} AS hi FROM ranks
    )
    SELECT 1 AS part, g, k, n, NULL::float8 AS sum_s FROM cnt
    UNION ALL
    SELECT 2, metric, bucket::text, n, sum_s FROM b
    UNION ALL
    SELECT 3, 1, r.pct::text, v.v, NULL FROM bounds r CROSS JOIN LATERAL (
      SELECT first_response_s::int AS v FROM tickets
      WHERE r.metric = 1 AND first_response_s BETWEEN r.lo AND r.hi AND created_at >= ${fromTs}::timestamptz AND created_at < ${toTs}::timestamptz
      ORDER BY first_response_s OFFSET r.off LIMIT 1) v
    UNION ALL
    SELECT 3, 2, r.pct::text, v.v, NULL FROM bounds r CROSS JOIN LATERAL (
      SELECT resolution_s::int AS v FROM tickets
      WHERE r.metric = 2 AND resolution_s BETWEEN r.lo AND r.hi AND created_at >= ${fromTs}::timestamptz AND created_at < ${toTs}::timestamptz
      ORDER BY resolution_s OFFSET r.off LIMIT 1) v`,
  );

  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  const byCategory: Record<string, number> = {};
  const byTeam: Record<string, number> = {};
  const dayCounts = new Map<string, number>();
  const buckets: { metric: number; n: number; sumS: number }[] = [];
  const percentiles = new Map<string, number>();
  let total = 0;
  for (const r of result) {
    const part = Number(r.part);
    const g = Number(r.g);
    const n = Number(r.n);
    if (part === 2) buckets.push({ metric: g, n, sumS: Number(r.sum_s) });
    else if (part === 3) percentiles.set(`${g}:${r.k}`, n);
    else if (n === 0) continue;
    else if (g === 1) {
      byStatus[r.k as Status] = n;
      total += n;
    } else if (g === 2) byPriority[r.k as Priority] = n;
    else if (g === 3) byCategory[r.k ?? ""] = n;
    else if (g === 4) byTeam[r.k ? r.k : "none"] = n;
    else dayCounts.set(String(r.k).slice(0, 10), n);
  }
  const perDay: { day: string; count: number }[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    perDay.push({ day, count: dayCounts.get(day) ?? 0 });
  }
  const durationStats = (metric: number): DurationStats => {
    const own = buckets.filter((b) => b.metric === metric);
    const count = own.reduce((a, b) => a + b.n, 0);
    if (count <= 0) return { count: 0, meanS: null, p50S: null, p90S: null };
    const p50S = percentiles.get(`${metric}:50`);
    const p90S = percentiles.get(`${metric}:90`);
    if (p50S === undefined || p90S === undefined) throw new Error("duration rollup is inconsistent with its counts");
    return { count, meanS: own.reduce((a, b) => a + b.sumS, 0) / count, p50S, p90S };
  };
  return { range: { from, to }, total, byStatus, byPriority, byCategory, byTeam, firstResponse: durationStats(1), resolution: durationStats(2), perDay };
}

/**
 * Fold pending stats deltas (tickets and triage) into the rollup tables (sb_fold_all_deltas). Idempotent and
 * safe to run concurrently (an advisory lock lets one folder work at a time).
 * @returns the number of delta rows folded.
 */
export async function foldStatsDeltas(db: DbOrTx): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT sb_fold_all_deltas()::int AS n`);
  return Number(r?.n ?? 0);
}
