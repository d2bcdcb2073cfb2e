/**
 * Evaluation harness shared by scripts/eval.mts and the tests. An `EvalClassifier` is any
 * async function from a raw ticket to a label, so LLM / hybrid classifiers can be
 * plugged in later next to the local one.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { toSlug } from "./labels";
import { normalizeTicketText } from "./normalize";
import type { LocalCategoryModel } from "./model";
import {
  accuracy,
  macroF1,
  perClassReport,
  confusionMatrix,
  expectedCalibrationError,
  coverageCurve,
  type ClassReport,
  type CoveragePoint,
} from "./metrics";

/** A raw ticket plus its gold category slug. */
export interface EvalExample {
  title?: string;
  description: string;
  label: string;
  /** dev.csv id this row was rewritten from (data/eval/dev-raw.csv `source_id`), if any */
  sourceId?: string;
}

/** What a classifier returns for one ticket. */
export interface EvalClassifierResult {
  label: string;
  /** probability-like confidence in [0,1] */
  confidence: number;
  /** LLM tokens used (0 for local) */
  tokens?: number;
  /** LLM calls made (0 for local) */
  llmCalls?: number;
}

/** Classifies one raw ticket. */
export type EvalClassifier = (input: { title?: string; description: string }) => Promise<EvalClassifierResult> | EvalClassifierResult;

export interface EvalSummary {
  n: number;
  accuracy: number;
  macroF1: number;
  ece: number;
  p50Ms: number;
  p99Ms: number;
  llmCalls: number;
  tokens: number;
  /** Confidence under which a ticket is flagged for human review (TRIAGE_REVIEW_THRESHOLD). */
  reviewThreshold: number;
  /** Share of tickets flagged (confidence < reviewThreshold), in [0, 1]. */
  flaggedShare: number;
  /** Accuracy over the tickets NOT flagged (null when every ticket is flagged). */
  unflaggedAccuracy: number | null;
}

export interface EvalReport {
  summary: EvalSummary;
  /** Per ticket, in input order: gold label, the classifier's label and confidence. */
  items: { gold: string; predicted: string; confidence: number }[];
  perClass: ClassReport[];
  confusion: { labels: string[]; counts: number[][] };
  coverage: CoveragePoint[];
}

/**
 * Read an evaluation CSV: columns `text,label` or `title,description,label`
 * (labels as dataset names or slugs). `text` is used as the description.
 * @throws Error on missing columns.
 */
