import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { ticketSlas, tickets } from "@/db/schema";
import type { SlaState } from "./types";

/*
 * The ticket list's SLA filter and due-time sort in SQL, mirroring lib/sla/state.ts toSlaDTO
 * (the same rules, so the filter and the JSON agree). Column references are to `ticket_slas`
 * unaliased; `now` is bound as a parameter (the SLA clock's now, test clock included).
 */

const s = ticketSlas;

/** Due time of the active target: the earliest unmet of first response, next response, resolution (NULL when all are met). */
export const activeDueSql: SQL = sql`LEAST(CASE WHEN ${s.firstResponseMetAt} IS NULL THEN ${s.firstResponseDueAt} END, ${s.nextResponseDueAt}, CASE WHEN ${s.resolutionMetAt} IS NULL THEN ${s.resolutionDueAt} END)`;

/** Warn time of the active target (ties broken in the order first response, next response, resolution). */
const activeWarnSql: SQL = sql`CASE
  WHEN ${s.firstResponseMetAt} IS NULL AND ${s.firstResponseDueAt} = ${activeDueSql} THEN ${s.firstResponseWarnAt}
  WHEN ${s.nextResponseDueAt} = ${activeDueSql} THEN ${s.nextResponseWarnAt}
  ELSE ${s.resolutionWarnAt} END`;

/** A ticket_slas row's overall state at `now` (text: on_track | at_risk | breached | met | paused). */
export function slaStateSql(now: Date): SQL {
  const at = sql`coalesce(${s.pausedAt}, ${now.toISOString()}::timestamptz)`;
  const breached = sql`(${s.firstResponseMetAt} > ${s.firstResponseDueAt}
    OR (${s.firstResponseMetAt} IS NULL AND ${at} >= ${s.firstResponseDueAt})
    OR ${s.resolutionMetAt} > ${s.resolutionDueAt}
    OR (${s.resolutionMetAt} IS NULL AND ${at} >= ${s.resolutionDueAt})
    OR ${at} >= ${s.nextResponseDueAt})`;
  return sql`(CASE WHEN ${breached} THEN 'breached'
    WHEN ${s.pausedAt} IS NOT NULL THEN 'paused'
    WHEN ${activeDueSql} IS NULL THEN 'met'
    WHEN ${at} >= ${activeWarnSql} THEN 'at_risk'
    ELSE 'on_track' END)`;
}

/**
 * A condition over `tickets`: the ticket has a clock whose state at `now` is one of `states`.
 * A correlated EXISTS on the ticket_slas primary key, so it also works inside the full-text
 * search's own queries over `tickets`.
 */
export function slaStateFilter(states: readonly SlaState[], now: Date): SQL {
  const list = sql.join(
    states.map((st) => sql`${st}`),
    sql`, `,
  );
  return sql`EXISTS (SELECT 1 FROM ${s} WHERE ${s.ticketId} = ${tickets.id} AND ${slaStateSql(now)} IN (${list}))`;
}
