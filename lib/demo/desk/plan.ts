import type { Priority, Status, WaitingReason } from "@/db/schema";
import type { DemoStep } from "./types";

/*
 * Pure planning of one demo ticket's history: when each conversation step happens and what it
 * does to the status, following the lifecycle's rules (lib/tickets/lifecycle.ts replyEffect and
 * status.ts TRANSITIONS). lib/demo/desk/seed.ts writes the plan.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Median delay of the first response, by priority (ms). */
const FIRST_RESPONSE_MS: Record<Priority, number> = { P1: 8 * MIN, P2: 40 * MIN, P3: 2.5 * HOUR, P4: 7 * HOUR };
/** Median delay of the assignee's next step, by priority (ms). */
const AGENT_STEP_MS: Record<Priority, number> = { P1: 25 * MIN, P2: 1.5 * HOUR, P3: 4 * HOUR, P4: 9 * HOUR };

/** mulberry32 PRNG: deterministic demo data. */
export function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A log-normal spread around `median` (ms). */
function spread(rand: () => number, median: number): number {
  return median * Math.exp((rand() + rand() + rand() - 1.5) * 1.2);
}

/** `t` moved into office hours (Monday–Friday 08:00–18:00 UTC): the next morning when outside. */
export function officeHours(t: number, rand: () => number): number {
  const d = new Date(t);
  const day = d.getUTCDay();
  const hour = d.getUTCHours();
  if (day !== 0 && day !== 6 && hour >= 8 && hour < 18) return t;
  const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + (hour >= 18 || day === 0 || day === 6 ? 1 : 0), 8));
  while (next.getUTCDay() === 0 || next.getUTCDay() === 6) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() + rand() * 100 * MIN;
}

/**
 * `n` creation times over the last `days` days before `now`, oldest first: weekdays and office
 * hours far more likely than nights and weekends.
 */
export function creationTimes(n: number, now: number, days: number, rand: () => number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const t = now - rand() * days * 86_400_000;
    const d = new Date(t);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    const hour = d.getUTCHours();
    if (rand() < (weekend ? 0.15 : 1) * (hour >= 7 && hour < 19 ? 1 : 0.1)) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/** One played step: its time and the status it leaves the ticket in. */
export interface PlannedStep {
  kind: "a" | "w" | "r" | "n" | "f";
  text: string;
  at: number;
  /** Status changes this step causes, in order (a first reply on a new ticket: new→open, open→waiting). */
  transitions: { from: Status; to: Status; waitingReason: WaitingReason | null; cause: "agent" | "agent_reply" | "requester_reply" }[];
}

export interface TicketPlan {
  steps: PlannedStep[];
  status: Status;
  waitingReason: WaitingReason | null;
  firstResponseAt: number | null;
  /** Set while resolved or closed (a reopen clears it, as the lifecycle does). */
  resolvedAt: number | null;
  closedAt: number | null;
  /** The latest resolution text written (kept on a reopened ticket, as the lifecycle keeps it). */
  resolution: string | null;
  reopened: boolean;
}

/**
 * Plan the steps of `flow` whose time has come before `now`, starting at `createdAt` (ms), and
 * the status they leave. At most `maxSteps` steps are played (the rest "has not happened yet":
 * the desk's backlog). A ticket resolved more than 5 days ago is closed with chance `closeChance`.
 */
export function planTicket(
  flow: readonly DemoStep[],
  priority: Priority,
  createdAt: number,
  now: number,
  rand: () => number,
  { closeChance = 0.7, maxSteps = Infinity }: { closeChance?: number; maxSteps?: number } = {},
): TicketPlan {
  const plan: TicketPlan = { steps: [], status: "new", waitingReason: null, firstResponseAt: null, resolvedAt: null, closedAt: null, resolution: null, reopened: false };
  let t = createdAt;
  let prev: PlannedStep["kind"] | null = null;
  for (const step of flow.slice(0, maxSteps)) {
    const kind = step[0] as PlannedStep["kind"];
    const text = step.slice(2);
    let delay: number;
    if (kind === "r") delay = spread(rand, prev === "f" ? 20 * HOUR : 4 * HOUR);
    else if (kind === "n") delay = spread(rand, 40 * MIN);
    else if (prev === null) delay = spread(rand, FIRST_RESPONSE_MS[priority]);
    else if (prev === "w") delay = spread(rand, 40 * HOUR);
    else delay = spread(rand, AGENT_STEP_MS[priority]);
    let at = t + Math.max(2 * MIN, delay);
    // Staff work office hours (a P1 is handled when it comes); requesters mostly do too.
    if ((kind !== "r" && priority !== "P1") || (kind === "r" && rand() < 0.8)) at = officeHours(at, rand);
    if (at > now) break;
    const transitions: PlannedStep["transitions"] = [];
    const move = (to: Status, cause: PlannedStep["transitions"][number]["cause"], waitingReason: WaitingReason | null = null) => {
      if (plan.status === to && plan.waitingReason === waitingReason) return;
      transitions.push({ from: plan.status, to, waitingReason, cause });
      if (plan.status === "resolved" && to !== "closed") {
        plan.resolvedAt = null;
        plan.reopened = true;
      }
      plan.status = to;
      plan.waitingReason = waitingReason;
    };
    if (kind === "a" || kind === "w") {
      if (plan.firstResponseAt === null) plan.firstResponseAt = at;
      if (plan.status === "new") move("open", "agent_reply");
      if (kind === "w") move("waiting", "agent", "third_party");
      else if (text.trimEnd().endsWith("?")) move("waiting", "agent", "requester");
      else move("in_progress", "agent");
    } else if (kind === "r") {
      if (plan.status === "waiting" || plan.status === "resolved") move("open", "requester_reply");
    } else if (kind === "f") {
      move("resolved", "agent");
      plan.resolvedAt = at;
      plan.resolution = text;
    }
    plan.steps.push({ kind, text, at, transitions });
    t = at;
    prev = kind;
  }
  if (plan.status === "resolved" && plan.resolvedAt !== null && now - plan.resolvedAt > 5 * 86_400_000 && rand() < closeChance) {
    plan.closedAt = Math.min(now - HOUR, officeHours(plan.resolvedAt + 3 * 86_400_000 + rand() * 2 * 86_400_000, rand));
    plan.status = "closed";
  }
  return plan;
}
