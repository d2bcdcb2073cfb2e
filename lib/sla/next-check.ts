import type { ticketSlas } from "@/db/schema/sla";
import type { SlaLevel, SlaTarget } from "./types";

/** The due and warn times of a ticket's targets, as stored in ticket_slas (null = not running). */
export interface SlaTimes {
  firstResponseDueAt: Date;
  firstResponseWarnAt: Date;
  firstResponseMetAt: Date | null;
  resolutionDueAt: Date;
  resolutionWarnAt: Date;
  resolutionMetAt: Date | null;
  nextResponseDueAt: Date | null;
  nextResponseWarnAt: Date | null;
  nextResponseCycle: number;
  pausedAt: Date | null;
}

/** A warning or breach already recorded (sla_breaches) for a (target, cycle). */
export interface DoneLevel {
  target: SlaTarget;
  level: SlaLevel;
  cycle: number;
}

/** A threshold of an unmet target: crossing `at` means recording `level` for (target, cycle). */
export interface SlaThreshold {
  target: SlaTarget;
  level: SlaLevel;
  cycle: number;
  at: Date;
  dueAt: Date;
}

/**
 * The thresholds not yet acted on, earliest first: for each running, unmet target, its warning
 * (at warn time) unless recorded, and its breach (at due time) unless recorded. Nothing while
 * the clock is paused (a paused ticket can neither warn nor breach). Pure.
 */
export function pendingThresholds(t: SlaTimes, done: readonly DoneLevel[]): SlaThreshold[] {
  if (t.pausedAt) return [];
  const isDone = (target: SlaTarget, level: SlaLevel, cycle: number) => done.some((d) => d.target === target && d.level === level && d.cycle === cycle);
  const out: SlaThreshold[] = [];
  const add = (target: SlaTarget, cycle: number, warnAt: Date, dueAt: Date) => {
    if (!isDone(target, "warning", cycle) && !isDone(target, "breach", cycle)) out.push({ target, level: "warning", cycle, at: warnAt, dueAt });
    if (!isDone(target, "breach", cycle)) out.push({ target, level: "breach", cycle, at: dueAt, dueAt });
  };
  if (!t.firstResponseMetAt) add("first_response", 0, t.firstResponseWarnAt, t.firstResponseDueAt);
  if (t.nextResponseDueAt && t.nextResponseWarnAt) add("next_response", t.nextResponseCycle, t.nextResponseWarnAt, t.nextResponseDueAt);
  if (!t.resolutionMetAt) add("resolution", 0, t.resolutionWarnAt, t.resolutionDueAt);
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.level === "warning" ? -1 : 1));
}

/**
 * `ticket_slas.next_check_at`: the earliest pending threshold, or null when none is left (all
 * met or acted on, or paused). The breach sweep selects `next_check_at <= now`.
 */
export function nextCheckAt(t: SlaTimes, done: readonly DoneLevel[]): Date | null {
  return pendingThresholds(t, done)[0]?.at ?? null;
}

/** A stored ticket_slas row. */
type SlaRow = typeof ticketSlas.$inferSelect;

/** The stored clock as the threshold functions take it. */
export const timesOf = (r: SlaRow): SlaTimes => ({
  firstResponseDueAt: r.firstResponseDueAt,
  firstResponseWarnAt: r.firstResponseWarnAt,
  firstResponseMetAt: r.firstResponseMetAt,
  resolutionDueAt: r.resolutionDueAt,
  resolutionWarnAt: r.resolutionWarnAt,
  resolutionMetAt: r.resolutionMetAt,
  nextResponseDueAt: r.nextResponseDueAt,
  nextResponseWarnAt: r.nextResponseWarnAt,
  nextResponseCycle: r.nextResponseCycle,
  pausedAt: r.pausedAt,
});

/**
 * The thresholds to act on at `now` (pure): every pending threshold with `at <= now`, except a
 * warning whose breach is due in the same pass (only the breach is recorded then: warning that
 * a target is at risk after it was missed tells nobody anything).
 */
export function dueThresholds(times: SlaTimes, done: readonly DoneLevel[], now: Date): SlaThreshold[] {
  const due = pendingThresholds(times, done).filter((t) => t.at.getTime() <= now.getTime());
  const breached = new Set(due.filter((t) => t.level === "breach").map((t) => `${t.target}:${t.cycle}`));
  return due.filter((t) => t.level === "breach" || !breached.has(`${t.target}:${t.cycle}`));
}

