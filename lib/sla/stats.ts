import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { PRIORITIES, SLA_TARGETS, type Priority, type SlaTarget } from "@/db/schema";

/** Tickets resolved in range under an SLA: met = no breach recorded for any of their targets. */
export interface SlaMetCounts {
  met: number;
  breached: number;
  total: number;
  /** 100 × met / total (0–100, unrounded); null when total is 0. */
  metPct: number | null;
}

/** Mean business time of the targets completed in range, next to the mean target. Seconds. */
export interface SlaBusinessTime {
  /** Targets completed (first response given / ticket resolved) in range. */
  count: number;
  /** Mean business seconds taken; null when count is 0. */
  meanS: number | null;
  /** Mean of the targets those tickets had (business seconds); null when count is 0. */
  meanTargetS: number | null;
  /** How many took no more business time than their target. */
  withinTarget: number;
}

export interface SlaBacklogCounts {
  atRisk: number;
  breached: number;
}

/** Breach-level records per UTC day and target. */
export type SlaBreachDay = { day: string; total: number } & Record<SlaTarget, number>;

export interface SlaStats {
  /** The half-open range [from, to), ISO-8601 UTC. */
  range: { from: string; to: string };
  /** The SLA clock's now used for the backlog (ISO-8601). */
  now: string;
  met: { all: SlaMetCounts; byPriority: Record<Priority, SlaMetCounts>; byTeam: Record<string, SlaMetCounts> };
  /** Breach-level sla_breaches rows whose occurred_at is in range, in total and per target. */
  breaches: { total: number } & Record<SlaTarget, number>;
  /** One entry per UTC day touched by the range (zeros included). */
  breachesPerDay: SlaBreachDay[];
  businessTime: {
    firstResponse: { all: SlaBusinessTime; byPriority: Record<Priority, SlaBusinessTime> };
    resolution: { all: SlaBusinessTime; byPriority: Record<Priority, SlaBusinessTime> };
  };
  /** Open, unpaused tickets now: breached (an active target overdue) or at risk (past a warn time, nothing overdue). */
  backlog: SlaBacklogCounts & {
    byPriority: Record<Priority, SlaBacklogCounts>;
    /** The ticket list filtered to these tickets. */
    links: { atRisk: string; breached: string };
  };
}

/** Links of the backlog counts (the ticket list's `sla` filter). */
export const SLA_BACKLOG_LINKS = { atRisk: "/tickets?sla=at_risk", breached: "/tickets?sla=breached" } as const;

const num = (v: unknown) => Number(v ?? 0);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const byPriority = <T>(make: () => T): Record<Priority, T> => Object.fromEntries(PRIORITIES.map((p) => [p, make()])) as Record<Priority, T>;
const emptyMet = (): SlaMetCounts => ({ met: 0, breached: 0, total: 0, metPct: null });
const emptyTime = (): SlaBusinessTime => ({ count: 0, meanS: null, meanTargetS: null, withinTarget: 0 });

/**
 * SLA reporting figures, computed by the database (aggregates only) in one REPEATABLE READ
 * read-only snapshot. Definitions (docs/SLA.md "Reporting"):
 * - met %: tickets with an SLA clock (ticket_slas) whose `tickets.resolved_at` is in [from, to);
 *   breached = at least one `sla_breaches` row of level `breach` for the ticket (any target, any
 *   cycle), met = none. Grouped by the ticket's current priority and team (`none` = no team).
 * - breaches: `sla_breaches` rows of level `breach` with `occurred_at` in [from, to), per target
 *   and per UTC day.
 * - business time: first responses with `first_response_met_at` in range (resp. resolutions with
 *   `resolution_met_at` in range): mean `*_business_s` against mean `*_target_s`, per priority.
 * - backlog at `now`: tickets not resolved/closed whose clock is not paused. Active targets: an
 *   unmet first response, a pending next response, an unmet resolution. Breached = some active
 *   due time ≤ now; at risk = not breached and some active warn time ≤ now.
 * @param range.from inclusive, range.to exclusive; `now` is the SLA clock (lib/sla/now.ts slaNow).
 */
