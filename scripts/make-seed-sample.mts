/**
 * Draw the demo ticket sample shipped in db/seed-data/ from the it-tickets dataset's dev
 * split (CC0; see db/seed-data/README.md). Deterministic: same input, same sample.
 * Usage: npx tsx scripts/make-seed-sample.mts [N=2000]
 * Drawn from dev.csv, not train.csv, so the seeded triage decisions show the model's real
 * (held-out) accuracy rather than its fit on its own training data.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

const n = Number(process.argv[2] ?? 2000);
const src = path.resolve(process.env.DATASET_DIR ?? "../shared/datasets/it-tickets", "dev.csv");
const records = parse(fs.readFileSync(src), { columns: true, skip_empty_lines: true }) as { id: string; text: string; label: string }[];

// mulberry32: tiny seeded PRNG so the sample is reproducible
let seed = 20261121;
const rand = () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const usable = records.filter((r) => r.text.trim().split(/\s+/).length >= 6);
for (let i = usable.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [usable[i], usable[j]] = [usable[j], usable[i]];
}
const sample = usable.slice(0, n).map((r) => ({ id: r.id, text: r.text.trim().replace(/\s+/g, " "), label: r.label }));
const out = path.resolve("db/seed-data/it-tickets-sample.csv");
fs.writeFileSync(out, stringify(sample, { header: true, columns: ["id", "text", "label"] }));
console.log(`wrote ${sample.length} rows to ${out}`);
