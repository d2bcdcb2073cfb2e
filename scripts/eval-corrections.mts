/**
 * npm run eval:corrections [-- --blend JSON] [--dev-limit N]
 *
 * How much the local model learns a desk's own meaning of the categories from agents'
 * corrections (lib/triage/learning.ts: only tickets whose category an agent changed are
 * learned). The desk is the hand-written demo desk (lib/demo/desk: 302 raw tickets with the
 * category an agent would choose), where the trained model is right a third of the time.
 * 10-fold cross-validation: for each fold, the tickets of the other nine folds that the model
 * gets wrong are learned as corrections (`model.learn`, memory reset between folds), and the
 * fold's tickets are predicted. Then the guard on the dataset's own meaning: the first
 * `--dev-limit` dev.csv tickets after 200 are predicted with (a) the whole desk's corrections
 * learned and (b) the model's mistakes among dev's first 200 learned.
 *
 * Each set reports accuracy, ECE (15 bins, top-1), the share flagged for review (confidence
 * under TRIAGE_REVIEW_THRESHOLD's default 0.8) and the accuracy of the rest, with the
 * shipped blend and with the desk prototypes off (`protoKnownBeta` 0) side by side.
 * --blend '{"protoKnownH":0.2}' overrides memory-blend parameters of the "shipped" column.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO_TICKETS } from "../lib/demo/desk/index";
import { datasetDir, readLabelledCsv } from "../lib/triage/local/dataset";
import { loadLocalModel, type LocalCategoryModel, type MemoryBlend } from "../lib/triage/local/model";
import { normalizeTicketText } from "../lib/triage/local/normalize";

const { values } = parseArgs({ options: { blend: { type: "string" }, "dev-limit": { type: "string", default: "2500" } } });
const THRESHOLD = 0.8;
const FOLDS = 10;

const model = loadLocalModel();
const shipped: MemoryBlend = { ...model.memoryBlend, ...(values.blend ? (JSON.parse(values.blend) as Partial<MemoryBlend>) : {}) };
const variants: [string, MemoryBlend][] = [
  ["desk prototypes off", { ...shipped, protoKnownBeta: 0 }],
  ["shipped", shipped],
];

interface Example {
  text: string;
  label: string;
}
const desk: Example[] = DEMO_TICKETS.map((t) => ({ text: normalizeTicketText({ title: t.t, description: t.d }), label: t.c }));
const devAll = readLabelledCsv(join(datasetDir(), "dev.csv"));
const devLearn = devAll.slice(0, 200);
const devTest = devAll.slice(200, 200 + Number(values["dev-limit"]));

/** The tickets the trained model (no corrections) gets wrong: what agents would correct. */
function mistakes(m: LocalCategoryModel, xs: Example[]): Example[] {
  m.resetCorrections();
  return xs.filter((x) => m.predict(x.text).label !== x.label);
}

function report(out: { ok: boolean; conf: number }[]): string {
  const n = out.length;
  const acc = out.filter((o) => o.ok).length / n;
  const kept = out.filter((o) => o.conf >= THRESHOLD);
  const bins = Array.from({ length: 15 }, () => ({ conf: 0, ok: 0, n: 0 }));
  for (const o of out) {
    const b = bins[Math.min(14, Math.floor(o.conf * 15))];
    b.n++;
    b.conf += o.conf;
    b.ok += o.ok ? 1 : 0;
  }
  const ece = bins.reduce((a, b) => a + Math.abs(b.conf - b.ok), 0) / n;
  const keptAcc = kept.length ? kept.filter((o) => o.ok).length / kept.length : NaN;
  return `| ${acc.toFixed(3)} | ${ece.toFixed(3)} | ${(100 * (1 - kept.length / n)).toFixed(1)} % | ${keptAcc.toFixed(3)} |`;
}

function predictAll(xs: Example[]): { ok: boolean; conf: number }[] {
  return xs.map((x) => {
    const p = model.predict(x.text);
    return { ok: p.label === x.label, conf: p.confidence };
  });
}

console.log(`| set | blend | accuracy | ECE | flagged (< ${THRESHOLD}) | accuracy of the rest |`);
console.log("|---|---|---:|---:|---:|---:|");
for (const [name, blend] of variants) {
  Object.assign(model.memoryBlend, blend);
  const cv: { ok: boolean; conf: number }[] = [];
  for (let f = 0; f < FOLDS; f++) {
    const train = desk.filter((_, i) => i % FOLDS !== f);
    const corrections = mistakes(model, train);
    model.resetCorrections();
    model.learn(corrections);
    cv.push(...predictAll(desk.filter((_, i) => i % FOLDS === f)));
  }
  console.log(`| demo desk, ${FOLDS}-fold (${desk.length}) | ${name} ${report(cv)}`);
  const deskCorrections = mistakes(model, desk);
  model.resetCorrections();
  model.learn(deskCorrections);
  console.log(`| dev (${devTest.length}), the desk's ${deskCorrections.length} corrections learned | ${name} ${report(predictAll(devTest))}`);
  const devCorrections = mistakes(model, devLearn);
  model.resetCorrections();
  model.learn(devCorrections);
  console.log(`| dev (${devTest.length}), ${devCorrections.length} corrections of dev's first 200 learned | ${name} ${report(predictAll(devTest))}`);
  model.resetCorrections();
}
model.resetCorrections();
console.log(`| dev (${devTest.length}), no corrections | – ${report(predictAll(devTest))}`);
