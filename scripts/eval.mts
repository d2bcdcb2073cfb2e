/**
 * npm run eval -- --data FILE.csv [--mode local|llm|hybrid] [--limit N] [--model PATH] [--warmup N] [--threshold P]
 *
 * Evaluates a classifier on a labelled CSV (`text,label` or `title,description,label`;
 * labels as dataset names or slugs). Trains nothing. Prints per-class P/R/F1, the
 * confusion matrix and the coverage curve, and as the LAST stdout line one JSON object:
 * {"n","accuracy","macroF1","ece","p50Ms","p99Ms","llmCalls","tokens"}.
 * Latency = normalise + predict per ticket (local), or the whole call including the LLM,
 * after `--warmup` untimed calls (default 200 for local, 0 for llm/hybrid so no tokens are spent).
 * --mode llm|hybrid use the LLM configured by the environment (see .env.example); hybrid asks
 * it only under --threshold (default TRIAGE_HYBRID_THRESHOLD or 0.6).
 */
import { parseArgs } from "node:util";
import { loadLocalModel } from "../lib/triage/local/model";
import { createClassifier, evaluateClassifier, formatReport, readEvalCsv } from "../lib/triage/local/evaluate";
import { createLlmModeClassifier } from "../lib/triage/eval-modes";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    mode: { type: "string", default: "local" },
    limit: { type: "string" },
    model: { type: "string" },
    warmup: { type: "string" },
    threshold: { type: "string" },
  },
});
if (!values.data) {
  console.error("usage: npm run eval -- --data FILE.csv [--mode local|llm|hybrid] [--limit N] [--threshold P]");
  process.exit(2);
}
const limit = values.limit !== undefined ? Number(values.limit) : undefined;
if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
  console.error(`--limit must be a positive integer (got ${values.limit})`);
  process.exit(2);
}

try {
  const mode = values.mode!;
  const threshold = Number(values.threshold ?? process.env.TRIAGE_HYBRID_THRESHOLD ?? 0.6);
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`--threshold must be between 0 and 1 (got ${values.threshold})`);
  const classify =
    mode === "llm" || mode === "hybrid"
      ? createLlmModeClassifier(mode, loadLocalModel(values.model), { threshold })
      : createClassifier(mode, () => loadLocalModel(values.model));
  const examples = readEvalCsv(values.data, limit);
  const warm = Math.min(Number(values.warmup ?? (mode === "local" ? 200 : 0)), examples.length);
  for (let i = 0; i < warm; i++) await classify({ title: examples[i].title, description: examples[i].description });
  const report = await evaluateClassifier(examples, classify);
  console.log(formatReport(report));
  console.log(JSON.stringify(report.summary));
} catch (e) {
  console.error(`eval failed: ${(e as Error).message}`);
  process.exit(1);
}
