import type { Status, WaitingReason } from "@/db/schema/enums";
import { addBusinessSeconds, businessSecondsBetween, type BusinessCalendarSpec } from "./business-time";
import { nextCheckAt, type DoneLevel } from "./next-check";

/**
 * The pure part of a ticket's SLA clock (lib/sla/clock-service.ts reads and writes the rows).
 * Rules: docs/SLA.md "Due times and pausing". Units: instants are Dates; durations business
 * seconds on the policy's calendar.
 */

/** The ticket fields the clock depends on. */
export interface ClockTicket {
  createdAt: Date;
  status: Status;
  waitingReason: WaitingReason | null;
  /** The first public agent reply (tickets.first_response_at). */
  firstResponseAt: Date | null;
  /** tickets.resolved_at (set on resolve and close, cleared on reopen). */
  resolvedAt: Date | null;
}

/** The policy fields the clock depends on. */
export interface ClockPolicy {
  id: string;
  name: string;
  calendarId: string;
  firstResponseS: number;
  resolutionS: number;
  nextResponseS: number | null;
  pauseOn: readonly WaitingReason[];
  atRiskPct: number;
}

/** The stored clock (ticket_slas row) fields {@link computeClock} reads and writes. */
export interface ClockRow {
  policyId: string | null;
  policyName: string;
  calendarId: string | null;
  atRiskPct: number;
  firstResponseTargetS: number;
  resolutionTargetS: number;
  nextResponseTargetS: number | null;
  firstResponseDueAt: Date;
  firstResponseWarnAt: Date;
  resolutionDueAt: Date;
  resolutionWarnAt: Date;
  nextResponseDueAt: Date | null;
  nextResponseWarnAt: Date | null;
  /** When the running next-response clock started (moved later by the business time paused since). */
  nextResponseStartedAt: Date | null;
  nextResponseCycle: number;
  firstResponseMetAt: Date | null;
  firstResponseBusinessS: number | null;
  resolutionMetAt: Date | null;
  resolutionBusinessS: number | null;
  pausedAt: Date | null;
  pausedBusinessS: number;
  nextCheckAt: Date | null;
}

/** What happened besides a plain recompute. */
export type ClockEvent = "requester_message" | "agent_reply" | null;

export interface ClockInput {
  ticket: ClockTicket;
  policy: ClockPolicy;
  calendar: BusinessCalendarSpec;
  /** The stored row, or null for a ticket without a clock yet. */
  prev: ClockRow | null;
  /** Warnings and breaches already recorded (sla_breaches). */
  done: readonly DoneLevel[];
  event: ClockEvent;
  now: Date;
}

const FINISHED: readonly Status[] = ["resolved", "closed"];

/** True when the policy stops the clock for this ticket's status and waiting reason. */
export function isPausedStatus(t: Pick<ClockTicket, "status" | "waitingReason">, pauseOn: readonly WaitingReason[]): boolean {
  return t.status === "waiting" && t.waitingReason !== null && pauseOn.includes(t.waitingReason);
}

/** The share of a target after which it is at risk, in whole business seconds. */
export function warnSeconds(targetS: number, atRiskPct: number): number {
  return Math.floor((targetS * atRiskPct) / 100);
}

