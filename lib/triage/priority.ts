import type { Priority } from "@/db/schema";

/**
 * Priority from impact × urgency, the ITIL priority matrix (ITIL 4 Incident Management
 * practice; the same matrix as ITIL v3 Service Operation §4.2.5.4):
 *
 * | impact \ urgency | high | medium | low |
 * |------------------|------|--------|-----|
 * | high             | P1   | P2     | P3  |
 * | medium           | P2   | P3     | P4  |
 * | low              | P3   | P4     | P4  |
 *
 * ITIL's five levels are folded into our four (its 4 "low" and 5 "planning" are both P4).
 * Impact and urgency are read from cues in the text; the cue lists below are the rules.
 * Impact defaults to low (one person) and urgency to medium, so an ordinary incident is P4
 * and one that blocks the requester ("cannot", "not working") is P3. Statements that only the
 * requester is affected ("only me", "colleagues are fine") keep impact low.
 */
export interface PriorityAssessment {
  priority: Priority;
  impact: Level;
  urgency: Level;
  /** The cue phrases that decided impact and urgency, for explanations and audit. */
  cues: { impact: string[]; urgency: string[] };
}

export type Level = "high" | "medium" | "low";

const MATRIX: Record<Level, Record<Level, Priority>> = {
  high: { high: "P1", medium: "P2", low: "P3" },
  medium: { high: "P2", medium: "P3", low: "P4" },
  low: { high: "P3", medium: "P4", low: "P4" },
};

/** Many people or the business are affected. */
const IMPACT_HIGH = [
  "all users", "all employees", "all staff", "everyone", "everybody", "nobody can", "no one can", "whole company",
  "entire company", "company wide", "companywide", "organisation wide", "organization wide", "entire office",
  "whole office", "all offices", "all sites", "production", "prod down", "customers", "customer facing",
  "clients cannot", "all clients", "site down", "website down", "outage", "data breach", "security breach",
  "ransomware", "data loss", "payroll",
];
/** A team, department, site or several people are affected. */
const IMPACT_MEDIUM = [
  "our team", "whole team", "entire team", "the team", "department", "several users", "multiple users",
  "several people", "multiple people", "many users", "colleagues", "we all", "all of us", "the floor",
  "our office", "our project", "shared drive", "shared mailbox", "whole project",
];
/** The work is stopped now or time-critical. */
const URGENCY_HIGH = [
  "urgent", "urgently", "asap", "as soon as possible", "immediately", "critical", "emergency", "blocker",
  "blocking", "cannot work", "can not work", "unable to work", "cannot", "can't", "cant", "can not", "unable",
  "not working", "doesn't work", "does not work", "stopped working", "is down", "are down", "went down",
  "outage", "crash", "crashed", "crashes", "locked out", "broken", "failed", "failing", "fails", "deadline today",
  "today", "right now", "high priority", "very high priority", "p1", "sev1", "severity 1",
];
/** Statements that only the requester is affected; they override team/department cues. */
const IMPACT_SINGLE = [
  "only me", "just me", "only my", "only for me", "only on my", "colleagues are fine", "colleagues are ok",
  "others are fine", "others are ok", "other colleagues are fine", "everyone else is fine", "everybody else is fine",
  "colleagues can", "others can", "no one else", "nobody else",
];
/** Degraded but working, or needed soon. */
const URGENCY_MEDIUM = [
  "slow", "intermittent", "intermittently", "sometimes", "degraded", "occasionally", "error", "errors", "issue",
  "problem", "tomorrow", "this week", "soon",
];
/** Requests and questions with no time pressure. */
const URGENCY_LOW = [
  "no rush", "not urgent", "when possible", "when you have time", "whenever", "low priority", "next week",
  "next month", "request", "requesting", "would like", "could you please", "please install", "please create",
  "please add", "please provide", "please grant", "new hire", "onboarding", "question", "information",
  "how do i", "how to", "order", "purchase", "quote",
];

function compile(cues: string[]): { cue: string; re: RegExp }[] {
  return cues.map((cue) => ({
    cue,
    re: new RegExp(`(?:^|[^a-z0-9])${cue.replace(/[.*+?^${}()|[\]\\']/g, (c) => (c === "'" ? "['’]?" : `\\${c}`))}(?:$|[^a-z0-9])`),
  }));
}

const RULES = {
  impactSingle: compile(IMPACT_SINGLE),
  impactHigh: compile(IMPACT_HIGH),
  impactMedium: compile(IMPACT_MEDIUM),
  urgencyHigh: compile(URGENCY_HIGH),
  urgencyMedium: compile(URGENCY_MEDIUM),
  urgencyLow: compile(URGENCY_LOW),
};

function matches(text: string, rules: { cue: string; re: RegExp }[]): string[] {
  const out: string[] = [];
  for (const r of rules) if (r.re.test(text)) out.push(r.cue);
  return out;
}

/**
 * Assess priority from a ticket's title and description (raw or normalised text).
 * Negations such as "not urgent" are listed as low-urgency cues and win over "urgent".
 */
export function assessPriority(title: string | undefined, description: string): PriorityAssessment {
  const text = ` ${(title ?? "")} \n ${description} `.toLowerCase().replace(/[’`]/g, "'");
  const single = matches(text, RULES.impactSingle);
  const ih = single.length ? [] : matches(text, RULES.impactHigh);
  const im = ih.length || single.length ? [] : matches(text, RULES.impactMedium);
  const impact: Level = ih.length ? "high" : im.length ? "medium" : "low";

  const negated = /(not|no|isn't|is not)\s+(urgent|critical|a priority|rush)/.test(text);
  const uh = negated ? [] : matches(text, RULES.urgencyHigh);
  const ul = matches(text, RULES.urgencyLow);
  const um = matches(text, RULES.urgencyMedium);
  let urgency: Level;
  let urgencyCues: string[];
  if (uh.length) {
    urgency = "high";
    urgencyCues = uh;
  } else if (ul.length && !um.length) {
    urgency = "low";
    urgencyCues = ul;
  } else {
    urgency = "medium";
    urgencyCues = um;
  }
  return {
    priority: MATRIX[impact][urgency],
    impact,
    urgency,
    cues: { impact: ih.length ? ih : im.length ? im : single, urgency: urgencyCues },
  };
}
