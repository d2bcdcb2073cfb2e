import fs from "node:fs";
import { parse } from "csv-parse/sync";
import type { Priority } from "@/db/schema";
import { assessPriority, type Level, type PriorityAssessment } from "./priority";

/** One labelled ticket of the priority fixture (data/eval/priority.csv). */
export interface PriorityCase {
  title: string;
  description: string;
  priority: Priority;
  impact: Level;
  urgency: Level;
}

/** A ticket the rules got wrong (priority differs from the label). */
export interface PriorityMiss extends PriorityCase {
  predicted: PriorityAssessment;
}

/** Figures over a fixture: shares are 0–1. */
export interface PriorityEvalReport {
  n: number;
  /** Share with the predicted priority equal to the label. */
  exact: number;
  /** Share with the predicted priority at most one level from the label (P2 for P3 counts). */
  withinOne: number;
  impactAccuracy: number;
  urgencyAccuracy: number;
  /** confusion[label][predicted] = count, over P1–P4. */
  confusion: Record<Priority, Record<Priority, number>>;
  misses: PriorityMiss[];
}

export const PRIORITIES: readonly Priority[] = ["P1", "P2", "P3", "P4"];
const LEVELS: readonly Level[] = ["high", "medium", "low"];

/**
 * Read and validate a priority fixture: CSV with header title,description,priority,impact,urgency;
 * priority P1–P4, impact and urgency high|medium|low; description non-empty.
 * @throws Error naming the first bad row (1-based data row number).
 */
export function readPriorityFixture(file: string): PriorityCase[] {
  const records = parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  return records.map((r, i) => {
    const row = { title: r.title ?? "", description: r.description ?? "", priority: r.priority as Priority, impact: r.impact as Level, urgency: r.urgency as Level };
    if (!row.description || !PRIORITIES.includes(row.priority) || !LEVELS.includes(row.impact) || !LEVELS.includes(row.urgency)) {
      throw new Error(`${file}: row ${i + 1} is not a valid priority case: ${JSON.stringify(r)}`);
    }
    return row;
  });
}

/**
 * Run assessPriority over labelled cases and compare with the labels: exact and within-one-level
 * priority accuracy, impact and urgency accuracy, the P1–P4 confusion matrix and the misses.
 * `assess` is injectable so an earlier rule set can be measured the same way.
 */
export function evaluatePriority(
  cases: readonly PriorityCase[],
  assess: (title: string, description: string) => PriorityAssessment = assessPriority,
): PriorityEvalReport {
  const confusion = Object.fromEntries(PRIORITIES.map((p) => [p, Object.fromEntries(PRIORITIES.map((q) => [q, 0]))])) as PriorityEvalReport["confusion"];
  let exact = 0;
  let withinOne = 0;
  let impact = 0;
  let urgency = 0;
  const misses: PriorityMiss[] = [];
  for (const c of cases) {
    const p = assess(c.title, c.description);
    confusion[c.priority][p.priority]++;
    if (p.priority === c.priority) exact++;
    else misses.push({ ...c, predicted: p });
    if (Math.abs(PRIORITIES.indexOf(p.priority) - PRIORITIES.indexOf(c.priority)) <= 1) withinOne++;
    if (p.impact === c.impact) impact++;
    if (p.urgency === c.urgency) urgency++;
  }
  const n = cases.length;
  const share = (k: number) => (n ? k / n : 0);
  return { n, exact: share(exact), withinOne: share(withinOne), impactAccuracy: share(impact), urgencyAccuracy: share(urgency), confusion, misses };
}

/** The confusion matrix as text lines (rows = label, columns = predicted). */
export function formatConfusion(confusion: PriorityEvalReport["confusion"]): string[] {
  const lines = [`label\\pred ${PRIORITIES.map((p) => p.padStart(5)).join("")}`];
  for (const l of PRIORITIES) lines.push(`${l.padEnd(10)} ${PRIORITIES.map((p) => String(confusion[l][p]).padStart(5)).join("")}`);
  return lines;
}
