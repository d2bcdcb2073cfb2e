import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businessCalendars, calendarHolidays } from "@/db/schema";
import type { BusinessCalendarSpec } from "./business-time";

/** A calendar as the arithmetic needs it, with its id and name. */
export interface LoadedCalendar extends BusinessCalendarSpec {
  id: string;
  name: string;
  holidays: ReadonlySet<string>;
}

/**
 * Load a business-hours calendar with its holidays (two indexed reads; no cache, so every
 * instance sees an admin's change at once).
 * @returns null when no calendar has that id.
 */
export async function loadCalendar(db: DbOrTx, calendarId: string): Promise<LoadedCalendar | null> {
  const [cal] = await db.select().from(businessCalendars).where(eq(businessCalendars.id, calendarId)).limit(1);
  if (!cal) return null;
  const days = cal.alwaysOpen
    ? []
    : await db.select({ day: calendarHolidays.day }).from(calendarHolidays).where(eq(calendarHolidays.calendarId, calendarId));
  return { id: cal.id, name: cal.name, timeZone: cal.timeZone, alwaysOpen: cal.alwaysOpen, hours: cal.hours, holidays: new Set(days.map((d) => d.day)) };
}
