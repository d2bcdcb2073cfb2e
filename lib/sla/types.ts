import type { SlaLevel, SlaState, SlaTarget } from "@/db/schema/sla";
import type { WeeklyHours } from "@/db/schema/sla";

export type { SlaLevel, SlaState, SlaTarget };

/** One target of a ticket's SLA as the API shows it. Times ISO-8601 (UTC); durations business seconds. */
export interface SlaTargetDTO {
  target: SlaTarget;
  targetS: number;
  dueAt: string;
  /** When the policy's at-risk share of the business time is used. */
  warnAt: string;
  /** on_track | at_risk | breached | met | paused (this target alone). */
  state: SlaState;
  /** When it was met (first response, agent reply, resolution), or null. */
  metAt: string | null;
  /** Business seconds left (negative: overdue by that much), frozen while paused; null once met. */
  remainingS: number | null;
}

/**
 * A ticket's SLA in the ticket JSON (`sla`; null when no policy applies):
 * `state` and `remainingS` refer to the active target (the unmet one due first; when all are
 * met, the resolution target). `calendar` lets the page count down in business time.
 */
export interface TicketSlaDTO {
  policy: string;
  firstResponseDueAt: string;
  resolutionDueAt: string;
  /** Only while a requester message waits for an agent's public reply (policies with a next-response target). */
  nextResponseDueAt?: string | null;
  state: SlaState;
  /** Business seconds left on the active target (negative = overdue), frozen while paused. */
  remainingS: number;
  /** The active target, or null when every target is met. */
  activeTarget: SlaTarget | null;
  /** Due time of the active target. */
  dueAt: string | null;
  pausedAt: string | null;
  targets: SlaTargetDTO[];
  calendar: { name: string; timeZone: string; alwaysOpen: boolean; hours: WeeklyHours; holidays: string[] };
}
