import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { rangeInstants, type DayRange } from "./range";

/** Satisfaction ratings given in a range. */
export interface CsatCounts {
  good: number;
  bad: number;
  total: number;
  /** 100 × good / total (0–100, unrounded); null when total is 0. */
  goodPct: number | null;
}

export interface CsatStats {
  /** Inclusive UTC days of the ratings' created_at. */
  range: DayRange;
  all: CsatCounts;
  /** Per assignment group at rating time (key = team slug, `none` = no team), most ratings first. */
  byTeam: (CsatCounts & { team: string })[];
  /** Self-service deflections recorded in the range (a suggested answer solved the problem on /submit). */
  deflections: number;
}

/** Good/bad counts to {@link CsatCounts}. */
export function csatCounts(good: number, bad: number): CsatCounts {
  const total = good + bad;
  return { good, bad, total, goodPct: total === 0 ? null : (100 * good) / total };
}

/**
 * CSAT over the ratings created in the range (csat_ratings.created_at; the team is the
 * ticket's at rating time), overall and per team, and the deflection count of the range.
 * Aggregates only, from csat_ratings_created_idx and deflections_created_idx.
 */
export async function getCsatStats(db: DbOrTx, range: DayRange): Promise<CsatStats> {
  const { from, to } = rangeInstants(range);
  const f = from.toISOString();
  const t = to.toISOString();
  const [teamRows, [d]] = await Promise.all([
    rows<{ team: string | null; good: number; bad: number }>(
      db,
      sql`SELECT CASE WHEN GROUPING(team_slug) = 0 THEN coalesce(team_slug, 'none') END AS team,
                 count(*) FILTER (WHERE rating = 'good')::int AS good, count(*) FILTER (WHERE rating = 'bad')::int AS bad
          FROM csat_ratings WHERE created_at >= ${f}::timestamptz AND created_at < ${t}::timestamptz
          GROUP BY ROLLUP (team_slug)`,
    ),
    rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM deflections WHERE created_at >= ${f}::timestamptz AND created_at < ${t}::timestamptz`),
  ]);
  let all = csatCounts(0, 0);
  const byTeam: CsatStats["byTeam"] = [];
  for (const r of teamRows) {
    const c = csatCounts(Number(r.good), Number(r.bad));
    if (r.team === null) all = c;
    else byTeam.push({ team: r.team, ...c });
  }
  byTeam.sort((a, b) => b.total - a.total || a.team.localeCompare(b.team));
  return { range, all, byTeam, deflections: Number(d?.n ?? 0) };
}
