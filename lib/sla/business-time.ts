import { DateTime } from "luxon";
import type { WeeklyHours } from "@/db/schema/sla";

/**
 * Business-time arithmetic on a calendar (pure; no database). Local wall-clock times are
 * resolved in the calendar's IANA time zone by luxon, so daylight-saving changes move the
 * working hours with the local clock (09:00 stays 09:00 local) and a day that is 23 or 25
 * hours long counts the hours it really has inside its working intervals.
 *
 * Units: instants are `Date`s (UTC underneath); business durations are seconds.
 */
export interface BusinessCalendarSpec {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** 24×7: every second counts; `hours` and `holidays` are ignored. */
  alwaysOpen: boolean;
  /** Working intervals per ISO weekday (1 = Monday), minutes after local midnight, [start, end). */
  hours: WeeklyHours;
  /** Local dates (`YYYY-MM-DD`) on which the clock does not run. */
  holidays: ReadonlySet<string> | readonly string[];
}

/** The longest span the arithmetic walks before giving up (a calendar that is never open), in days. */
const MAX_DAYS = 3 * 366;

/** Normalised working intervals of a weekday: sorted, merged, clamped to [0, 1440]. */
function dayIntervals(hours: WeeklyHours, weekday: number): Array<[number, number]> {
  const raw = hours[String(weekday) as keyof WeeklyHours] ?? [];
  const list = raw
    .map(([s, e]) => [Math.max(0, Math.min(1440, s)), Math.max(0, Math.min(1440, e))] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const iv of list) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}

/** True when the calendar has at least one working minute in a week (or is 24×7). */
export function hasWorkingTime(cal: Pick<BusinessCalendarSpec, "alwaysOpen" | "hours">): boolean {
  if (cal.alwaysOpen) return true;
  for (let d = 1; d <= 7; d++) if (dayIntervals(cal.hours, d).length > 0) return true;
  return false;
}

/** A local wall-clock minute of a day as an instant (ms). 1440 = the next local midnight. */
function localMinute(day: DateTime, minute: number): number {
  if (minute >= 1440) return day.plus({ days: 1 }).startOf("day").toMillis();
  // set() keeps the local wall clock; a time that does not exist (spring-forward gap) moves forward.
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis();
}

/**
 * One local day of a calendar's weekly hours (holidays not applied): its ISO date, its start
 * and the next day's start (ms; 23 or 25 hours apart across a daylight-saving change) and its
 * working intervals as [start, end) instants in ms.
 */
interface DayPlan {
  isoDate: string;
  startMs: number;
  nextMs: number;
  intervals: ReadonlyArray<readonly [number, number]>;
}

/** Day plans of one (time zone, weekly hours) pair by day start (ms), and the one used last. */
interface PlanBucket {
  days: Map<number, DayPlan>;
  last: DayPlan | null;
}

/**
 * Day plans are pure functions of the time zone, the weekly hours and the day, so they are
 * memoised per process: a ticket list computes three spans per ticket on the same few days, and
 * resolving local times through luxon (Intl) is what cost (docs/RELIABILITY.md, load figures).
 * Bounded: a bucket holds at most {@link MAX_PLANS_PER_BUCKET} days and the cache
 * {@link MAX_BUCKETS} (zone, hours) pairs; past either bound it starts over. Holidays are
 * applied per call, so editing them needs no eviction.
 */
const planCache = new Map<string, PlanBucket>();
const MAX_BUCKETS = 256;
const MAX_PLANS_PER_BUCKET = 4096;

/** Empties the day-plan cache (tests compare cold and warm answers). */
export function clearBusinessTimeCache(): void {
  planCache.clear();
}

function bucketFor(cal: BusinessCalendarSpec): PlanBucket {
  const key = `${cal.timeZone}\u0000${JSON.stringify(cal.hours)}`;
  let bucket = planCache.get(key);
  if (!bucket) {
    if (planCache.size >= MAX_BUCKETS) planCache.clear();
    bucket = { days: new Map(), last: null };
    planCache.set(key, bucket);
  }
  return bucket;
}

