/**
 * Working hours of an employee skill profile, evaluated in the employee's own time zone.
 * Pure (no database); shared by ranking and tests.
 */

/** The working-time fields of an `employees` row. */
export interface WorkingTime {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Shift start, minutes after local midnight (0–1440). */
  workStartMin: number;
  /** Shift end, minutes after local midnight (0–1440); below the start = an overnight shift. */
  workEndMin: number;
  /** ISO weekdays the shift starts on (1 = Monday … 7 = Sunday). */
  workDays: readonly number[];
}

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Local ISO weekday (1–7) and minutes after local midnight of `now` in `timeZone`.
 * @throws RangeError for an unknown time zone.
 */
export function localClock(now: Date, timeZone: string): { weekday: number; minutes: number } {
  const parts = formatter(timeZone).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { weekday: WEEKDAY[get("weekday")] ?? 0, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

/**
 * Whether `now` falls in the employee's shift, in their time zone.
 *
 * - start < end: on a work day, start ≤ local minutes < end.
 * - end < start (overnight, e.g. 22:00–06:00): from the start on a work day until midnight, or
 *   before the end on the morning after a work day (the shift belongs to the day it starts).
 * - start = end: the whole of each work day.
 *
 * An unknown time zone counts as out of hours (never assign on a guess).
 */
export function inWorkingHours(w: WorkingTime, now: Date): boolean {
  let clock: { weekday: number; minutes: number };
  try {
    clock = localClock(now, w.timeZone);
  } catch {
    return false;
  }
  const days = new Set(w.workDays);
  const { weekday, minutes } = clock;
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  if (w.workStartMin === w.workEndMin) return days.has(weekday);
  if (w.workStartMin < w.workEndMin) return days.has(weekday) && minutes >= w.workStartMin && minutes < w.workEndMin;
  return (days.has(weekday) && minutes >= w.workStartMin) || (days.has(yesterday) && minutes < w.workEndMin);
}
