import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { getTicketStats } from "@/lib/tickets/stats";
import { getCsatStats } from "./csat";
import { ticketListHref } from "./links";
import { compare, previousPeriod, rangeInstants, type Change, type DayRange } from "./range";

export const HEADLINE_KEYS = ["created", "resolved", "firstResponseP50S", "resolutionP50S", "csatGoodPct", "deflections"] as const;
export type HeadlineKey = (typeof HEADLINE_KEYS)[number];

/** One headline figure in the range and in the previous period of equal length. */
export interface HeadlineFigure {
  /** `count`: tickets or events; `seconds`: a duration; `percent`: 0–100. */
  unit: "count" | "seconds" | "percent";
  current: number | null;
  previous: number | null;
  change: Change;
  /** The ticket list of the current figure, when it is a ticket count. */
  href?: string;
}

export interface DashboardSummary {
  range: DayRange;
  /** The period of equal length just before `range`. */
  previous: DayRange;
  /**
   * created: tickets created in the range; resolved: tickets whose resolved_at is in the range;
   * firstResponseP50S / resolutionP50S: median first response / resolution time of the tickets
   * created in the range (seconds, as GET /api/tickets/stats); csatGoodPct: % good of the CSAT
   * ratings given in the range; deflections: self-service deflections in the range.
   */
  figures: Record<HeadlineKey, HeadlineFigure>;
}

async function resolvedCount(db: Db, range: DayRange): Promise<number> {
  const { from, to } = rangeInstants(range);
  const [r] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM tickets WHERE status IN ('resolved', 'closed') AND resolved_at >= ${from.toISOString()}::timestamptz AND resolved_at < ${to.toISOString()}::timestamptz`,
  );
  return Number(r?.n ?? 0);
}

async function periodFigures(db: Db, range: DayRange): Promise<Record<HeadlineKey, number | null>> {
  const stats = await getTicketStats(db, range);
  const resolved = await resolvedCount(db, range);
  const csat = await getCsatStats(db, range);
  return {
    created: stats.total,
    resolved,
    firstResponseP50S: stats.firstResponse.p50S,
    resolutionP50S: stats.resolution.p50S,
    csatGoodPct: csat.all.goodPct,
    deflections: csat.deflections,
  };
}

/**
 * The dashboard's headline figures for `range` (inclusive UTC days) next to the previous
 * period of equal length, with the change of each (see {@link compare}). Ticket counts come
 * from the stats rollups and indexes, so this stays cheap on a large desk.
 */
export async function getDashboardSummary(db: Db, range: DayRange): Promise<DashboardSummary> {
  const previous = previousPeriod(range);
  const [cur, prev] = await Promise.all([periodFigures(db, range), periodFigures(db, previous)]);
  const { from, to } = rangeInstants(range);
  const unit: Record<HeadlineKey, HeadlineFigure["unit"]> = {
    created: "count",
    resolved: "count",
    firstResponseP50S: "seconds",
    resolutionP50S: "seconds",
    csatGoodPct: "percent",
    deflections: "count",
  };
  const href: Partial<Record<HeadlineKey, string>> = {
    created: ticketListHref({ createdFrom: from.toISOString(), createdTo: to.toISOString() }),
    resolved: ticketListHref({ resolvedFrom: from.toISOString(), resolvedTo: to.toISOString() }),
  };
  const figures = Object.fromEntries(
    [...HEADLINE_KEYS].map((k) => [k, { unit: unit[k], current: cur[k], previous: prev[k], change: compare(cur[k], prev[k]), ...(href[k] ? { href: href[k] } : {}) }]),
  ) as Record<HeadlineKey, HeadlineFigure>;
  return { range, previous, figures };
}
