import ICAL from "ical.js";
import { DateTime } from "luxon";
import { ApiError } from "@/lib/http/errors";
import { MAX_ICS_BYTES } from "./schemas";

/*
 * Holidays from an iCalendar (.ics) file, parsed with ical.js (pure; no database).
 * - All-day events (DATE values) give each day from DTSTART up to, not including, DTEND
 *   (a missing DTEND = one day; DURATION is honoured).
 * - Timed events give the date of their start as written (their local wall-clock date).
 * - Yearly RRULEs (public holidays on a fixed date) are expanded from the start of `now`'s
 *   year to `now` + 3 years; EXDATEs are honoured. Other recurrences are skipped.
 * - Cancelled events, overrides of single occurrences (RECURRENCE-ID) and ranges longer than
 *   {@link MAX_RANGE_DAYS} days are skipped; every skipped entry says why.
 */

/** A holiday found in the file: a local date and the event's summary. */
export interface IcsHoliday {
  /** YYYY-MM-DD. */
  day: string;
  name: string;
}

/** An event not imported, with the reason. */
export interface IcsSkipped {
  /** The event's SUMMARY (or UID when it has none). */
  name: string;
  reason: string;
}

export interface IcsParseResult {
  /** One entry per day, sorted; when several events fall on a day the first one's name is kept. */
  holidays: IcsHoliday[];
  skipped: IcsSkipped[];
}

/** How many years ahead a yearly recurrence is expanded. */
export const RECURRENCE_YEARS = 3;
/** Longest all-day range imported, in days. */
export const MAX_RANGE_DAYS = 366;
/** Most holiday days one file may give. */
export const MAX_ICS_DAYS = 5000;

const NAME_MAX = 120;

function dayOf(t: ICAL.Time): string {
  return `${String(t.year).padStart(4, "0")}-${String(t.month).padStart(2, "0")}-${String(t.day).padStart(2, "0")}`;
}

/** The local days an occurrence covers: all-day → [start, end); timed → its start date. */
function occurrenceDays(start: ICAL.Time, end: ICAL.Time | null): string[] | { error: string } {
  const first = dayOf(start);
  if (!start.isDate || !end) return [first];
  const from = DateTime.fromISO(first, { zone: "UTC" });
  const until = DateTime.fromISO(dayOf(end), { zone: "UTC" });
  const n = Math.round(until.diff(from, "days").days);
  if (n <= 1) return [first];
  if (n > MAX_RANGE_DAYS) return { error: `spans ${n} days (at most ${MAX_RANGE_DAYS})` };
  return Array.from({ length: n }, (_, i) => from.plus({ days: i }).toISODate()!);
}

/**
 * Parse an iCalendar text into holidays.
 * @param now the instant recurrences are expanded from (pass the test clock in tests).
 * @throws ApiError 413 payload_too_large over 1 MB (UTF-8 bytes); 400 bad_request when the
 *   text is not iCalendar (details.reason has the parser's message), has no VCALENDAR, or
 *   gives more than {@link MAX_ICS_DAYS} days.
 */
export function parseIcsHolidays(text: string, now: Date): IcsParseResult {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_ICS_BYTES) throw new ApiError("payload_too_large", "The .ics file is larger than 1 MB", { maxBytes: MAX_ICS_BYTES, bytes });
  let root: ICAL.Component;
  try {
    const jcal: unknown = ICAL.parse(text.replace(/^\uFEFF/, ""));
    // A file with several VCALENDARs parses to a list of them; the first counts.
    const first = Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal[0] : jcal;
    root = new ICAL.Component(first as unknown[]);
  } catch (err) {
    throw new ApiError("bad_request", "The file is not a valid iCalendar (.ics) file", { reason: err instanceof Error ? err.message : String(err) });
  }
  if (root.name !== "vcalendar") throw new ApiError("bad_request", "The file is not a valid iCalendar (.ics) file", { reason: "no VCALENDAR" });

  const horizon = DateTime.fromJSDate(now, { zone: "UTC" }).plus({ years: RECURRENCE_YEARS });
  const fromYear = DateTime.fromJSDate(now, { zone: "UTC" }).year;
  const byDay = new Map<string, string>();
  const skipped: IcsSkipped[] = [];
  const add = (days: string[], name: string) => {
    for (const d of days) if (!byDay.has(d)) byDay.set(d, name);
    if (byDay.size > MAX_ICS_DAYS) throw new ApiError("bad_request", `The file gives more than ${MAX_ICS_DAYS} holidays`, { maxDays: MAX_ICS_DAYS });
  };

  for (const vevent of root.getAllSubcomponents("vevent")) {
    let event: ICAL.Event;
    try {
      event = new ICAL.Event(vevent);
    } catch (err) {
      skipped.push({ name: "(unreadable event)", reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    const name = (event.summary ?? "").trim().slice(0, NAME_MAX) || event.uid || "(no summary)";
    try {
      const status = String(vevent.getFirstPropertyValue("status") ?? "").toUpperCase();
      if (status === "CANCELLED") {
        skipped.push({ name, reason: "cancelled" });
        continue;
      }
      if (!vevent.hasProperty("dtstart")) {
        skipped.push({ name, reason: "no start date (DTSTART)" });
        continue;
      }
      if (event.isRecurrenceException()) {
        skipped.push({ name, reason: "changes one occurrence of a recurring event (RECURRENCE-ID); not imported" });
        continue;
      }
      const start = event.startDate;
      const end = vevent.hasProperty("dtend") || vevent.hasProperty("duration") ? event.endDate : null;
      if (!event.isRecurring()) {
        const days = occurrenceDays(start, end);
        if ("error" in days) skipped.push({ name, reason: days.error });
        else add(days, name);
        continue;
      }
      const freqs = Object.keys(event.getRecurrenceTypes() as Record<string, boolean>);
      if (freqs.length !== 1 || freqs[0] !== "YEARLY") {
        skipped.push({ name, reason: `repeats ${freqs.join("/").toLowerCase() || "irregularly"}; only yearly recurrences are imported` });
        continue;
      }
      const lengthDays = end && start.isDate ? Math.max(1, Math.round(DateTime.fromISO(dayOf(end)).diff(DateTime.fromISO(dayOf(start)), "days").days)) : 1;
      const it = event.iterator();
      for (let next = it.next(), guard = 0; next && guard < 1000; next = it.next(), guard++) {
        const occDay = DateTime.fromISO(dayOf(next), { zone: "UTC" });
        if (occDay > horizon) break;
        if (occDay.year < fromYear) continue;
        const occEnd = next.clone();
        occEnd.adjust(lengthDays, 0, 0, 0);
        const days = occurrenceDays(next, start.isDate ? occEnd : null);
        if ("error" in days) {
          skipped.push({ name, reason: days.error });
          break;
        }
        add(days, name);
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      skipped.push({ name, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  const holidays = [...byDay].map(([day, n]) => ({ day, name: n })).sort((a, b) => a.day.localeCompare(b.day));
  return { holidays, skipped };
}
