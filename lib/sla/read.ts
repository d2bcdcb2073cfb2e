import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businessCalendars, ticketSlas } from "@/db/schema";
import type { WeeklyHours } from "@/db/schema/sla";
import { toSlaDTO, type SlaCalendarLike } from "./state";
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
    let cal = MISSING_CALENDAR;
    if (r.calName !== null) {
      const id = r.sla.calendarId ?? r.calName;
      cal = calendars.get(id) ?? {
        name: r.calName,
        timeZone: r.timeZone!,
        alwaysOpen: r.alwaysOpen!,
        hours: (r.hours ?? {}) as WeeklyHours,
        holidays: new Set(r.holidays ?? []),
      };
      calendars.set(id, cal);
    }
    out.set(Number(r.sla.ticketId), toSlaDTO(r.sla, cal, now));
  }
  return out;
}

/** The `sla` of one ticket (see {@link loadSlaDTOs}), or null when it has no clock. */
export async function loadSlaDTO(db: DbOrTx, ticketId: number, now: Date): Promise<TicketSlaDTO | null> {
  return (await loadSlaDTOs(db, [ticketId], now)).get(ticketId) ?? null;
}
