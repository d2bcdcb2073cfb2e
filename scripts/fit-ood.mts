/**
 * npm run fit:ood [-- --model PATH]
 *
 * Fits the slope β of the out-of-distribution temperature shrink (lib/triage/local/ood.ts) by
 * minimising the negative log-likelihood, over a grid 0…20, on two calibration sets that are
 * neither evaluation file (data/eval/dev-raw.csv, data/eval/handwritten.csv):
 * 1. the hand-written demo desk (lib/demo/desk, 302 raw tickets labelled by what an agent means
 *    by each category), and
 * 2. as many dev.csv tickets with words hidden: word types drawn with probability ∝ idf are
 *    replaced by an unknown token until a target share (0–60 %) of the idf mass is unknown —
 *    the dataset's own labels, with words the model cannot read.
 * Both sets weigh the same. Prints the NLL and ECE per β and the chosen β (paste it into
 * DEFAULT_OOD_BETA). Base-model probabilities only (no correction memory).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO_TICKETS } from "../lib/demo/desk/index";
import { datasetDir, readLabelledCsv } from "../lib/triage/local/dataset";
import { loadLocalModel } from "../lib/triage/local/model";
import { normalizeTicketText } from "../lib/triage/local/normalize";
import { maxWordIdf, oodTemperatureFactor, unknownShare } from "../lib/triage/local/ood";

const { values } = parseArgs({ options: { model: { type: "string" } } });
const model = loadLocalModel(values.model);
const fz = model.featurizer;
const labels = model.baseLabels;
const unk = maxWordIdf(fz);

interface Row {
  z: Float64Array;
  u: number;
  gold: number;
}
const row = (text: string, label: string): Row => ({ z: model.baseLogits(fz.transform(text)), u: unknownShare(fz, text), gold: labels.indexOf(label) });

const demo = DEMO_TICKETS.map((t) => row(normalizeTicketText({ title: t.t, description: t.d }), t.c));

let seed = 20261202;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const idfOf = (t: string): number => {
  const id = fz.wordVocab.get(t);
  return id === undefined ? unk : fz.idf[id];
};
const dev = readLabelledCsv(join(datasetDir(), "dev.csv"));
const masked: Row[] = [];
for (let i = 0; i < demo.length; i++) {
  const d = dev[Math.floor(rnd() * dev.length)];
  const target = [0, 0.1, 0.2, 0.3, 0.45, 0.6][Math.floor(rnd() * 6)];
  const toks = d.text.split(" ");
  const total = toks.reduce((a, t) => a + idfOf(t), 0);
  const hidden = new Set<string>();
  let gone = 0;
  while (gone / total < target) {
    const cand = [...new Set(toks)].filter((t) => !hidden.has(t));
    if (cand.length === 0) break;
    let x = rnd() * cand.reduce((a, t) => a + idfOf(t), 0);
    const pick = cand.find((t) => (x -= idfOf(t)) <= 0) ?? cand[cand.length - 1];
    hidden.add(pick);
    gone += toks.filter((t) => t === pick).length * idfOf(pick);
  }
  masked.push(row(toks.map((t) => (hidden.has(t) ? "qxqzq" : t)).join(" "), d.label));
}

function probs(z: Float64Array, T: number): number[] {
  let mx = -Infinity;
  for (const v of z) mx = Math.max(mx, v / T);
  const e = Array.from(z, (v) => Math.exp(v / T - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
function score(rows: Row[], beta: number): { nll: number; ece: number; acc: number } {
  let nll = 0;
  let ok = 0;
  const bins = Array.from({ length: 15 }, () => ({ c: 0, ok: 0 }));
  for (const r of rows) {
    const p = probs(r.z, model.finalTemperature * oodTemperatureFactor(r.u, beta));
    let k = 0;
    for (let i = 1; i < p.length; i++) if (p[i] > p[k]) k = i;
    nll -= Math.log(Math.max(1e-6, r.gold >= 0 ? p[r.gold] : 1e-6));
    const b = Math.min(14, Math.floor(p[k] * 15));
    bins[b].c += p[k];
    bins[b].ok += k === r.gold ? 1 : 0;
    ok += k === r.gold ? 1 : 0;
  }
  return { nll: nll / rows.length, ece: bins.reduce((a, x) => a + Math.abs(x.c - x.ok), 0) / rows.length, acc: ok / rows.length };
}

console.log(`demo desk ${demo.length} tickets (mean unknown share ${(demo.reduce((a, r) => a + r.u, 0) / demo.length).toFixed(3)}), masked dev ${masked.length}`);
console.log("beta   pooled NLL   demo NLL  demo ECE   masked NLL  masked ECE");
let best = { beta: 0, nll: Infinity };
for (const beta of [0, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20]) {
  const a = score(demo, beta);
  const b = score(masked, beta);
  const pooled = (a.nll + b.nll) / 2;
  if (pooled < best.nll) best = { beta, nll: pooled };
  console.log(`${String(beta).padStart(4)}   ${pooled.toFixed(4).padStart(10)}   ${a.nll.toFixed(4)}    ${a.ece.toFixed(3)}     ${b.nll.toFixed(4)}      ${b.ece.toFixed(3)}`);
}
console.log(`accuracy: demo desk ${score(demo, 0).acc.toFixed(3)}, masked dev ${score(masked, 0).acc.toFixed(3)}`);
console.log(`chosen beta ${best.beta} (pooled NLL ${best.nll.toFixed(4)})`);
