import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db, type DbOrTx } from "@/db/client";
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

/** Inclusive [lo, hi] seconds of a duration bucket; mirrors sb_duration_bucket() in SQL. */
export function bucketBounds(bucket: number): [number, number] {
  if (bucket < 16) return [bucket, bucket];
  const e = 4 + Math.floor((bucket - 16) / 8);
  const m = (bucket - 16) % 8;
  return [(8 + m) * 2 ** (e - 3), (9 + m) * 2 ** (e - 3) - 1];
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
 * rollup, then read the exact value from the (duration, created_at) index. All reads share one
 * REPEATABLE READ snapshot.
 */
export async function getTicketStats(db: Db, q: StatsQuery): Promise<TicketStats> {
  const { from, to } = resolveRange(q);
  return db.transaction(
    async (tx) => {
      const counts = await rows<{ g: number; k: string | null; n: number }>(
        tx,
        sql`
        SELECT CASE WHEN GROUPING(status) = 0 THEN 1 WHEN GROUPING(priority) = 0 THEN 2
                    WHEN GROUPING(category_slug) = 0 THEN 3 WHEN GROUPING(team_slug) = 0 THEN 4 ELSE 5 END AS g,
               coalesce(status::text, priority::text, category_slug, team_slug, day::text) AS k,
               sum(n)::int AS n
        FROM (
          SELECT day, status, priority, category_slug, team_slug, n FROM ticket_daily_counts WHERE day BETWEEN ${from}::date AND ${to}::date
          UNION ALL
          SELECT day, status, priority, category_slug, team_slug, n FROM ticket_count_deltas WHERE day BETWEEN ${from}::date AND ${to}::date
        ) x
        GROUP BY GROUPING SETS ((status), (priority), (category_slug), (team_slug), (day))`,
      );
      const buckets = await rows<{ metric: number; bucket: number; n: number; sum_s: number }>(
        tx,
        sql`
        SELECT metric::int AS metric, bucket::int AS bucket, sum(n)::int AS n, sum(sum_s)::float8 AS sum_s
        FROM (
          SELECT metric, bucket, n, sum_s FROM ticket_duration_rollup WHERE day BETWEEN ${from}::date AND ${to}::date
          UNION ALL
          SELECT metric, bucket, n, sum_s FROM ticket_duration_deltas WHERE day BETWEEN ${from}::date AND ${to}::date
        ) x
        GROUP BY metric, bucket HAVING sum(n) <> 0 ORDER BY metric, bucket`,
      );

      const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
      const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
      const byCategory: Record<string, number> = {};
      const byTeam: Record<string, number> = {};
      const dayCounts = new Map<string, number>();
      let total = 0;
      for (const r of counts) {
        const n = Number(r.n);
        if (n === 0) continue;
        const g = Number(r.g);
        if (g === 1) {
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

      const fromTs = `${from}T00:00:00Z`;
      const toTs = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString();
      const [firstResponse, resolution] = await Promise.all([
        durationStats(tx, buckets.filter((b) => Number(b.metric) === 1), "first_response_s", fromTs, toTs),
        durationStats(tx, buckets.filter((b) => Number(b.metric) === 2), "resolution_s", fromTs, toTs),
      ]);
      return { range: { from, to }, total, byStatus, byPriority, byCategory, byTeam, firstResponse, resolution, perDay };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

async function durationStats(
  tx: DbOrTx,
  buckets: { bucket: number; n: number; sum_s: number }[],
  column: "first_response_s" | "resolution_s",
  fromTs: string,
  toTs: string,
): Promise<DurationStats> {
  const count = buckets.reduce((a, b) => a + Number(b.n), 0);
  if (count <= 0) return { count: 0, meanS: null, p50S: null, p90S: null };
  const sum = buckets.reduce((a, b) => a + Number(b.sum_s), 0);
  const col = sql.raw(column);
  const percentile = async (p: number): Promise<number> => {
    const k = Math.max(1, Math.ceil(p * count)); // nearest rank, 1-based
    let before = 0;
    for (const b of buckets) {
      const n = Number(b.n);
      if (before + n >= k) {
        const [lo, hi] = bucketBounds(Number(b.bucket));
        const offset = k - before - 1;
        const [r] = await rows<{ v: number }>(
          tx,
          sql`SELECT ${col}::int AS v FROM tickets
              WHERE ${col} BETWEEN ${lo} AND ${hi} AND created_at >= ${fromTs}::timestamptz AND created_at < ${toTs}::timestamptz
              ORDER BY ${col} OFFSET ${offset} LIMIT 1`,
        );
        return Number(r.v);
      }
      before += n;
    }
    throw new Error("duration rollup is inconsistent with its counts");
  };
  const p50S = await percentile(0.5);
  const p90S = await percentile(0.9);
  return { count, meanS: sum / count, p50S, p90S };
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
