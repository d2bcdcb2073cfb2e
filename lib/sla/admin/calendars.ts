import "server-only";
import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businessCalendars, calendarHolidays, slaPolicies } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { hasWorkingTime } from "@/lib/sla/business-time";
import { assertAdmin, assertUuid, audit, conflict, type Tx } from "./common";
import { parseIcsHolidays, type IcsSkipped } from "./ics";
import { fromWeeklyHours, toWeeklyHours, type CreateCalendarInput, type HolidayInput, type HoursInput, type UpdateCalendarInput } from "./schemas";

/*
 * Business calendars and their holidays (admins). Every change writes an audit event (entity
 * `business_calendar`, actions business_calendar.created / .updated / .deleted /
 * .holiday_set / .holiday_deleted / .holidays_imported) in the same transaction. Inputs are
 * parsed by the callers with the schemas of ./schemas.ts. Ticket clocks read calendars fresh
 * (lib/sla/calendars-load.ts), so a change applies when a ticket's SLA is next recomputed.
 */

type Row = typeof businessCalendars.$inferSelect;

/** A calendar as the API and admin pages show it. */
export interface CalendarDTO {
  id: string;
  name: string;
  /** IANA time zone. */
  timeZone: string;
  alwaysOpen: boolean;
  /** ISO weekday "1".."7" → [{start: "HH:MM", end: "HH:MM"}]; missing days are closed. */
  hours: HoursInput;
  /** Number of holidays. */
  holidayCount: number;
  /** Number of SLA policies counting on this calendar. */
  policyCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A holiday: a whole local day on which the calendar's clock does not run. */
export interface HolidayDTO {
  /** YYYY-MM-DD, local to the calendar. */
  day: string;
  name: string;
}

const WHAT = "business calendars";
const NOT_FOUND = "Calendar";

function toDTO(r: Row, holidayCount: number, policyCount: number): CalendarDTO {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.timeZone,
    alwaysOpen: r.alwaysOpen,
    hours: fromWeeklyHours(r.hours),
    holidayCount,
    policyCount,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const auditState = (r: Row) => ({ name: r.name, timeZone: r.timeZone, alwaysOpen: r.alwaysOpen, hours: r.hours });

async function counts(db: DbOrTx, id: string): Promise<{ holidays: number; policies: number }> {
  const [[h], [p]] = await Promise.all([
    db.select({ n: count() }).from(calendarHolidays).where(eq(calendarHolidays.calendarId, id)),
    db.select({ n: count() }).from(slaPolicies).where(eq(slaPolicies.calendarId, id)),
  ]);
  return { holidays: Number(h?.n ?? 0), policies: Number(p?.n ?? 0) };
}

async function assertNameFree(db: DbOrTx, name: string, exceptId?: string): Promise<void> {
  const [clash] = await db
    .select({ id: businessCalendars.id })
    .from(businessCalendars)
    .where(and(sql`lower(${businessCalendars.name}) = lower(${name})`, exceptId ? ne(businessCalendars.id, exceptId) : undefined))
    .limit(1);
  if (clash) throw conflict("duplicate_name", `A calendar called "${name}" already exists`, { field: "name" });
}

async function lockCalendar(tx: Tx, id: string): Promise<Row> {
  assertUuid(id, NOT_FOUND);
  const [r] = await tx.select().from(businessCalendars).where(eq(businessCalendars.id, id)).for("update").limit(1);
  if (!r) throw new ApiError("not_found", "Calendar not found");
  return r;
}

/**
 * All calendars by name, with holiday and policy counts (admins).
 * @throws ApiError 403.
 */
export async function listCalendars(db: DbOrTx, actor: Principal): Promise<CalendarDTO[]> {
  assertAdmin(actor, WHAT);
  const rows = await db
    .select({
      cal: businessCalendars,
      holidays: sql<number>`(SELECT count(*) FROM calendar_holidays h WHERE h.calendar_id = "business_calendars"."id")::int`,
      policies: sql<number>`(SELECT count(*) FROM sla_policies p WHERE p.calendar_id = "business_calendars"."id")::int`,
    })
    .from(businessCalendars)
    .orderBy(asc(businessCalendars.name));
  return rows.map((r) => toDTO(r.cal, Number(r.holidays), Number(r.policies)));
}

/** One calendar (admins). @throws ApiError 403, 404. */
export async function getCalendar(db: DbOrTx, id: string, actor: Principal): Promise<CalendarDTO> {
  assertAdmin(actor, WHAT);
  assertUuid(id, NOT_FOUND);
  const [r] = await db.select().from(businessCalendars).where(eq(businessCalendars.id, id)).limit(1);
  if (!r) throw new ApiError("not_found", "Calendar not found");
  const c = await counts(db, id);
  return toDTO(r, c.holidays, c.policies);
}

/**
 * Create a calendar (admins).
 * @throws ApiError 403, 409 (`details.reason` duplicate_name).
 */
export async function createCalendar(db: DbOrTx, input: CreateCalendarInput, actor: Principal): Promise<CalendarDTO> {
  assertAdmin(actor, WHAT);
  const row = await db.transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    const [r] = await tx
      .insert(businessCalendars)
      .values({ name: input.name, timeZone: input.timeZone, alwaysOpen: input.alwaysOpen, hours: toWeeklyHours(input.hours) })
      .returning();
    await audit(tx, actor, "business_calendar", r.id, "business_calendar.created", null, auditState(r));
    return r;
  });
  return toDTO(row, 0, 0);
}