export function readEvalCsv(path: string, limit?: number): EvalExample[] {
  const rows = parse(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  if (rows.length === 0) return [];
  const cols = Object.keys(rows[0]);
  if (!cols.includes("label") || !(cols.includes("text") || cols.includes("description")))
    throw new Error(`${path}: expected columns text,label or title,description,label (got ${cols.join(",")})`);
  const out: EvalExample[] = [];
  for (const r of rows) {
    if (limit !== undefined && out.length >= limit) break;
    if (!r.label?.trim()) continue;
    out.push({ title: r.title, description: r.description ?? r.text ?? "", label: toSlug(r.label), ...(r.source_id ? { sourceId: r.source_id } : {}) });
  }
  return out;
}

/** Evaluation modes. This module builds "local"; "llm" and "hybrid" need LLM settings and are built by lib/triage/eval-modes.ts. */
export type EvalMode = "local" | "llm" | "hybrid";

/**
 * Build the local classifier. "local" wraps the given (or lazily loaded) local model.
 * @throws Error for "llm" / "hybrid" (use createLlmModeClassifier in lib/triage/eval-modes.ts)
 *   and for unknown modes.
 */
export function createClassifier(mode: string, getModel: () => LocalCategoryModel): EvalClassifier {
  switch (mode) {
    case "local":
      return localClassifier(getModel());
    case "llm":
    case "hybrid":
      throw new Error(`--mode ${mode} is built by createLlmModeClassifier (lib/triage/eval-modes.ts), not here`);
    default:
      throw new Error(`unknown --mode ${JSON.stringify(mode)} (expected local | llm | hybrid)`);
  }
}

/** The local model as an EvalClassifier: normalise + predict. */
export function localClassifier(model: LocalCategoryModel): EvalClassifier {
  return (input) => {
    const p = model.predict(normalizeTicketText(input));
    return { label: p.label, confidence: p.confidence, tokens: 0, llmCalls: 0 };
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/**
 * Run a classifier over examples sequentially, timing each call (ms, wall clock).
 * @param opts.reviewThreshold confidence under which a ticket counts as flagged for review
 *   (default 0.5, the TRIAGE_REVIEW_THRESHOLD default): the summary's flaggedShare and
 *   unflaggedAccuracy are computed over the whole file at this threshold.
 */
export async function evaluateClassifier(
  examples: readonly EvalExample[],
  classify: EvalClassifier,
  opts: { reviewThreshold?: number } = {},
): Promise<EvalReport> {
  const reviewThreshold = opts.reviewThreshold ?? 0.5;
  const gold: string[] = [];
  const pred: string[] = [];
  const conf: number[] = [];
  const lat: number[] = [];
  let tokens = 0;
  let llmCalls = 0;
  for (const ex of examples) {
    const t0 = performance.now();
    const r = await classify({ title: ex.title, description: ex.description });
    lat.push(performance.now() - t0);
    gold.push(ex.label);
    pred.push(r.label);
    conf.push(r.confidence);
    tokens += r.tokens ?? 0;
    llmCalls += r.llmCalls ?? 0;
  }
  const correct = gold.map((g, i) => g === pred[i]);
  const unflagged = correct.filter((_, i) => conf[i] >= reviewThreshold);
  const sortedLat = [...lat].sort((a, b) => a - b);
  const labels = Array.from(new Set([...gold, ...pred])).sort();
  return {
    summary: {
      n: examples.length,
      accuracy: accuracy(gold, pred),
      macroF1: macroF1(gold, pred),
      ece: expectedCalibrationError(conf, correct),
      p50Ms: quantile(sortedLat, 0.5),
      p99Ms: quantile(sortedLat, 0.99),
      llmCalls,
      tokens,
      reviewThreshold,
      flaggedShare: examples.length ? 1 - unflagged.length / examples.length : 0,
      unflaggedAccuracy: unflagged.length ? unflagged.filter(Boolean).length / unflagged.length : null,
    },
    items: gold.map((g, i) => ({ gold: g, predicted: pred[i], confidence: conf[i] })),
    perClass: perClassReport(gold, pred, labels),
    confusion: confusionMatrix(gold, pred, labels),
    coverage: coverageCurve(conf, correct),
  };
}

/** Human-readable report (per-class table, confusion matrix, coverage curve). */
export function formatReport(r: EvalReport): string {
  const lines: string[] = [];
  const w = Math.max(8, ...r.perClass.map((c) => c.label.length));
  lines.push(`${"class".padEnd(w)}  precision  recall     f1  support`);
  for (const c of r.perClass)
    lines.push(`${c.label.padEnd(w)}  ${c.precision.toFixed(3).padStart(9)}  ${c.recall.toFixed(3).padStart(6)}  ${c.f1.toFixed(3).padStart(5)}  ${String(c.support).padStart(7)}`);
  lines.push("");
  lines.push("confusion (rows = gold, cols = predicted):");
  const abbr = r.confusion.labels.map((l) => l.slice(0, 6));
  lines.push(`${"".padEnd(w)} ${abbr.map((a) => a.padStart(7)).join("")}`);
  r.confusion.counts.forEach((row, i) => lines.push(`${r.confusion.labels[i].padEnd(w)} ${row.map((v) => String(v).padStart(7)).join("")}`));
  lines.push("");
  lines.push("coverage  accuracy  threshold");
  for (const p of r.coverage) lines.push(`${(p.coverage * 100).toFixed(0).padStart(7)}%  ${p.accuracy.toFixed(4).padStart(8)}  ${p.threshold.toFixed(4).padStart(9)}`);
  return lines.join("\n");
}
