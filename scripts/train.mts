/**
 * npm run train [-- --extra FILE.csv] [--out PATH]
 *
 * Trains the local category model on train.csv (+ optional extra labelled rows),
 * calibrates temperatures on dev.csv, writes lib/triage/local/artifacts/category-model.bin
 * and prints dev metrics and timings. Dataset dir: env DATASET_DIR or ../shared/datasets/it-tickets/.
 */
import { mkdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { datasetDir, readLabelledCsv } from "../lib/triage/local/dataset";
import { trainLocalModel } from "../lib/triage/local/train";
import { defaultModelPath, LocalCategoryModel } from "../lib/triage/local/model";
import { evaluateClassifier, formatReport, type EvalClassifier } from "../lib/triage/local/evaluate";

const t0 = performance.now();
const { values } = parseArgs({ options: { extra: { type: "string", multiple: true }, out: { type: "string" } } });
const dir = datasetDir();
const train = readLabelledCsv(join(dir, "train.csv"));
const dev = readLabelledCsv(join(dir, "dev.csv"));
for (const f of values.extra ?? []) {
  const extra = readLabelledCsv(f, { normalize: true });
  console.log(`+ ${extra.length} extra examples from ${f}`);
  train.push(...extra);
}
console.log(`train ${train.length} examples, dev ${dev.length} (${dir})`);
const model = trainLocalModel(train, { calibration: dev, log: (m) => console.log("  " + m) });
const out = values.out ?? defaultModelPath();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, model.serialize());
const trainSec = (performance.now() - t0) / 1000;
console.log(`wrote ${out} (${(statSync(out).size / 1e6).toFixed(2)} MB) after ${trainSec.toFixed(1)}s`);

// dev metrics of the model as shipped (reloaded from the artifact, float16 weights)
const shipped = LocalCategoryModel.deserialize(new Uint8Array(readFileSync(out)));
const classify: EvalClassifier = (inp) => {
  const p = shipped.predict(inp.description);
  return { label: p.label, confidence: p.confidence };
};
const report = await evaluateClassifier(
  dev.map((d) => ({ description: d.text, label: d.label })),
  classify,
);
console.log(formatReport(report));
console.log(`dev: ${JSON.stringify({ ...report.summary, trainSeconds: Number(trainSec.toFixed(1)) })}`);
