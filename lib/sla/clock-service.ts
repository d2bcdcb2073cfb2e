import "server-only";
import { and, asc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { businessCalendars, slaPolicies, ticketSlas, tickets } from "@/db/schema";
import type { Priority } from "@/db/schema/enums";
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

/** The active policies of a priority with their calendars and holidays, in ONE query. */
async function candidatesOf(tx: DbOrTx, priority: Priority, cache?: SlaLookupCache): Promise<Candidate[]> {
  const cached = cache?.candidates.get(priority);
  if (cached) return cached;
  const found = await tx
    .select({
      policy: slaPolicies,
      calendar: businessCalendars,
      holidays: sql<string[] | null>`(SELECT array_agg(h.day::text) FROM calendar_holidays h WHERE h.calendar_id = ${businessCalendars.id} AND NOT ${businessCalendars.alwaysOpen})`,
    })
    .from(slaPolicies)
    .innerJoin(businessCalendars, eq(businessCalendars.id, slaPolicies.calendarId))
    .where(and(eq(slaPolicies.priority, priority), eq(slaPolicies.active, true)));
  const list = found.map((r) => ({
    policy: r.policy,
    calendar: {
      id: r.calendar.id,
      name: r.calendar.name,
      timeZone: r.calendar.timeZone,
      alwaysOpen: r.calendar.alwaysOpen,
      hours: r.calendar.hours,
      holidays: new Set(r.holidays ?? []),
    },
  }));
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
 * calendars (skipped with a warm `cache`), the upsert.
 * @returns the stored clock and its calendar, or null when the ticket has none (or is gone).
 */
export async function applyTicketSla(
  tx: DbOrTx,
  ticketId: number,
  now: Date,
  event: ClockEvent = null,
  cache?: SlaLookupCache,
): Promise<AppliedSla | null> {
  const [r] = await tx
    .select({
      priority: tickets.priority,
      categorySlug: tickets.categorySlug,
      teamSlug: tickets.teamSlug,
      requesterEmail: tickets.requesterEmail,
      status: tickets.status,
      waitingReason: tickets.waitingReason,
      createdAt: tickets.createdAt,
      firstResponseAt: tickets.firstResponseAt,
      resolvedAt: tickets.resolvedAt,
      sla: ticketSlas,
      done: sql<DoneLevel[] | null>`(SELECT json_agg(json_build_object('target', b.target, 'level', b.level, 'cycle', b.cycle)) FROM sla_breaches b WHERE b.ticket_id = ${tickets.id})`,
    })
    .from(tickets)
    .leftJoin(ticketSlas, eq(ticketSlas.ticketId, tickets.id))
    .where(eq(tickets.id, ticketId))
    .limit(1);
  if (!r) return null;
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
  const [row] = await tx
    .insert(ticketSlas)
    .values({ ticketId, ...clock, updatedAt: sql`now()` as never })
    .onConflictDoUpdate({ target: ticketSlas.ticketId, set: { ...clock, updatedAt: sql`now()` as never } })
    .returning();
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
