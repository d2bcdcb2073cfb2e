import { DateTime } from "luxon";
import { businessSecondsBetween, type BusinessCalendarSpec } from "@/lib/sla/business-time";
import type { SlaState, SlaTarget, SlaTargetDTO, TicketSlaDTO } from "@/lib/sla/types";

/*
 * Pure formatting of a ticket's SLA for the desk (badge text, countdown, due times). No React,
 * no clock: every function takes `now` (ms) where it needs one, so the page can pass the
 * server's SLA time (the test clock's offset included) and the unit tests fixed instants.
 */

/** What the desk calls each target. */
export const SLA_TARGET_LABEL: Record<SlaTarget, string> = {
  first_response: "First response",
  next_response: "Next response",
  resolution: "Resolution",
};

/** What the desk calls each state (also the accessible text beside the colour). */
export const SLA_STATE_LABEL: Record<SlaState, string> = {
  on_track: "On track",
  at_risk: "At risk",
  breached: "Breached",
  met: "Met",
  paused: "Paused",
};

/**
 * A business duration in seconds, compact and rounded down, for badges: "45 s", "15 min",
 * "1 h 30 min", "2 h", "12 h", "99 h", then whole 24-hour days ("5 d"). Negative input is
 * read as its absolute value (the caller says "overdue"). Hours are kept up to 99 because a
 * business day is not 24 hours on a Monday–Friday calendar.
 */
export function formatSlaSpan(seconds: number): string {
  const s = Math.floor(Math.abs(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h < 10) return m ? `${h} h ${m} min` : `${h} h`;
  if (h < 100) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/**
 * A countdown clock for business seconds: "4:59" (m:ss) under an hour, "3:59:12" (h:mm:ss)
 * from an hour on; negative input gives the overdue time the same way (the caller says
 * "overdue").
 */
export function formatCountdown(seconds: number): string {
  const s = Math.floor(Math.abs(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** The list badge's content for a ticket's SLA. */
export interface SlaBadgeText {
  state: SlaState | "none";
  /** Visible text: "due in 2 h", "overdue 15 min", "paused", "met", "no SLA". */
  text: string;
  /** Full sentence for the title and screen readers: "SLA at risk: first response due in 2 min". */
  description: string;
}

/**
 * The badge for a ticket's `sla` (null: no policy applies). Uses the server's `state` and
 * `remainingS` (business seconds at the server's SLA time; negative = overdue), so the list
 * needs no clock of its own.
 */
export function slaBadgeText(sla: Pick<TicketSlaDTO, "state" | "remainingS" | "activeTarget"> | null | undefined): SlaBadgeText {
  if (!sla) return { state: "none", text: "no SLA", description: "No SLA policy applies" };
  const target = sla.activeTarget ? SLA_TARGET_LABEL[sla.activeTarget].toLowerCase() : "SLA";
  switch (sla.state) {
    case "met":
      return { state: "met", text: "met", description: "SLA met: every target was met" };
    case "paused":
      return { state: "paused", text: "paused", description: `SLA paused: ${target} clock stopped with ${formatSlaSpan(sla.remainingS)} left` };
    case "breached": {
      // A breached target stays breached (also when met late); the active one may still have time left.
      const text = sla.remainingS < 0 ? `overdue ${formatSlaSpan(sla.remainingS)}` : "breached";
      return { state: "breached", text, description: `SLA breached: ${target} ${text}` };
    }
    default: {
      const text = sla.remainingS <= 0 ? "due now" : `due in ${formatSlaSpan(sla.remainingS)}`;
      return { state: sla.state, text, description: `SLA ${SLA_STATE_LABEL[sla.state].toLowerCase()}: ${target} ${text}` };
    }
  }
}

/** The DTO's calendar as the business-time arithmetic takes it. */
export function calendarSpec(cal: TicketSlaDTO["calendar"]): BusinessCalendarSpec {
  return { timeZone: cal.timeZone, alwaysOpen: cal.alwaysOpen, hours: cal.hours, holidays: cal.holidays };
}

/** One target's live reading at `nowMs`. */
export interface LiveTarget {
  target: SlaTarget;
  state: SlaState;
  /** Business seconds left (negative = overdue); null once met. */
  remainingS: number | null;
  /** True while the ticket's clock is stopped (the reading is frozen). */
  paused: boolean;
  dueAt: string;
  metAt: string | null;
}

/**
 * A target as it stands at `nowMs`, counted in business time on `cal`: a met target keeps the
 * server's state (met, or breached when met late); while the ticket is paused the server's
 * frozen state and `remainingS` hold; otherwise remaining = business seconds from now to due
 * (negative: from due to now), and the state is breached from the due time on, at_risk from
 * the warn time on, else on_track (lib/sla/state.ts applies the same rules on the server).
 * Outside business hours the remaining time therefore stands still.
 */
export function liveTarget(t: SlaTargetDTO, cal: BusinessCalendarSpec, nowMs: number, paused: boolean): LiveTarget {
  const base = { target: t.target, dueAt: t.dueAt, metAt: t.metAt, paused };
  if (t.metAt) return { ...base, state: t.state === "breached" ? "breached" : "met", remainingS: null };
  if (paused) return { ...base, state: t.state, remainingS: t.remainingS };
  const now = new Date(nowMs);
  const due = new Date(t.dueAt);
  const remainingS = nowMs < due.getTime() ? businessSecondsBetween(cal, now, due) : 0 - businessSecondsBetween(cal, due, now);
  const state: SlaState = nowMs >= due.getTime() ? "breached" : nowMs >= Date.parse(t.warnAt) ? "at_risk" : "on_track";
  return { ...base, state, remainingS };
}

/** Every target of the ticket's SLA at `nowMs` (first response, next response, resolution order kept). */
export function liveTargets(sla: TicketSlaDTO, nowMs: number): LiveTarget[] {
  const cal = calendarSpec(sla.calendar);
  return sla.targets.map((t) => liveTarget(t, cal, nowMs, sla.pausedAt !== null));
}

/** The headline target: the server's active target if it is unmet, else the unmet one due first, else null (all met). */
export function headlineTarget(sla: TicketSlaDTO, live: LiveTarget[]): LiveTarget | null {
  const unmet = live.filter((t) => t.metAt === null);
  return unmet.find((t) => t.target === sla.activeTarget) ?? [...unmet].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0] ?? null;
}

/** The ticket's state from its live targets, by the server's rule: breached if any is; else paused; else met when all are; else the headline's. */
export function liveOverallState(sla: TicketSlaDTO, live: LiveTarget[]): SlaState {
  if (live.some((t) => t.state === "breached")) return "breached";
  if (sla.pausedAt) return "paused";
  return headlineTarget(sla, live)?.state ?? "met";
}

/** A due time in the calendar's zone: "Wed 2 Dec, 14:15 CET" (zones without an English abbreviation show their offset, "GMT-4"). */
export function formatDueInZone(iso: string, timeZone: string): string {
  const dt = DateTime.fromISO(iso, { zone: "utc" }).setZone(timeZone);
  return dt.isValid ? dt.toFormat("ccc d LLL, HH:mm ZZZZ", { locale: "en-GB" }) : iso;
}
