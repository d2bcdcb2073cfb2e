import "server-only";
import { eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businessCalendars, ticketSlas } from "@/db/schema";
import type { WeeklyHours } from "@/db/schema/sla";
import { toSlaDTO, type SlaCalendarLike, type SlaRowLike } from "./state";
import type { TicketSlaDTO } from "./types";

/** Stands in for a calendar deleted after a ticket's clock was computed: its due times stay; counted 24×7 in UTC. */
const MISSING_CALENDAR: SlaCalendarLike = { name: "(deleted calendar)", timeZone: "UTC", alwaysOpen: true, hours: {}, holidays: [] };

/**
 * The `sla` of several tickets for the ticket JSON, in ONE query (ticket_slas with their
 * calendars and the calendars' holidays), computed at `now` (lib/sla/now.ts slaNow).
 * @returns ticket id → DTO; tickets without a clock are absent (their `sla` is null).
 */
export async function loadSlaDTOs(db: DbOrTx, ticketIds: readonly number[], now: Date): Promise<Map<number, TicketSlaDTO>> {
  const out = new Map<number, TicketSlaDTO>();
  if (ticketIds.length === 0) return out;
  const found = await db
    .select({
      sla: ticketSlas,
      calName: businessCalendars.name,
      timeZone: businessCalendars.timeZone,
      alwaysOpen: businessCalendars.alwaysOpen,
      hours: businessCalendars.hours,
      holidays: sql<string[] | null>`(SELECT array_agg(h.day::text ORDER BY h.day) FROM calendar_holidays h WHERE h.calendar_id = ${businessCalendars.id})`,
    })
    .from(ticketSlas)
    .leftJoin(businessCalendars, eq(businessCalendars.id, ticketSlas.calendarId))
    .where(ticketIds.length === 1 ? eq(ticketSlas.ticketId, ticketIds[0]) : inArray(ticketSlas.ticketId, [...ticketIds]));
  // One calendar object per calendar: the tickets of a page share it (and its memoised holidays).
  const calendars = new Map<string, SlaCalendarLike>();
  for (const r of found) {
    const cal = sharedCalendar(calendars, {
      calendarId: r.sla.calendarId,
      calName: r.calName,
      timeZone: r.timeZone,
      alwaysOpen: r.alwaysOpen,
      hours: r.hours as WeeklyHours | null,
      holidays: r.holidays,
    });
    out.set(Number(r.sla.ticketId), toSlaDTO(r.sla, cal, now));
  }
  return out;
}

/** A clock's calendar as both readers get it: null fields when the calendar was deleted. */
interface CalendarFields {
  calendarId: string | null;
  calName: string | null;
  timeZone: string | null;
  alwaysOpen: boolean | null;
  hours: WeeklyHours | null;
  holidays: string[] | null;
}

/** The calendar of one clock, one object per calendar in `cache` (the tickets of a page share it and its memoised holidays). */
function sharedCalendar(cache: Map<string, SlaCalendarLike>, f: CalendarFields): SlaCalendarLike {
  if (f.calName === null) return MISSING_CALENDAR;
  const id = f.calendarId ?? f.calName;
  let cal = cache.get(id);
  if (!cal) {
    cal = { name: f.calName, timeZone: f.timeZone!, alwaysOpen: f.alwaysOpen!, hours: f.hours ?? {}, holidays: new Set(f.holidays ?? []) };
    cache.set(id, cal);
  }
  return cal;
}

/** What {@link slaJsonColumn} yields per ticket: the clock's fields (timestamps as ISO text) and its calendar's. */
export interface SlaJson extends SlaRowLike, CalendarFields {}

/**
 * A column for a query over `tickets` (not aliased: drizzle writes a lone table's columns
 * unqualified, which the subquery would bind to its own tables, so it names "tickets"."id"): the ticket's SLA clock with its calendar and holidays as
 * one JSON object (null without a clock), from a correlated subquery evaluated only for the rows
 * a LIMIT returns. It saves the list the second round trip of {@link loadSlaDTOs}; turn it into
 * DTOs with {@link slaDTOsFromJson}.
 */
export function slaJsonColumn(): SQL<SlaJson | null> {
  return sql<SlaJson | null>`(SELECT json_build_object(
      'calendarId', s.calendar_id, 'policyName', s.policy_name,
      'firstResponseTargetS', s.first_response_target_s, 'resolutionTargetS', s.resolution_target_s,
      'nextResponseTargetS', s.next_response_target_s,
      'firstResponseDueAt', s.first_response_due_at, 'firstResponseWarnAt', s.first_response_warn_at,
      'resolutionDueAt', s.resolution_due_at, 'resolutionWarnAt', s.resolution_warn_at,
      'nextResponseDueAt', s.next_response_due_at, 'nextResponseWarnAt', s.next_response_warn_at,
      'firstResponseMetAt', s.first_response_met_at, 'resolutionMetAt', s.resolution_met_at, 'pausedAt', s.paused_at,
      'calName', c.name, 'timeZone', c.time_zone, 'alwaysOpen', c.always_open, 'hours', c.hours,
      'holidays', (SELECT array_agg(h.day::text ORDER BY h.day) FROM calendar_holidays h WHERE h.calendar_id = c.id))
    FROM ticket_slas s LEFT JOIN business_calendars c ON c.id = s.calendar_id
    WHERE s.ticket_id = "tickets"."id")`;
}

/**
 * The DTOs of rows read with {@link slaJsonColumn}, computed at `now`; the same result as
 * {@link loadSlaDTOs} for those tickets (one calendar object per calendar, shared by the page).
 * @returns ticket id → DTO; tickets without a clock are absent.
 */
export function slaDTOsFromJson(rows: readonly { id: number; sla: SlaJson | string | null }[], now: Date): Map<number, TicketSlaDTO> {
  const out = new Map<number, TicketSlaDTO>();
  const calendars = new Map<string, SlaCalendarLike>();
  for (const r of rows) {
    if (r.sla === null) continue;
    // postgres.js parses json; a driver that does not hands over the text.
    const j = typeof r.sla === "string" ? (JSON.parse(r.sla) as SlaJson) : r.sla;
    const cal = sharedCalendar(calendars, j);
    out.set(r.id, toSlaDTO(j, cal, now));
  }
  return out;
}

/** The `sla` of one ticket (see {@link loadSlaDTOs}), or null when it has no clock. */
export async function loadSlaDTO(db: DbOrTx, ticketId: number, now: Date): Promise<TicketSlaDTO | null> {
  return (await loadSlaDTOs(db, [ticketId], now)).get(ticketId) ?? null;
}
