/**
 * Evaluation metrics for single-label classification.
 * All functions take parallel arrays of gold and predicted labels (any string/number ids).
 */

export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** number of gold examples of this class */
  support: number;
}

/** Fraction of positions where pred equals gold. @throws if lengths differ. Returns 0 for empty input. */
export function accuracy<T>(gold: readonly T[], pred: readonly T[]): number {
  if (gold.length !== pred.length) throw new Error("accuracy: length mismatch");
  if (gold.length === 0) return 0;
  let c = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) c++;
  return c / gold.length;
}

/**
 * Per-class precision / recall / F1 / support. The class set is `labels` if given,
 * otherwise the sorted union of gold and predicted labels. Undefined ratios (0/0) are 0.
 */
export function perClassReport(gold: readonly string[], pred: readonly string[], labels?: readonly string[]): ClassReport[] {
  if (gold.length !== pred.length) throw new Error("perClassReport: length mismatch");
  const ls = labels ? [...labels] : Array.from(new Set([...gold, ...pred])).sort();
  return ls.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === label;
      const p = pred[i] === label;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support: tp + fn };
  });
}

/**
 * Macro-averaged F1 over classes. By default the classes are those present in gold
 * (scikit-learn averages over the union of gold and predicted labels; pass `labels` to control it).
 */
export function macroF1(gold: readonly string[], pred: readonly string[], labels?: readonly string[]): number {
  const ls = labels ?? Array.from(new Set(gold)).sort();
  if (ls.length === 0) return 0;
  const rep = perClassReport(gold, pred, ls);
  return rep.reduce((s, r) => s + r.f1, 0) / rep.length;
}

/**
 * Confusion matrix: counts[i][j] = #examples with gold labels[i] predicted as labels[j].
 * Labels default to the sorted union of gold and pred.
 */
export function confusionMatrix(
  gold: readonly string[],
  pred: readonly string[],
  labels?: readonly string[],
): { labels: string[]; counts: number[][] } {
  if (gold.length !== pred.length) throw new Error("confusionMatrix: length mismatch");
  const ls = labels ? [...labels] : Array.from(new Set([...gold, ...pred])).sort();
  const ix = new Map(ls.map((l, i) => [l, i]));
  const counts = ls.map(() => new Array<number>(ls.length).fill(0));
  for (let i = 0; i < gold.length; i++) {
    const a = ix.get(gold[i]);
    const b = ix.get(pred[i]);
    if (a !== undefined && b !== undefined) counts[a][b]++;
  }
  return { labels: ls, counts };
}

/**
 * Expected calibration error of top-1 confidence with `bins` equal-width bins on [0,1]
 * (default 15): sum_b (n_b/N) * |acc_b - conf_b|. Confidence 1.0 falls in the last bin.
 * @param confidence top-1 probability per example, in [0,1]
 * @param correct whether the top-1 prediction was right
 */
export function expectedCalibrationError(confidence: readonly number[], correct: readonly boolean[], bins = 15): number {
  if (confidence.length !== correct.length) throw new Error("expectedCalibrationError: length mismatch");
  const n = confidence.length;
  if (n === 0) return 0;
  const cnt = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const acc = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const c = Math.min(Math.max(confidence[i], 0), 1);
    const b = Math.min(bins - 1, Math.floor(c * bins));
    cnt[b]++;
    conf[b] += c;
    acc[b] += correct[i] ? 1 : 0;
  }
  let e = 0;
  for (let b = 0; b < bins; b++) if (cnt[b] > 0) e += (cnt[b] / n) * Math.abs(acc[b] / cnt[b] - conf[b] / cnt[b]);
  return e;
}

export interface CoveragePoint {
  /** requested coverage fraction, e.g. 0.8 */
  coverage: number;
  /** number of examples kept (the ceil(coverage*N) most confident) */
  kept: number;
  /** accuracy on the kept examples */
  accuracy: number;
  /** confidence of the least confident kept example (auto-accept threshold) */
  threshold: number;
}

/**
 * Coverage/accuracy curve: for each coverage c, keep the ceil(c*N) most confident
 * examples (stable order on ties) and report their accuracy and the confidence threshold.
 */
export function coverageCurve(
  confidence: readonly number[],
  correct: readonly boolean[],
  coverages: readonly number[] = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
): CoveragePoint[] {
  if (confidence.length !== correct.length) throw new Error("coverageCurve: length mismatch");
  const n = confidence.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => confidence[b] - confidence[a] || a - b);
  return coverages.map((coverage) => {
    const kept = Math.min(n, Math.ceil(coverage * n - 1e-9));
    let c = 0;
    for (let t = 0; t < kept; t++) if (correct[order[t]]) c++;
    return {
      coverage,
      kept,
      accuracy: kept > 0 ? c / kept : 0,
      threshold: kept > 0 ? confidence[order[kept - 1]] : 1,
    };
  });
}