const same = (a: Date | null | undefined, b: Date | null | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * The new clock of a ticket (pure). Starting from the stored row (or none):
 * - pause: a waiting ticket whose reason is in the policy's `pauseOn` is paused from `now`
 *   (`pausedAt`); leaving that state adds the business seconds of the pause to
 *   `pausedBusinessS` (and moves a running next-response start by the part after it began);
 * - due times: first response and resolution run from `createdAt` for their target plus
 *   `pausedBusinessS` (a running pause is not counted until it ends, so they stay put while
 *   paused); warn times at `atRiskPct` of the target; a target already met keeps the due time it
 *   was met against;
 * - met: first response at tickets.first_response_at (or at resolution when a ticket is
 *   resolved without a public reply); resolution at tickets.resolved_at (cleared on reopen,
 *   the due times stay); business seconds taken exclude paused time;
 * - next response (policies with `nextResponseS`): a requester message on an unfinished ticket
 *   whose first response is met starts a cycle (`nextResponseCycle` + 1) unless one is running;
 *   the next public agent reply meets it (the running fields are cleared); resolving clears it;
 * - `nextCheckAt`: the earliest pending warning or breach (lib/sla/next-check.ts).
 * @throws RangeError when the calendar has no working time.
 */
export function computeClock(i: ClockInput): ClockRow {
  const { ticket: t, policy: p, calendar: cal, prev, now } = i;
  const finished = FINISHED.includes(t.status);
  let pausedAt = prev?.pausedAt ?? null;
  let pausedBusinessS = prev?.pausedBusinessS ?? 0;
  let nrStart = prev?.nextResponseStartedAt ?? null;
  let cycle = prev?.nextResponseCycle ?? 0;

  const pause = isPausedStatus(t, p.pauseOn);
  if (pause && !pausedAt) pausedAt = new Date(Math.max(now.getTime(), t.createdAt.getTime()));
  if (!pause && pausedAt) {
    pausedBusinessS += businessSecondsBetween(cal, pausedAt, now);
    if (nrStart) nrStart = addBusinessSeconds(cal, nrStart, businessSecondsBetween(cal, pausedAt > nrStart ? pausedAt : nrStart, now));
    pausedAt = null;
  }

  if (i.event === "agent_reply") nrStart = null;
  if (i.event === "requester_message" && p.nextResponseS && !finished && t.firstResponseAt && !nrStart) {
    nrStart = now;
    cycle += 1;
  }
  if (finished || !p.nextResponseS) nrStart = null;

  const firstMetAt = t.firstResponseAt ?? (finished ? t.resolvedAt : null);
  const resMetAt = finished ? t.resolvedAt : null;
  const pct = p.atRiskPct;
  const taken = (metAt: Date) => Math.max(0, businessSecondsBetween(cal, t.createdAt, metAt) - pausedBusinessS);

  // A target met before this recompute (same met time) keeps what it was measured against.
  const keepFirst = prev !== null && firstMetAt !== null && same(prev.firstResponseMetAt, firstMetAt);
  const frTarget = keepFirst ? prev.firstResponseTargetS : p.firstResponseS;
  const first = keepFirst
    ? { due: prev.firstResponseDueAt, warn: prev.firstResponseWarnAt, s: prev.firstResponseBusinessS }
    : {
        due: addBusinessSeconds(cal, t.createdAt, frTarget + pausedBusinessS),
        warn: addBusinessSeconds(cal, t.createdAt, warnSeconds(frTarget, pct) + pausedBusinessS),
        s: firstMetAt ? taken(firstMetAt) : null,
      };
  const keepRes = prev !== null && resMetAt !== null && same(prev.resolutionMetAt, resMetAt);
  const resTarget = keepRes ? prev.resolutionTargetS : p.resolutionS;
  const res = keepRes
    ? { due: prev.resolutionDueAt, warn: prev.resolutionWarnAt, s: prev.resolutionBusinessS }
    : {
        due: addBusinessSeconds(cal, t.createdAt, resTarget + pausedBusinessS),
        warn: addBusinessSeconds(cal, t.createdAt, warnSeconds(resTarget, pct) + pausedBusinessS),
        s: resMetAt ? taken(resMetAt) : null,
      };
  const nrTarget = p.nextResponseS;
  const nrDue = nrStart && nrTarget ? addBusinessSeconds(cal, nrStart, nrTarget) : null;
  const nrWarn = nrStart && nrTarget ? addBusinessSeconds(cal, nrStart, warnSeconds(nrTarget, pct)) : null;

  const row: ClockRow = {
    policyId: p.id,
    policyName: p.name,
    calendarId: p.calendarId,
    atRiskPct: pct,
    firstResponseTargetS: frTarget,
    resolutionTargetS: resTarget,
    nextResponseTargetS: nrTarget,
    firstResponseDueAt: first.due,
    firstResponseWarnAt: first.warn,
    resolutionDueAt: res.due,
    resolutionWarnAt: res.warn,
    nextResponseDueAt: nrDue,
    nextResponseWarnAt: nrWarn,
    nextResponseStartedAt: nrStart,
    nextResponseCycle: cycle,
    firstResponseMetAt: firstMetAt,
    firstResponseBusinessS: first.s,
    resolutionMetAt: resMetAt,
    resolutionBusinessS: res.s,
    pausedAt,
    pausedBusinessS,
    nextCheckAt: null,
  };
  row.nextCheckAt = nextCheckAt(row, i.done);
  return row;
}
