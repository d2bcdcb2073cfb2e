/**
 * npm run eval -- --data FILE.csv [--mode local] [--limit N] [--model PATH] [--warmup N]
 *
 * Evaluates a classifier on a labelled CSV (`text,label` or `title,description,label`;
 * labels as dataset names or slugs). Trains nothing. Prints per-class P/R/F1, the
 * confusion matrix and the coverage curve, and as the LAST stdout line one JSON object:
 * {"n","accuracy","macroF1","ece","p50Ms","p99Ms","llmCalls","tokens"}.
 * Latency = normalise + predict per ticket, after `--warmup` (default 200) untimed calls.
 * Only --mode local exists for now; llm / hybrid will plug in a Classifier here.
 */
import { parseArgs } from "node:util";
import { loadLocalModel } from "../lib/triage/local/model";
import { createClassifier, evaluateClassifier, formatReport, readEvalCsv } from "../lib/triage/local/evaluate";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    mode: { type: "string", default: "local" },
    limit: { type: "string" },
    model: { type: "string" },
    warmup: { type: "string", default: "200" },
  },
});
if (!values.data) {
  console.error("usage: npm run eval -- --data FILE.csv [--mode local] [--limit N]");
  process.exit(2);
}
const limit = values.limit !== undefined ? Number(values.limit) : undefined;
if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
  console.error(`--limit must be a positive integer (got ${values.limit})`);
  process.exit(2);
}

try {
  const classify = createClassifier(values.mode!, () => loadLocalModel(values.model));
  const examples = readEvalCsv(values.data, limit);
  const warm = Math.min(Number(values.warmup), examples.length);
  for (let i = 0; i < warm; i++) await classify({ title: examples[i].title, description: examples[i].description });
  const report = await evaluateClassifier(examples, classify);
  console.log(formatReport(report));
  console.log(JSON.stringify(report.summary));
} catch (e) {
  console.error(`eval failed: ${(e as Error).message}`);
  process.exit(1);
}
