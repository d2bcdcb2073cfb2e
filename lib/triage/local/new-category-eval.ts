/**
 * Leave-one-class-out evaluation of learning a NEW category from few examples (issue #13 §4).
 *
 * Protocol: train the local model on every label but one (optionally a stratified subsample of
 * train.csv), then teach the held-out label from k examples (train.csv rows of that label, seeded)
 * through the same path admins' examples and agents' corrections use at run time
 * ({@link LocalCategoryModel.learn} with normalised text, plus the category description when one
 * is given), and score the held-out class (precision / recall / F1) and the old classes (accuracy
 * on the dev rows whose gold label is an old class) on each evaluation set.
 */
import { LocalCategoryModel, type LabelledText, type MemoryBlend } from "./model";
import { mulberry32 as seededRandom } from "./optim";
import { trainLocalModel } from "./train";

function shuffled<T>(xs: readonly T[], rnd: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Stratified subsample: at most `limit` rows keeping label proportions (seeded). */
export function stratifiedSample(rows: readonly LabelledText[], limit: number, seed = 1): LabelledText[] {
  if (rows.length <= limit) return [...rows];
  const rnd = seededRandom(seed);
  const by = new Map<string, LabelledText[]>();
  for (const r of rows) (by.get(r.label) ?? by.set(r.label, []).get(r.label)!).push(r);
  const out: LabelledText[] = [];
  for (const group of by.values()) out.push(...shuffled(group, rnd).slice(0, Math.max(1, Math.round((group.length * limit) / rows.length))));
  return out;
}

/** Scores of one (held-out label, k, evaluation set) cell. */
export interface NewCategoryCell {
  k: number;
  set: string;
  /** rows of the held-out label in the set */
  support: number;
  precision: number;
  recall: number;
  f1: number;
  /** accuracy on the rows whose gold label is one of the old (trained) labels */
  oldAccuracy: number;
}

export interface NewCategoryEvalOptions {
  /** labelled training rows (normalised text) */
  train: readonly LabelledText[];
  /** evaluation sets by name (normalised text) */
  sets: Record<string, readonly LabelledText[]>;
  /** held-out label (slug) */
  label: string;
  /** example counts, ascending (default 5,10,20,50) */
  ks?: number[];
  /** stratified subsample of the 7-label training rows (default: all) */
  trainLimit?: number;
  seed?: number;
  /** category description taught as a weak example (normalised), as the admin path does */
  description?: string;
  /** blend parameters to evaluate instead of the model's default */
  memoryBlend?: MemoryBlend;
  log?: (msg: string) => void;
  /** reuse an already trained 7-label model (must not know `label`) */
  model?: LocalCategoryModel;
}

/** Train once without `label`, or reuse `opts.model`. */
export function trainWithout(opts: Pick<NewCategoryEvalOptions, "train" | "label" | "trainLimit" | "seed" | "log">): LocalCategoryModel {
  let rows = opts.train.filter((r) => r.label !== opts.label);
  if (opts.trainLimit) rows = stratifiedSample(rows, opts.trainLimit, opts.seed ?? 1);
  opts.log?.(`training on ${rows.length} rows without '${opts.label}'`);
  return trainLocalModel(rows, {});
}

/** Score predictions of one set for the held-out label. */
export function scoreNewClass(gold: readonly string[], pred: readonly string[], label: string): Omit<NewCategoryCell, "k" | "set"> {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let oldN = 0;
  let oldOk = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i];
    const p = pred[i];
    if (g === label && p === label) tp++;
    else if (g === label) fn++;
    else if (p === label) fp++;
    if (g !== label) {
      oldN++;
      if (g === p) oldOk++;
    }
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { support: tp + fn, precision, recall, f1, oldAccuracy: oldN ? oldOk / oldN : 0 };
}

/**
 * Run the leave-one-class-out curve for one label.
 * @returns one cell per (k, set), k ascending; examples for larger k include those of smaller k.
 */
export function evaluateNewCategory(opts: NewCategoryEvalOptions): NewCategoryCell[] {
  const ks = opts.ks ?? [5, 10, 20, 50];
  const model = opts.model ?? trainWithout(opts);
  if (model.baseLabels.includes(opts.label)) throw new Error(`evaluateNewCategory: model already knows '${opts.label}'`);
  const pool = shuffled(
    opts.train.filter((r) => r.label === opts.label),
    seededRandom((opts.seed ?? 1) * 7919 + 13),
  );
  const blendBefore = { ...model.memoryBlend };
  if (opts.memoryBlend) Object.assign(model.memoryBlend, opts.memoryBlend);
  const cells: NewCategoryCell[] = [];
  try {
    for (const k of ks) {
      model.resetCorrections();
      if (opts.description) model.learnDescription(opts.label, opts.description);
      model.learn(pool.slice(0, k).map((r) => ({ text: r.text, label: opts.label })));
      for (const [set, rows] of Object.entries(opts.sets)) {
        const pred = rows.map((r) => model.predict(r.text).label);
        cells.push({ k, set, ...scoreNewClass(rows.map((r) => r.label), pred, opts.label) });
      }
      opts.log?.(cells.filter((c) => c.k === k).map((c) => `${opts.label} k=${k} ${c.set}: F1 ${c.f1.toFixed(3)} old ${c.oldAccuracy.toFixed(3)}`).join(" | "));
    }
  } finally {
    Object.assign(model.memoryBlend, blendBefore);
    model.resetCorrections();
  }
  return cells;
}

/** Plain-text table of cells (one line per k and set). */
export function formatCells(label: string, cells: readonly NewCategoryCell[]): string {
  const lines = [`label=${label}`, "   k  set          n     P      R      F1     oldAcc"];
  for (const c of cells) {
    lines.push(
      `${String(c.k).padStart(4)}  ${c.set.padEnd(10)} ${String(c.support).padStart(4)}  ${c.precision.toFixed(3)}  ${c.recall.toFixed(3)}  ${c.f1.toFixed(3)}  ${c.oldAccuracy.toFixed(3)}`,
    );
  }
  return lines.join("\n");
}