/** The plan of the local day that starts at `day` (a luxon start of day in the calendar's zone). */
function planOf(cal: BusinessCalendarSpec, bucket: PlanBucket, day: DateTime): DayPlan {
  const startMs = day.toMillis();
  let plan = bucket.days.get(startMs);
  if (!plan) {
    const intervals: Array<readonly [number, number]> = [];
    for (const [s, e] of dayIntervals(cal.hours, day.weekday)) {
      const start = localMinute(day, s);
      const end = localMinute(day, e);
      if (end > start) intervals.push([start, end]);
    }
    plan = { isoDate: day.toISODate() ?? "", startMs, nextMs: day.plus({ days: 1 }).startOf("day").toMillis(), intervals };
    if (bucket.days.size >= MAX_PLANS_PER_BUCKET) bucket.days.clear();
    bucket.days.set(startMs, plan);
  }
  return plan;
}

/** The plan of the day after `plan` (cached; luxon only on a miss). */
function nextPlan(cal: BusinessCalendarSpec, bucket: PlanBucket, plan: DayPlan): DayPlan {
  return bucket.days.get(plan.nextMs) ?? planOf(cal, bucket, DateTime.fromMillis(plan.nextMs, { zone: cal.timeZone }));
}

/**
 * The plan of the local day containing `ms`.
 * @throws RangeError when the calendar's time zone is unknown.
 */
function planContaining(cal: BusinessCalendarSpec, bucket: PlanBucket, ms: number): DayPlan {
  const last = bucket.last;
  if (last && last.startMs <= ms && ms < last.nextMs) return last;
  const day = DateTime.fromMillis(ms, { zone: cal.timeZone }).startOf("day");
  if (!day.isValid) throw new RangeError(`invalid time zone: ${cal.timeZone}`);
  const plan = planOf(cal, bucket, day);
  bucket.last = plan;
  return plan;
}

/**
 * The working intervals of the calendar from `fromMs` on, as [start, end) instants in ms,
 * in order; the first one is cut at `fromMs`.
 * @throws RangeError when the calendar has no working time within {@link MAX_DAYS} days.
 */
function* workingIntervals(cal: BusinessCalendarSpec, fromMs: number): Generator<[number, number]> {
  if (cal.alwaysOpen) {
    yield [fromMs, Number.POSITIVE_INFINITY];
    return;
  }
  const holidays = cal.holidays instanceof Set ? (cal.holidays as ReadonlySet<string>) : new Set(cal.holidays as readonly string[]);
  const bucket = bucketFor(cal);
  let plan = planContaining(cal, bucket, fromMs);
  let daysWithoutWork = 0;
  for (;;) {
    let worked = false;
    if (!holidays.has(plan.isoDate)) {
      for (const [start, end] of plan.intervals) {
        if (end <= fromMs) continue;
        worked = true;
        yield [Math.max(start, fromMs), end];
      }
    }
    daysWithoutWork = worked ? 0 : daysWithoutWork + 1;
    if (daysWithoutWork > MAX_DAYS) throw new RangeError("the calendar has no working time (check its hours and holidays)");
    plan = nextPlan(cal, bucket, plan);
  }
}

/**
 * The instant at which `seconds` of business time have run on the calendar, starting at
 * `start`. Starting outside working hours, the clock starts at the next opening.
 * `seconds <= 0` returns `start`.
 * @throws RangeError when the calendar never opens (see {@link hasWorkingTime}).
 */
export function addBusinessSeconds(cal: BusinessCalendarSpec, start: Date, seconds: number): Date {
  if (seconds <= 0) return new Date(start.getTime());
  let remaining = seconds * 1000;
  for (const [s, e] of workingIntervals(cal, start.getTime())) {
    const len = e - s;
    if (remaining <= len) return new Date(s + remaining);
    remaining -= len;
  }
  /* c8 ignore next */
  throw new RangeError("unreachable");
}

/**
 * Business seconds between two instants on the calendar (0 when `to <= from`), rounded down
 * to whole seconds.
 */
export function businessSecondsBetween(cal: BusinessCalendarSpec, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (cal.alwaysOpen) return Math.floor((b - a) / 1000);
  let total = 0;
  for (const [s, e] of workingIntervals(cal, a)) {
    if (s >= b) break;
    total += Math.min(e, b) - s;
    if (e >= b) break;
  }
  return Math.floor(total / 1000);
}

/** True when the calendar's clock runs at `at` (inside working hours, not a holiday). */
export function isBusinessTime(cal: BusinessCalendarSpec, at: Date): boolean {
  if (cal.alwaysOpen) return true;
  const t = at.getTime();
  for (const [s] of workingIntervals(cal, t)) return s <= t;
  return false;
}