/**
 * Change a calendar (admins); fields left out keep their value. The result must still have
 * working time unless it is 24×7.
 * @throws ApiError 400 (no working time left), 403, 404, 409 (duplicate_name).
 */
export async function updateCalendar(db: DbOrTx, id: string, input: UpdateCalendarInput, actor: Principal): Promise<CalendarDTO> {
  assertAdmin(actor, WHAT);
  const row = await db.transaction(async (tx) => {
    const before = await lockCalendar(tx, id);
    if (input.name !== undefined && input.name !== before.name) await assertNameFree(tx, input.name, id);
    const next = {
      name: input.name ?? before.name,
      timeZone: input.timeZone ?? before.timeZone,
      alwaysOpen: input.alwaysOpen ?? before.alwaysOpen,
      hours: input.hours !== undefined ? toWeeklyHours(input.hours) : before.hours,
    };
    if (!hasWorkingTime(next)) {
      throw new ApiError("validation_error", "A calendar that is not 24×7 needs working hours on at least one day", {
        issues: [{ path: "hours", code: "custom", message: "A calendar that is not 24×7 needs working hours on at least one day" }],
      });
    }
    const [r] = await tx
      .update(businessCalendars)
      .set({ ...next, updatedAt: new Date() })
      .where(eq(businessCalendars.id, id))
      .returning();
    await audit(tx, actor, "business_calendar", id, "business_calendar.updated", auditState(before), auditState(r));
    return r;
  });
  const c = await counts(db, id);
  return toDTO(row, c.holidays, c.policies);
}

/**
 * Delete a calendar and its holidays (admins).
 * @throws ApiError 403, 404, 409 (`details.reason` calendar_in_use, with the policy names).
 */
export async function deleteCalendar(db: DbOrTx, id: string, actor: Principal): Promise<void> {
  assertAdmin(actor, WHAT);
  await db.transaction(async (tx) => {
    const before = await lockCalendar(tx, id);
    const users = await tx.select({ name: slaPolicies.name }).from(slaPolicies).where(eq(slaPolicies.calendarId, id)).orderBy(asc(slaPolicies.name));
    if (users.length) {
      throw conflict("calendar_in_use", `The calendar is used by ${users.length === 1 ? "the policy" : "the policies"} ${users.map((u) => `"${u.name}"`).join(", ")}; move them to another calendar first`, {
        policies: users.map((u) => u.name),
      });
    }
    await tx.delete(businessCalendars).where(eq(businessCalendars.id, id));
    await audit(tx, actor, "business_calendar", id, "business_calendar.deleted", auditState(before), null);
  });
}

/** A calendar's holidays by day (admins). @throws ApiError 403, 404. */
export async function listHolidays(db: DbOrTx, id: string, actor: Principal): Promise<HolidayDTO[]> {
  assertAdmin(actor, WHAT);
  assertUuid(id, NOT_FOUND);
  const [cal] = await db.select({ id: businessCalendars.id }).from(businessCalendars).where(eq(businessCalendars.id, id)).limit(1);
  if (!cal) throw new ApiError("not_found", "Calendar not found");
  return db.select({ day: calendarHolidays.day, name: calendarHolidays.name }).from(calendarHolidays).where(eq(calendarHolidays.calendarId, id)).orderBy(asc(calendarHolidays.day));
}

