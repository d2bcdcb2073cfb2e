import { DateTime } from "luxon";
import type { WeeklyHours } from "@/db/schema/sla";
import { businessSecondsBetween, type BusinessCalendarSpec } from "./business-time";
import type { SlaState, SlaTarget, SlaTargetDTO, TicketSlaDTO } from "./types";

/**
 * A ticket's SLA as the API shows it, computed at read time from the stored clock (pure).
 * Rules: docs/SLA.md "Due times and pausing".
 */

type Instant = Date | string;

/** The stored clock fields {@link toSlaDTO} reads (a ticket_slas row; timestamps as Date or text). */
export interface SlaRowLike {
  policyName: string;
  firstResponseTargetS: number;
  resolutionTargetS: number;
  nextResponseTargetS: number | null;
  firstResponseDueAt: Instant;
  firstResponseWarnAt: Instant;
  resolutionDueAt: Instant;
  resolutionWarnAt: Instant;
  nextResponseDueAt: Instant | null;
  nextResponseWarnAt: Instant | null;
  firstResponseMetAt: Instant | null;
  resolutionMetAt: Instant | null;
  pausedAt: Instant | null;
}

/** The calendar fields the DTO needs (a LoadedCalendar fits). */
export interface SlaCalendarLike extends BusinessCalendarSpec {
  name: string;
  hours: WeeklyHours;
}

/** How far ahead the DTO lists the calendar's holidays, in days. */
export const HOLIDAYS_AHEAD_DAYS = 400;

const date = (v: Instant): Date => (v instanceof Date ? v : new Date(v));
const dateOrNull = (v: Instant | null): Date | null => (v === null ? null : date(v));

/** Business seconds from `from` to `to`; negative when `to` is earlier. */
export function signedBusinessSeconds(cal: BusinessCalendarSpec, from: Date, to: Date): number {
  return from <= to ? businessSecondsBetween(cal, from, to) : -businessSecondsBetween(cal, to, from);
}

interface TargetTimes {
  target: SlaTarget;
  targetS: number;
  due: Date;
  warn: Date;
  metAt: Date | null;
}

/**
 * One target's state: met (met by its due time) or breached (met late, or unmet at or after
 * the due time); at_risk when the warn time has passed; paused while the clock is stopped;
 * else on_track. While paused, times are measured at the pause (`pausedAt`), so the state and
 * `remainingS` stay frozen.
 */
function targetDTO(cal: BusinessCalendarSpec, t: TargetTimes, pausedAt: Date | null, now: Date): SlaTargetDTO {
  const at = pausedAt ?? now;
  let state: SlaState;
  if (t.metAt) state = t.metAt <= t.due ? "met" : "breached";
  else if (at >= t.due) state = "breached";
  else if (at >= t.warn) state = "at_risk";
  else if (pausedAt) state = "paused";
  else state = "on_track";
  return {
    target: t.target,
    targetS: t.targetS,
    dueAt: t.due.toISOString(),
    warnAt: t.warn.toISOString(),
    state,
    metAt: t.metAt ? t.metAt.toISOString() : null,
    remainingS: t.metAt ? null : signedBusinessSeconds(cal, at, t.due),
  };
}

/** The calendar's holidays from today (its local date) for {@link HOLIDAYS_AHEAD_DAYS} days, sorted. */
export function upcomingHolidays(cal: BusinessCalendarSpec, now: Date): string[] {
  if (cal.alwaysOpen) return [];
  const memo = holidayMemo.get(cal);
  if (memo && memo.nowMs === now.getTime()) return [...memo.list];
  const list = computeUpcomingHolidays(cal, now);
  holidayMemo.set(cal, { nowMs: now.getTime(), list });
  return [...list];
}

/** The last {@link upcomingHolidays} answer per calendar object: a page of tickets shares one calendar and one `now`. */
const holidayMemo = new WeakMap<BusinessCalendarSpec, { nowMs: number; list: readonly string[] }>();

function computeUpcomingHolidays(cal: BusinessCalendarSpec, now: Date): string[] {
  const today = DateTime.fromJSDate(now, { zone: cal.timeZone });
  const from = today.toISODate() ?? "";
  const to = today.plus({ days: HOLIDAYS_AHEAD_DAYS }).toISODate() ?? "";
  return [...cal.holidays].filter((h) => h >= from && h <= to).sort();
}

/**
 * The ticket JSON's `sla` from its stored clock (pure). Per target see {@link targetDTO}.
 * Overall: breached when any target is breached; else paused while the clock is stopped; else
 * met when every target is met; else the state of the active target (the unmet one due first).
 * `remainingS` is the active target's (when all are met: the margin the resolution was met
 * by, negative if late).
 */
export function toSlaDTO(row: SlaRowLike, calendar: SlaCalendarLike, now: Date): TicketSlaDTO {
  const pausedAt = dateOrNull(row.pausedAt);
  const times: TargetTimes[] = [
    {
      target: "first_response",
      targetS: row.firstResponseTargetS,
      due: date(row.firstResponseDueAt),
      warn: date(row.firstResponseWarnAt),
      metAt: dateOrNull(row.firstResponseMetAt),
    },
  ];
  if (row.nextResponseDueAt && row.nextResponseWarnAt && row.nextResponseTargetS) {
    times.push({
      target: "next_response",
      targetS: row.nextResponseTargetS,
      due: date(row.nextResponseDueAt),
      warn: date(row.nextResponseWarnAt),
      metAt: null,
    });
  }
  const resolution: TargetTimes = {
    target: "resolution",
    targetS: row.resolutionTargetS,
    due: date(row.resolutionDueAt),
    warn: date(row.resolutionWarnAt),
    metAt: dateOrNull(row.resolutionMetAt),
  };
  times.push(resolution);
  const targets = times.map((t) => targetDTO(calendar, t, pausedAt, now));
  const unmet = times
    .map((t, i) => ({ t, dto: targets[i] }))
    .filter((x) => !x.t.metAt)
    .sort((a, b) => a.t.due.getTime() - b.t.due.getTime());
  const active = unmet[0] ?? null;

  let state: SlaState;
  if (targets.some((t) => t.state === "breached")) state = "breached";
  else if (pausedAt) state = "paused";
  else if (!active) state = "met";
  else state = active.dto.state;

  return {
    policy: row.policyName,
    firstResponseDueAt: date(row.firstResponseDueAt).toISOString(),
    resolutionDueAt: resolution.due.toISOString(),
    nextResponseDueAt: row.nextResponseDueAt ? date(row.nextResponseDueAt).toISOString() : null,
    state,
    remainingS: active ? active.dto.remainingS! : signedBusinessSeconds(calendar, resolution.metAt!, resolution.due),
    activeTarget: active ? active.t.target : null,
    dueAt: active ? active.t.due.toISOString() : null,
    pausedAt: pausedAt ? pausedAt.toISOString() : null,
    targets,
    calendar: {
      name: calendar.name,
      timeZone: calendar.timeZone,
      alwaysOpen: calendar.alwaysOpen,
      hours: calendar.hours,
      holidays: upcomingHolidays(calendar, now),
    },
  };
}
