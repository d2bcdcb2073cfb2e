import type { Priority, Status, WaitingReason } from "@/db/schema/enums";
import type { Phrase } from "./phrase";

/*
 * Status, priority and SLA words (after typo correction, see fuzzy.ts).
 *
 * Priorities: critical/urgent/emergency/sev1/p1/priority 1 → P1; high/important/p2 → P2;
 * medium/normal/p3 → P3; low/minor/p4 → P4. Forms: "p2", "P2s", "prio 2", "priority 2",
 * "priority: high", "priority high", "high priority", "high-prio", "sev1", "severity 1"; a bare
 * word ("high", "urgent") only where a priority is expected (list filters, "set T-3 to low").
 *
 * Statuses: "new"; "open" (see {@link UNSOLVED}); "in progress"/"inprogress"/"in-progress"/"wip";
 * "waiting"/"pending"/"on hold" (+ "on/for the vendor|supplier|third party" → third_party,
 * "on/for the requester|customer|user|caller" → requester); "resolved"/"solved"/"fixed"/"done";
 * "closed".
 */

/** The unsolved statuses: what "open", "unsolved", "active" and "outstanding" mean in a list. */
export const UNSOLVED: Status[] = ["new", "open", "in_progress", "waiting"];

const PRIORITY_WORD: Record<string, Priority> = {
  critical: "P1", urgent: "P1", emergency: "P1", highest: "P1", blocker: "P1",
  high: "P2", important: "P2",
  medium: "P3", normal: "P3", moderate: "P3",
  low: "P4", minor: "P4", lowest: "P4",
};
const WORDS = Object.keys(PRIORITY_WORD).join("|");
const toPriority = (v: string): Priority => (/^[1-4]$/.test(v) ? (`P${v}` as Priority) : PRIORITY_WORD[v.toLowerCase()]);

/** Priority phrases, most specific first; group 1 is a digit or a priority word. */
const PRIORITY_RULES = [
  new RegExp(String.raw`\b(?:priority|prio|pri)\s*(?:is\s+|of\s+|=\s*|:\s*|to\s+)?(?:p\s?)?([1-4]|${WORDS})\b`, "i"),
  new RegExp(String.raw`\b(${WORDS})(?:\s+|-)?(?:priority|prio|pri)\b`, "i"),
  /\b(?:sev|severity)\s*-?\s*([1-4])\b/i,
  /\bp\s?([1-4])(?:s|'s)?\b/i,
];
const BARE_PRIORITY = new RegExp(String.raw`\b(${WORDS})\b`, "i");

/** Takes every priority phrase out of `p` (bare words too when `bare`); returns them in order. */
export function takePriorities(p: Phrase, bare: boolean): Priority[] {
  const out: Priority[] = [];
  for (const re of bare ? [...PRIORITY_RULES, BARE_PRIORITY] : PRIORITY_RULES)
    for (const m of p.takeAll(re)) if (!out.includes(toPriority(m[1]))) out.push(toPriority(m[1]));
  return out;
}

const REASON_WORDS = String.raw`(vendor|supplier|third party|3rd party|external party|partner|other team|another team|requester|requestor|customer|user|caller|reporter|client|employee)`;
const WAITING = String.raw`(?:waiting|pending|on hold|awaiting)`;

/** What status words said: the statuses, a waiting reason, and whether "open" meant the set of unsolved ones. */
export interface StatusWords {
  statuses: Status[];
  waitingReason?: WaitingReason;
}

/**
 * Takes status phrases out of `p`. In a list (`mode` "filter") "open"/"unsolved"/"active"
 * mean {@link UNSOLVED} and only "status open"/"in status open" means `open`; in a change
 * (`mode` "change") "open"/"reopen" mean `open`.
 */
export function takeStatuses(p: Phrase, mode: "filter" | "change"): StatusWords {
  const statuses: Status[] = [];
  const add = (...s: Status[]) => s.forEach((x) => statuses.includes(x) || statuses.push(x));
  let waitingReason: WaitingReason | undefined;
  const reason = p.take(new RegExp(String.raw`\b${WAITING}\s+(?:(?:on|for)\s+)?(?:(?:the|a|an|our|their)\s+)?${REASON_WORDS}s?\b(?:'s?)?(?:\s+(?:response|reply|answer|feedback|information|info))?`, "i"));
  if (reason) {
    add("waiting");
    waitingReason = /requester|requestor|customer|user|caller|reporter|client|employee/i.test(reason[1]) ? "requester" : "third_party";
  }
  const exact = p.take(/\b(?:(?:in\s+)?status(?:\s+is)?\s*(?:=\s*|:\s*)?|in\s+state\s+)(new|open|in progress|inprogress|in[-_]progress|waiting|resolved|closed)\b/i);
  if (exact) add(statusWord(exact[1]));
  if (p.take(/\bin[-_ ]?progress\b|\bwip\b|\bbeing worked on\b|\bstarted\b/i)) add("in_progress");
  if (p.take(new RegExp(String.raw`\b${WAITING}\b`, "i"))) add("waiting");
  if (p.take(/\b(?:resolved|solved|fixed|done)\b/i)) add("resolved");
  if (p.take(/\bclosed\b/i)) add("closed");
  if (p.take(/\bnew\b/i)) add("new");
  if (mode === "filter") {
    if (p.take(/\b(?:open|unsolved|unresolved|active|outstanding|not (?:yet )?(?:solved|resolved|closed))\b/i)) add(...UNSOLVED);
  } else if (p.take(/\b(?:re-?open(?:ed)?|open)\b/i)) add("open");
  return { statuses, waitingReason };
}

function statusWord(w: string): Status {
  const s = w.toLowerCase().replace(/[-_ ]/g, "");
  return (s === "inprogress" ? "in_progress" : s) as Status;
}

/** SLA words: "breached"/"overdue"/"past due"/"late" → breached; "at risk"/"about to breach" → at_risk; "paused"; "met". */
export function takeSla(p: Phrase): ("breached" | "at_risk" | "paused" | "met")[] {
  const out: ("breached" | "at_risk" | "paused" | "met")[] = [];
  if (p.take(/\b(?:at[-_ ]risk|about to breach|close to (?:a )?breach|nearly breached|near breach)\b/i)) out.push("at_risk");
  if (p.take(/\b(?:sla\s+)?(?:breached|breaching|overdue|past due|late)\b(?:\s+sla)?/i)) out.unshift("breached");
  if (p.take(/\bsla\s+paused\b|\bpaused\b/i)) out.push("paused");
  if (p.take(/\bsla\s+met\b/i)) out.push("met");
  p.take(/\bsla\b/i);
  return out;
}