/**
 * Add holidays to a calendar, or rename those it has (upsert by day), in one transaction with
 * one audit event. Used by the single-holiday endpoint and by the .ics import.
 * @returns how many days were new and how many existed (and were renamed).
 * @throws ApiError 403, 404.
 */
export async function upsertHolidays(
  db: DbOrTx,
  id: string,
  holidays: readonly HolidayInput[],
  actor: Principal,
  action: "business_calendar.holiday_set" | "business_calendar.holidays_imported" = "business_calendar.holiday_set",
): Promise<{ added: number; updated: number }> {
  assertAdmin(actor, WHAT);
  return db.transaction(async (tx) => {
    await lockCalendar(tx, id);
    const byDay = new Map(holidays.map((h) => [h.day, h.name]));
    if (byDay.size === 0) return { added: 0, updated: 0 };
    const existing = await tx.select({ day: calendarHolidays.day }).from(calendarHolidays).where(eq(calendarHolidays.calendarId, id));
    const had = new Set(existing.map((e) => e.day));
    const values = [...byDay].map(([day, name]) => ({ calendarId: id, day, name }));
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insert(calendarHolidays)
        .values(values.slice(i, i + 500))
        .onConflictDoUpdate({ target: [calendarHolidays.calendarId, calendarHolidays.day], set: { name: sql`excluded.name` } });
    }
    await tx.update(businessCalendars).set({ updatedAt: new Date() }).where(eq(businessCalendars.id, id));
    const added = values.filter((v) => !had.has(v.day)).length;
    const days = values.map((v) => v.day).sort();
    await audit(tx, actor, "business_calendar", id, action, null, {
      added,
      updated: values.length - added,
      days: days.length <= 50 ? days : [...days.slice(0, 50), `… ${days.length - 50} more`],
    });
    return { added, updated: values.length - added };
  });
}

/**
 * Remove one holiday (admins).
 * @throws ApiError 403, 404 (no such calendar or no holiday on that day).
 */
export async function deleteHoliday(db: DbOrTx, id: string, day: string, actor: Principal): Promise<void> {
  assertAdmin(actor, WHAT);
  await db.transaction(async (tx) => {
    await lockCalendar(tx, id);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new ApiError("not_found", "Holiday not found");
    const gone = await tx
      .delete(calendarHolidays)
      .where(and(eq(calendarHolidays.calendarId, id), eq(calendarHolidays.day, day)))
      .returning({ day: calendarHolidays.day, name: calendarHolidays.name });
    if (!gone.length) throw new ApiError("not_found", "Holiday not found");
    await tx.update(businessCalendars).set({ updatedAt: new Date() }).where(eq(businessCalendars.id, id));
    await audit(tx, actor, "business_calendar", id, "business_calendar.holiday_deleted", { day: gone[0].day, name: gone[0].name }, null);
  });
}

/** What an .ics import did: days added and renamed, and the events it skipped (with reasons). */
export interface IcsImportResult {
  added: number;
  updated: number;
  holidays: HolidayDTO[];
  skipped: IcsSkipped[];
}

/**
 * Import holidays from iCalendar text into a calendar, merging with those it has (upsert by
 * day: a day already there takes the file's name). Yearly recurrences are expanded from `now`.
 * @throws ApiError 400 (not iCalendar, or no holiday in it: details.skipped says why), 403,
 *   404, 413 (over 1 MB).
 */
export async function importIcsHolidays(db: DbOrTx, id: string, ics: string, now: Date, actor: Principal): Promise<IcsImportResult> {
  assertAdmin(actor, WHAT);
  assertUuid(id, NOT_FOUND);
  const parsed = parseIcsHolidays(ics, now);
  const [cal] = await db.select({ id: businessCalendars.id }).from(businessCalendars).where(eq(businessCalendars.id, id)).limit(1);
  if (!cal) throw new ApiError("not_found", "Calendar not found");
  if (parsed.holidays.length === 0) {
    throw new ApiError("bad_request", "The file has no events that can be imported as holidays", { skipped: parsed.skipped });
  }
  const r = await upsertHolidays(db, id, parsed.holidays, actor, "business_calendar.holidays_imported");
  return { ...r, holidays: parsed.holidays, skipped: parsed.skipped };
}
