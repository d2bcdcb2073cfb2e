/**
 * npm run eval:new-category [-- --label purchase,storage | --all] [--k 5,10,20,50] [--train-limit N]
 *                             [--seed 1] [--dev FILE.csv] [--dev-raw FILE.csv] [--describe] [--blend JSON]
 *
 * Leave-one-class-out curve of learning a new category from few examples (issue #13 §4; logic in
 * lib/triage/local/new-category-eval.ts): for each held-out label, train on the other 7 labels of
 * train.csv (a stratified subsample of N rows with --train-limit), teach the held-out label k
 * examples through `model.learn` (the admin/correction path), and report precision, recall and F1
 * of the new class and the accuracy on the old classes, on dev.csv and on dev-raw (any CSV with
 * title,description,label or text,label; skipped when missing). --describe also teaches the
 * category's description (an admin's wording of each dataset label) as the admin path does.
 * --blend '{"protoBeta":0}' overrides memory-blend parameters; --compare also runs the kNN-only
 * memory of before (no prototypes, protoBeta 0) on the same trained model (cells get variant "knn-only").
 * The LAST stdout line is one JSON object: {"cells":[{label,variant,k,set,support,precision,recall,f1,oldAccuracy}]}.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { datasetDir, readLabelledCsv } from "../lib/triage/local/dataset";
import { BUILTIN_SLUGS } from "../lib/triage/local/labels";
import { DEFAULT_MEMORY_BLEND } from "../lib/triage/local/model";
import { evaluateNewCategory, trainWithout, formatCells, type NewCategoryCell } from "../lib/triage/local/new-category-eval";
import { normalizeTicketText } from "../lib/triage/local/normalize";

const { values } = parseArgs({
  options: {
    label: { type: "string", default: "purchase,storage" },
    all: { type: "boolean", default: false },
    k: { type: "string", default: "5,10,20,50" },
    "train-limit": { type: "string" },
    seed: { type: "string", default: "1" },
    dev: { type: "string" },
    "dev-raw": { type: "string", default: "data/eval/dev-raw.csv" },
    describe: { type: "boolean", default: false },
    blend: { type: "string" },
    compare: { type: "boolean", default: false },
  },
});

/** What an admin would write as the category description (normalised like ticket text). */
const DESCRIPTIONS: Record<string, string> = {
  access: "Access to systems, accounts, passwords, logins, permissions and shared folders",
  "administrative-rights": "Administrative rights: local admin rights, elevated permissions to install software",
  hardware: "Hardware faults and requests: laptops, monitors, printers, docking stations, phones",
  "hr-support": "HR support: payroll, leave, onboarding and offboarding of employees, contracts",
  "internal-project": "Internal projects: project work, planning, meetings, project resources",
  miscellaneous: "Miscellaneous requests that fit no other category",
  purchase: "Purchase requests: ordering, buying and approving equipment, software licences, purchase orders and invoices",
  storage: "Storage: disk space, quotas, mailbox size, shared drives, file servers and backups",
};

const ks = values.k!.split(",").map(Number).filter((n) => n > 0).sort((a, b) => a - b);
const labels = values.all ? [...BUILTIN_SLUGS] : values.label!.split(",").map((s) => s.trim()).filter(Boolean);
const dir = datasetDir();
const train = readLabelledCsv(join(dir, "train.csv"));
const sets: Record<string, { text: string; label: string }[]> = { dev: readLabelledCsv(values.dev ?? join(dir, "dev.csv")) };
const rawPath = values["dev-raw"]!;
const rawParts = existsSync(rawPath) ? [rawPath] : ["data/eval/dev-raw.part1.csv", "data/eval/dev-raw.part2.csv"].filter(existsSync);
if (rawParts.length) sets["dev-raw"] = rawParts.flatMap((p) => readLabelledCsv(p));
console.log(`train ${train.length}, ${Object.entries(sets).map(([n, r]) => `${n} ${r.length}`).join(", ")}${rawParts.length ? ` (${rawParts.join(", ")})` : ""}`);

const all: (NewCategoryCell & { label: string; variant: string })[] = [];
const t0 = Date.now();
const blend = values.blend ? { ...DEFAULT_MEMORY_BLEND, ...(JSON.parse(values.blend) as object) } : undefined;
const variants: [string, typeof blend][] = [["shipped", blend], ...(values.compare ? [["knn-only", { ...DEFAULT_MEMORY_BLEND, protoBeta: 0 }] as [string, typeof blend]] : [])];
for (const label of labels) {
  const trainLimit = values["train-limit"] ? Number(values["train-limit"]) : undefined;
  const model = trainWithout({ train, label, trainLimit, seed: Number(values.seed), log: (m) => console.log(m) });
  for (const [variant, memoryBlend] of variants) {
    const cells = evaluateNewCategory({
      train,
      sets,
      label,
      ks,
      model,
      seed: Number(values.seed),
      memoryBlend,
      description: values.describe && DESCRIPTIONS[label] ? normalizeTicketText({ description: DESCRIPTIONS[label] }) : undefined,
    });
    console.log(formatCells(`${label} (${variant})`, cells));
    all.push(...cells.map((c) => ({ label, variant, ...c })));
  }
}
console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(JSON.stringify({ cells: all }));
