import "server-only";
import { and, asc, eq, getTableColumns, gt, isNull, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { aliasedColumns, mapAliasedRow } from "@/db/columns";
import { buildStatement, builtOnce, columnParam, runStatement } from "@/db/prepared";
import { businessCalendars, calendarHolidays, slaBreaches, slaPolicies, ticketSlas, tickets } from "@/db/schema";
import type { Priority, Status, WaitingReason } from "@/db/schema/enums";
import { logger } from "@/lib/observability/logger";
import type { LoadedCalendar } from "./calendars-load";
import { computeClock, type ClockEvent, type ClockRow } from "./clock";
import type { DoneLevel } from "./next-check";
import { recordPastThresholds } from "./history";
import { pickPolicy, type SlaPolicyRow } from "./policies";

/**
 * The one writer of ticket_slas (docs/SLA.md "Due times and pausing"). Every function runs in
 * the caller's transaction, on a ticket the caller has written (and usually locked); `now` is
 * the SLA clock's now (lib/sla/now.ts slaNow), the ticket's own timestamps (created_at,
 * first_response_at, resolved_at) are read back from the row.
 */

/** A ticket_slas row as drizzle returns it. */
export type TicketSlaRow = typeof ticketSlas.$inferSelect;

/** A ticket's clock after a recompute, with the calendar it runs on. */
export interface AppliedSla {
  row: TicketSlaRow;
  calendar: LoadedCalendar;
}

/** An active policy with its calendar (and the calendar's holidays). */
interface Candidate {
  policy: SlaPolicyRow;
  calendar: LoadedCalendar;
}

/**
 * Policies and calendars read once for many tickets (backfill, demo seed). Omit it for a
 * single ticket: the policies of its priority and their calendars are read fresh.
 */
export interface SlaLookupCache {
  candidates: Map<Priority, Candidate[]>;
}

/** An empty {@link SlaLookupCache}. */
export function newSlaLookupCache(): SlaLookupCache {
  return { candidates: new Map() };
}

const d = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/*
 * The three statements of every clock recompute, built once per process (drizzle's query
 * builder costs ~0.3 ms of CPU per statement per call; these run on every ticket write) and run
 * as prepared statements (db/prepared.ts). Tables and columns still come from the schema.
 */
const clockStatements = builtOnce(() => {
  const candidates = buildStatement(sql`SELECT ${aliasedColumns(slaPolicies, "p", "p_")}, ${aliasedColumns(businessCalendars, "c", "c_")},
      (SELECT array_agg(h.day::text) FROM ${calendarHolidays} h WHERE h.calendar_id = c.id AND NOT c.always_open) AS holidays
    FROM ${slaPolicies} p JOIN ${businessCalendars} c ON c.id = p.calendar_id
    WHERE p.priority = ${sql.placeholder("priority")} AND p.active`);
  const read = buildStatement(sql`SELECT t.priority, t.category_slug AS "categorySlug", t.team_slug AS "teamSlug",
      t.requester_email AS "requesterEmail", t.status, t.waiting_reason AS "waitingReason", t.created_at AS "createdAt",
      t.first_response_at AS "firstResponseAt", t.resolved_at AS "resolvedAt", ${aliasedColumns(ticketSlas, "s", "s_")},
      (SELECT json_agg(json_build_object('target', b.target, 'level', b.level, 'cycle', b.cycle)) FROM ${slaBreaches} b WHERE b.ticket_id = t.id) AS done
    FROM ${tickets} t LEFT JOIN ${ticketSlas} s ON s.ticket_id = t.id
    WHERE t.id = ${sql.placeholder("ticketId")}`);
  const cols = Object.entries(getTableColumns(ticketSlas)).filter(([key]) => key !== "updatedAt");
  const names = sql.join(
    cols.map(([, col]) => sql.identifier(col.name)),
    sql`, `,
  );
  const values = sql.join(
    cols.map(([key, col]) => columnParam(key, col)),
    sql`, `,
  );
  const set = sql.join(
    cols.filter(([key]) => key !== "ticketId").map(([, col]) => sql`${sql.identifier(col.name)} = EXCLUDED.${sql.identifier(col.name)}`),
    sql`, `,
  );
  const upsert = buildStatement(sql`INSERT INTO ${ticketSlas} AS s (${names}, updated_at) VALUES (${values}, now())
    ON CONFLICT (ticket_id) DO UPDATE SET ${set}, updated_at = now()
    RETURNING ${aliasedColumns(ticketSlas, "s", "")}`);
  return { candidates, read, upsert };
});

/** The active policies of a priority with their calendars and holidays, in ONE query. */
async function candidatesOf(tx: DbOrTx, priority: Priority, cache?: SlaLookupCache): Promise<Candidate[]> {
  const cached = cache?.candidates.get(priority);
  if (cached) return cached;
  const found = await runStatement(tx, clockStatements().candidates, { priority });
  const list = found.map((r) => {
    const calendar = mapAliasedRow(businessCalendars, "c_", r)!;
    return {
      policy: mapAliasedRow(slaPolicies, "p_", r)!,
      calendar: {
        id: calendar.id,
        name: calendar.name,
        timeZone: calendar.timeZone,
        alwaysOpen: calendar.alwaysOpen,
        hours: calendar.hours,
        holidays: new Set((r.holidays as string[] | null) ?? []),
      },
    };
  });
  cache?.candidates.set(priority, list);
  return list;
}

function toClockRow(s: TicketSlaRow): ClockRow {
  return {
    ...s,
    firstResponseDueAt: d(s.firstResponseDueAt)!,
    firstResponseWarnAt: d(s.firstResponseWarnAt)!,
    resolutionDueAt: d(s.resolutionDueAt)!,
    resolutionWarnAt: d(s.resolutionWarnAt)!,
    nextResponseDueAt: d(s.nextResponseDueAt),
    nextResponseWarnAt: d(s.nextResponseWarnAt),
    nextResponseStartedAt: d(s.nextResponseStartedAt),
    firstResponseMetAt: d(s.firstResponseMetAt),
    resolutionMetAt: d(s.resolutionMetAt),
    pausedAt: d(s.pausedAt),
    nextCheckAt: d(s.nextCheckAt),
  };
}

/**
 * Recompute and store a ticket's clock, with an optional event (a requester message or a
 * public agent reply). Deletes the row when no policy applies (the ticket JSON's `sla` is then
 * null) and when the policy's calendar has no working time (logged). Three statements: the
 * ticket with its clock and recorded levels, the priority's active policies with their
 * calendars (skipped with a warm `cache`), the upsert; built once per process
 * ({@link clockStatements}) and run as prepared statements.
 * @returns the stored clock and its calendar, or null when the ticket has none (or is gone).
 */
export async function applyTicketSla(
  tx: DbOrTx,
  ticketId: number,
  now: Date,
  event: ClockEvent = null,
  cache?: SlaLookupCache,
): Promise<AppliedSla | null> {
  const st = clockStatements();
  const [raw] = await runStatement(tx, st.read, { ticketId });
  if (!raw) return null;
  const r = {
    priority: raw.priority as Priority,
    categorySlug: raw.categorySlug as string,
    teamSlug: raw.teamSlug as string | null,
    requesterEmail: raw.requesterEmail as string,
    status: raw.status as Status,
    waitingReason: raw.waitingReason as WaitingReason | null,
    createdAt: raw.createdAt as Date | string,
    firstResponseAt: raw.firstResponseAt as Date | string | null,
    resolvedAt: raw.resolvedAt as Date | string | null,
    sla: mapAliasedRow(ticketSlas, "s_", raw),
    done: raw.done as DoneLevel[] | string | null,
  };
  const dropRow = async () => {
    if (r.sla) await tx.delete(ticketSlas).where(eq(ticketSlas.ticketId, ticketId));
    return null;
  };
  const candidates = await candidatesOf(tx, r.priority, cache);
  const policy = pickPolicy(
    candidates.map((c) => c.policy),
    r,
  );
  const calendar = candidates.find((c) => c.policy === policy)?.calendar;
  if (!policy || !calendar) return dropRow();
  const done: DoneLevel[] = (typeof r.done === "string" ? (JSON.parse(r.done) as DoneLevel[] | null) : r.done) ?? [];
  let clock: ClockRow;
  try {
    clock = computeClock({
      ticket: {
        createdAt: d(r.createdAt)!,
        status: r.status,
        waitingReason: r.waitingReason,
        firstResponseAt: d(r.firstResponseAt),
        resolvedAt: d(r.resolvedAt),
      },
      policy,
      calendar,
      prev: r.sla ? toClockRow(r.sla) : null,
      done,
      event,
      now,
    });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    logger.warn({ ticketId, calendar: calendar.name, err: err.message }, "SLA calendar has no working time; the ticket gets no SLA clock");
    return dropRow();
  }
  const [written] = await runStatement(tx, st.upsert, { ...clock, ticketId });
  const row = mapAliasedRow(ticketSlas, "", written)!;
  return { row, calendar };
}

/**
 * Recompute and store a ticket's SLA clock from its current fields (policy choice, targets,
 * due/warn times, pause and resume, met times, next_check_at), in the caller's transaction.
 * Call it after any change that can move the clock: create, priority/category/team/requester
 * change, status or waiting-reason change (pause/resume, resolve, reopen), first response.
 * @returns the stored row, or null when no policy applies (the row is then deleted).
 */
export async function recomputeTicketSla(tx: DbOrTx, ticketId: number, now: Date): Promise<TicketSlaRow | null> {
  return (await applyTicketSla(tx, ticketId, now))?.row ?? null;
}

/**
 * A requester's public message (portal, e-mail reply) was added: starts a next-response cycle
 * when the policy has a next-response target, the ticket is not resolved or closed, its first
 * response is met and no cycle is running; then recomputes.
 */
export async function recordRequesterMessage(tx: DbOrTx, ticketId: number, now: Date): Promise<AppliedSla | null> {
  return applyTicketSla(tx, ticketId, now, "requester_message");
}

/**
 * An agent's public reply was added: meets a running next-response cycle (the first response
 * is met through tickets.first_response_at, which the caller set); then recomputes.
 */
export async function recordAgentReply(tx: DbOrTx, ticketId: number, now: Date): Promise<AppliedSla | null> {
  return applyTicketSla(tx, ticketId, now, "agent_reply");
}

/**
 * Recompute the clocks of many tickets (one transaction each), reading the policies and
 * calendars once. Used after bulk writes that bypass the services (the demo seed).
 * @returns how many tickets have a clock afterwards.
 */
export async function recomputeTicketSlas(db: Db, ticketIds: readonly number[], now: Date): Promise<number> {
  const cache = newSlaLookupCache();
  let n = 0;
  for (const id of ticketIds) {
    const applied = await db.transaction(async (tx) => {
      const r = await applyTicketSla(tx, id, now, null, cache);
      if (r) await recordPastThresholds(tx, id, now);
      return r;
    });
    if (applied) n++;
  }
  return n;
}

/**
 * Give tickets that are not closed and have no clock one (tickets filed before the SLA
 * feature, or while no policy matched). Scans at most `limit` such tickets in id order, in
 * batches, so it ends even when no policy matches them. Runs at server start and after the
 * demo seed.
 * @returns tickets scanned and clocks created.
 */
export async function backfillTicketSlas(db: Db, now: Date, limit = 1000): Promise<{ scanned: number; created: number }> {
  const cache = newSlaLookupCache();
  const [anyPolicy] = await db.select({ id: slaPolicies.id }).from(slaPolicies).where(eq(slaPolicies.active, true)).limit(1);
  if (!anyPolicy) return { scanned: 0, created: 0 };
  let scanned = 0;
  let created = 0;
  let after = 0;
  while (scanned < limit) {
    const batch = await db
      .select({ id: tickets.id })
      .from(tickets)
      .leftJoin(ticketSlas, eq(ticketSlas.ticketId, tickets.id))
      .where(and(ne(tickets.status, "closed"), isNull(ticketSlas.ticketId), gt(tickets.id, after)))
      .orderBy(asc(tickets.id))
      .limit(Math.min(200, limit - scanned));
    if (batch.length === 0) break;
    for (const { id } of batch) {
      const applied = await db.transaction(async (tx) => {
        const r = await applyTicketSla(tx, Number(id), now, null, cache);
        if (r) await recordPastThresholds(tx, Number(id), now);
        return r;
      });
      if (applied) created++;
      after = Number(id);
    }
    scanned += batch.length;
  }
  return { scanned, created };
}