export async function slaStats(db: Db, range: { from: Date; to: Date; now: Date }): Promise<SlaStats> {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const now = range.now.toISOString();
  return db.transaction(
    async (tx) => {
      const metRows = await rows<{ g: number; k: string | null; met: number; breached: number }>(
        tx,
        sql`
        WITH resolved AS (
          SELECT t.priority::text AS priority, coalesce(t.team_slug, 'none') AS team,
                 EXISTS (SELECT 1 FROM sla_breaches b WHERE b.ticket_id = t.id AND b.level = 'breach') AS breached
          FROM ticket_slas s JOIN tickets t ON t.id = s.ticket_id
          WHERE t.resolved_at >= ${from}::timestamptz AND t.resolved_at < ${to}::timestamptz
        )
        SELECT CASE WHEN GROUPING(priority) = 0 THEN 1 WHEN GROUPING(team) = 0 THEN 2 ELSE 0 END AS g,
               coalesce(priority, team) AS k,
               count(*) FILTER (WHERE NOT breached)::int AS met, count(*) FILTER (WHERE breached)::int AS breached
        FROM resolved GROUP BY GROUPING SETS ((priority), (team), ())`,
      );
      const dayRows = await rows<{ day: string; target: string | null; n: number }>(
        tx,
        sql`
        WITH days AS (
          SELECT to_char(d, 'YYYY-MM-DD') AS day
          FROM generate_series(date_trunc('day', ${from}::timestamptz AT TIME ZONE 'UTC'),
                               date_trunc('day', (${to}::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC'),
                               interval '1 day') d
        ), b AS (
          SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, target, count(*)::int AS n
          FROM sla_breaches
          WHERE level = 'breach' AND occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz
          GROUP BY 1, 2
        )
        SELECT days.day, b.target, coalesce(b.n, 0)::int AS n FROM days LEFT JOIN b ON b.day = days.day ORDER BY days.day`,
      );
      const timeRows = await rows<{ metric: string; priority: string | null; n: number; mean_s: number | null; mean_target_s: number | null; within: number }>(
        tx,
        sql`
        WITH done AS (
          SELECT 'first_response' AS metric, t.priority::text AS priority, s.first_response_business_s AS s, s.first_response_target_s AS target_s
          FROM ticket_slas s JOIN tickets t ON t.id = s.ticket_id
          WHERE s.first_response_met_at >= ${from}::timestamptz AND s.first_response_met_at < ${to}::timestamptz AND s.first_response_business_s IS NOT NULL
          UNION ALL
          SELECT 'resolution', t.priority::text, s.resolution_business_s, s.resolution_target_s
          FROM ticket_slas s JOIN tickets t ON t.id = s.ticket_id
          WHERE s.resolution_met_at >= ${from}::timestamptz AND s.resolution_met_at < ${to}::timestamptz AND s.resolution_business_s IS NOT NULL
        )
        SELECT metric, priority, count(*)::int AS n, avg(s)::float8 AS mean_s, avg(target_s)::float8 AS mean_target_s,
               count(*) FILTER (WHERE s <= target_s)::int AS within
        FROM done GROUP BY GROUPING SETS ((metric, priority), (metric))`,
      );
      const backlogRows = await rows<{ priority: string | null; at_risk: number; breached: number }>(
        tx,
        sql`
        WITH active AS (
          SELECT t.priority::text AS priority,
                 LEAST(CASE WHEN s.first_response_met_at IS NULL THEN s.first_response_due_at END, s.next_response_due_at,
                       CASE WHEN s.resolution_met_at IS NULL THEN s.resolution_due_at END) AS due,
                 LEAST(CASE WHEN s.first_response_met_at IS NULL THEN s.first_response_warn_at END, s.next_response_warn_at,
                       CASE WHEN s.resolution_met_at IS NULL THEN s.resolution_warn_at END) AS warn
          FROM ticket_slas s JOIN tickets t ON t.id = s.ticket_id
          WHERE s.paused_at IS NULL AND t.status NOT IN ('resolved', 'closed')
        )
        SELECT priority,
               count(*) FILTER (WHERE due <= ${now}::timestamptz)::int AS breached,
               count(*) FILTER (WHERE NOT (due <= ${now}::timestamptz) AND warn <= ${now}::timestamptz)::int AS at_risk
        FROM active GROUP BY ROLLUP (priority)`,
      );

      const met = { all: emptyMet(), byPriority: byPriority(emptyMet), byTeam: {} as Record<string, SlaMetCounts> };
      for (const r of metRows) {
        const c = metCounts(num(r.met), num(r.breached));
        if (Number(r.g) === 1) met.byPriority[r.k as Priority] = c;
        else if (Number(r.g) === 2) met.byTeam[r.k ?? "none"] = c;
        else met.all = c;
      }

      const breaches = { total: 0, ...Object.fromEntries(SLA_TARGETS.map((t) => [t, 0])) } as SlaStats["breaches"];
      const perDay = new Map<string, SlaBreachDay>();
      for (const r of dayRows) {
        const day = perDay.get(r.day) ?? ({ day: r.day, total: 0, ...Object.fromEntries(SLA_TARGETS.map((t) => [t, 0])) } as SlaBreachDay);
        perDay.set(r.day, day);
        if (r.target) {
          const n = num(r.n);
          day[r.target as SlaTarget] = n;
          day.total += n;
          breaches[r.target as SlaTarget] += n;
          breaches.total += n;
        }
      }

      const businessTime = {
        firstResponse: { all: emptyTime(), byPriority: byPriority(emptyTime) },
        resolution: { all: emptyTime(), byPriority: byPriority(emptyTime) },
      };
      for (const r of timeRows) {
        const into = r.metric === "first_response" ? businessTime.firstResponse : businessTime.resolution;
        const t: SlaBusinessTime = { count: num(r.n), meanS: numOrNull(r.mean_s), meanTargetS: numOrNull(r.mean_target_s), withinTarget: num(r.within) };
        if (r.priority === null) into.all = t;
        else into.byPriority[r.priority as Priority] = t;
      }

      const backlog: SlaStats["backlog"] = { atRisk: 0, breached: 0, byPriority: byPriority(() => ({ atRisk: 0, breached: 0 })), links: { ...SLA_BACKLOG_LINKS } };
      for (const r of backlogRows) {
        const c = { atRisk: num(r.at_risk), breached: num(r.breached) };
        if (r.priority === null) Object.assign(backlog, c);
        else backlog.byPriority[r.priority as Priority] = c;
      }

      return { range: { from, to }, now, met, breaches, breachesPerDay: [...perDay.values()], businessTime, backlog };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

function metCounts(met: number, breached: number): SlaMetCounts {
  const total = met + breached;
  return { met, breached, total, metPct: total === 0 ? null : (100 * met) / total };
}
