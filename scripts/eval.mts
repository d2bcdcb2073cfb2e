/**
 * npm run eval -- --data FILE.csv [--mode local|llm|hybrid] [--limit N] [--model PATH] [--warmup N]
 *                 [--threshold P] [--review-threshold P] [--tickets]
 *
 * Evaluates a classifier on a labelled CSV (`text,label` or `title,description,label`;
 * labels as dataset names or slugs; a label no category has, e.g. `none-fits`, always counts
 * as wrong). Trains nothing. Prints per-class P/R/F1, the confusion matrix and the coverage
 * curve, and as the LAST stdout line one JSON object:
 * {"n","accuracy","macroF1","ece","p50Ms","p99Ms","llmCalls","tokens","reviewThreshold",
 *  "flaggedShare","unflaggedAccuracy"[,"preprocessed"]}.
 * - flaggedShare / unflaggedAccuracy: tickets under the review threshold (--review-threshold,
 *   default TRIAGE_REVIEW_THRESHOLD) are flagged for review; unflaggedAccuracy is the accuracy of
 *   the others, over the whole file.
 * - Rows with a `source_id` column (data/eval/dev-raw.csv) are also evaluated in their
 *   pre-processed form, the dev.csv row of that id: `preprocessed` holds the same metrics for
 *   those texts, side by side.
 * - --tickets (default for files of ≤ 50 rows) lists every ticket: gold, answer, confidence, flagged.
 * Latency = normalise + predict per ticket (local), or the whole call including the LLM,
 * after `--warmup` untimed calls (default 200 for local, 0 for llm/hybrid so no tokens are spent).
 * --mode llm|hybrid use the LLM configured by the environment (see .env.example); hybrid asks
 * it only under --threshold (default TRIAGE_HYBRID_THRESHOLD or 0.6).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadLocalModel } from "../lib/triage/local/model";
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { datasetDir } from "../lib/triage/local/dataset";
import { toSlug } from "../lib/triage/local/labels";
import { createClassifier, evaluateClassifier, formatReport, readEvalCsv, type EvalExample } from "../lib/triage/local/evaluate";
import { createLlmModeClassifier } from "../lib/triage/eval-modes";
import { env } from "../lib/env";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    mode: { type: "string", default: "local" },
    limit: { type: "string" },
    model: { type: "string" },
    warmup: { type: "string" },
    threshold: { type: "string" },
    "review-threshold": { type: "string" },
    tickets: { type: "boolean" },
  },
});
if (!values.data) {
  console.error("usage: npm run eval -- --data FILE.csv [--mode local|llm|hybrid] [--limit N] [--threshold P] [--review-threshold P] [--tickets]");
  process.exit(2);
}
const limit = values.limit !== undefined ? Number(values.limit) : undefined;
if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
  console.error(`--limit must be a positive integer (got ${values.limit})`);
  process.exit(2);
}

/** Probability with 3 decimals, or "–". */
const f3 = (v: number | null): string => (v === null ? "–" : v.toFixed(3));

try {
  const mode = values.mode!;
  const threshold = Number(values.threshold ?? process.env.TRIAGE_HYBRID_THRESHOLD ?? 0.6);
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`--threshold must be between 0 and 1 (got ${values.threshold})`);
  const reviewThreshold = values["review-threshold"] !== undefined ? Number(values["review-threshold"]) : env().TRIAGE_REVIEW_THRESHOLD;
  if (!(reviewThreshold >= 0 && reviewThreshold <= 1)) throw new Error(`--review-threshold must be between 0 and 1 (got ${values["review-threshold"]})`);
  const classify =
    mode === "llm" || mode === "hybrid"
      ? createLlmModeClassifier(mode, loadLocalModel(values.model), { threshold })
      : createClassifier(mode, () => loadLocalModel(values.model));
  const examples = readEvalCsv(values.data, limit);
  const warm = Math.min(Number(values.warmup ?? (mode === "local" ? 200 : 0)), examples.length);
  for (let i = 0; i < warm; i++) await classify({ title: examples[i].title, description: examples[i].description });
  const report = await evaluateClassifier(examples, classify, { reviewThreshold });
  console.log(formatReport(report));

  if (values.tickets ?? examples.length <= 50) {
    console.log("\ngold                    answer                  conf   flagged");
    examples.forEach((ex, i) => {
      const r = report.items[i];
      const mark = r.predicted === r.gold ? " " : "✗";
      console.log(`${mark} ${r.gold.padEnd(22)} ${r.predicted.padEnd(22)} ${r.confidence.toFixed(2)}   ${r.confidence < reviewThreshold ? "yes" : "NO"}   ${(ex.title ?? ex.description).slice(0, 50)}`);
    });
  }

  let preprocessed: Record<string, number | null> | undefined;
  const paired = examples.filter((e) => e.sourceId);
  if (paired.length > 0) {
    const devRows = parse(readFileSync(join(datasetDir(), "dev.csv")), { columns: true }) as { id: string; text: string; label: string }[];
    const dev = new Map(devRows.map((d) => [d.id, { text: d.text, label: toSlug(d.label) }]));
    const originals: EvalExample[] = paired.map((e) => {
      const d = dev.get(e.sourceId!);
      if (!d) throw new Error(`source_id ${e.sourceId} is not in dev.csv`);
      return { description: d.text, label: d.label };
    });
    const rawOfPaired = paired.length === examples.length ? report : await evaluateClassifier(paired, classify, { reviewThreshold });
    const pre = await evaluateClassifier(originals, classify, { reviewThreshold });
    const s = pre.summary;
    preprocessed = { n: s.n, accuracy: s.accuracy, macroF1: s.macroF1, ece: s.ece, flaggedShare: s.flaggedShare, unflaggedAccuracy: s.unflaggedAccuracy };
    const r = rawOfPaired.summary;
    console.log(`\nsame ${s.n} tickets        raw     pre-processed`);
    for (const [k, a, b] of [
      ["accuracy", r.accuracy, s.accuracy],
      ["macro-F1", r.macroF1, s.macroF1],
      ["ECE", r.ece, s.ece],
      ["flagged share", r.flaggedShare, s.flaggedShare],
      ["unflagged accuracy", r.unflaggedAccuracy, s.unflaggedAccuracy],
    ] as const)
      console.log(`${k.padEnd(22)} ${f3(a).padStart(6)}  ${f3(b).padStart(12)}`);
  }
  console.log(JSON.stringify({ ...report.summary, ...(preprocessed ? { preprocessed } : {}) }));
} catch (e) {
  console.error(`eval failed: ${(e as Error).message}`);
  process.exit(1);
}
