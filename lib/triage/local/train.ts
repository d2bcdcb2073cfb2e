/**
 * Training of the local category model (pure TypeScript, single thread).
 */
import { Featurizer, DEFAULT_FEATURE_SPEC, type FeatureSpec } from "./features";
import { trainOvrSvm, trainOvrLogistic, linearScoresMany, type LinearModel } from "./linear";
import { goldenSection } from "./optim";
import { truncatedSvd } from "./lsa";
import { csrFromRows, type Csr, type SparseVec } from "./sparse";
import { BUILTIN_SLUGS } from "./labels";
import { LocalCategoryModel, DEFAULT_MEMORY_BLEND, type Component, type LabelledText, type MemoryBlend } from "./model";

/** One ensemble member. */
export type ComponentSpec =
  | { name: string; kind: "svm"; C: number; loss?: "l1" | "l2"; block?: FeatureBlock; balanced?: boolean }
  | { name: string; kind: "lr"; C: number; block?: FeatureBlock; balanced?: boolean };

/** Which feature columns a component sees: everything, or only the word n-gram block. */
export type FeatureBlock = "all" | "word";

/**
 * The shipped ensemble (see docs/EVALUATION.md): one-vs-rest linear SVM and logistic
 * regression, each on word+char and on word-only TF-IDF; C values from a small dev grid.
 */
export const DEFAULT_COMPONENTS: ComponentSpec[] = [
  { name: "svm-wc", kind: "svm", C: 0.3 },
  { name: "lr-wc", kind: "lr", C: 10 },
  { name: "svm-w", kind: "svm", C: 0.5, block: "word" },
  { name: "lr-w", kind: "lr", C: 10, block: "word" },
];

/** Keep only columns < d (the word block comes first), as a new CSR with `d` columns. */
export function csrLeftColumns(X: Csr, d: number): Csr {
  const indptr = new Int32Array(X.rows + 1);
  let nnz = 0;
  for (let i = 0; i < X.rows; i++) {
    for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) if (X.indices[t] < d) nnz++;
    indptr[i + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  for (let i = 0; i < X.rows; i++) {
    for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) {
      if (X.indices[t] < d) {
        indices[p] = X.indices[t];
        values[p++] = X.values[t];
      }
    }
  }
  return { rows: X.rows, cols: d, indptr, indices, values };
}

export interface TrainOptions {
  features?: FeatureSpec;
  components?: ComponentSpec[];
  /** labelled held-out set used ONLY to fit temperatures (calibration); optional */
  calibration?: readonly LabelledText[];
  /** embedding dimension (default 128) */
  embedDim?: number;
  memoryBlend?: MemoryBlend;
  /** progress logger */
  log?: (msg: string) => void;
}

/** Row-major n x K log-softmax of scores / T. */
function logSoftmaxRows(S: Float64Array, K: number, T: number): Float64Array {
  const out = new Float64Array(S.length);
  for (let i = 0; i < S.length / K; i++) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, S[i * K + k] / T);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(S[i * K + k] / T - mx);
    const ls = mx + Math.log(s);
    for (let k = 0; k < K; k++) out[i * K + k] = S[i * K + k] / T - ls;
  }
  return out;
}

/**
 * Temperature T > 0 minimising the mean negative log-likelihood of softmax(S/T)
 * (S: n x K row-major scores, y: gold class ids). Searched on log T in [1/200, 200].
 */
export function fitTemperature(S: Float64Array, y: Int32Array, K: number): number {
  const nll = (T: number): number => {
    const L = logSoftmaxRows(S, K, T);
    let s = 0;
    for (let i = 0; i < y.length; i++) s -= L[i * K + y[i]];
    return s / y.length;
  };
  return Math.exp(goldenSection((lt) => nll(Math.exp(lt)), Math.log(1 / 200), Math.log(200), 1e-4));
}

/** Train one linear component. */
export function trainComponent(spec: ComponentSpec, X: Csr, y: Int32Array, K: number): LinearModel {
  let classWeight: Float64Array | undefined;
  if (spec.balanced) {
    // scikit-learn's class_weight="balanced" for the positive side: n / (K * n_k)
    const cnt = new Float64Array(K);
    for (let i = 0; i < y.length; i++) cnt[y[i]]++;
    classWeight = cnt.map((c) => (c > 0 ? y.length / (K * c) : 1));
  }
  if (spec.kind === "svm") return trainOvrSvm(X, y, K, { C: spec.C, loss: spec.loss ?? "l2", classWeight });
  return trainOvrLogistic(X, y, K, { C: spec.C, classWeight });
}

/** Unigram-only, re-normalised TF-IDF rows of the word block (for LSA). */
function unigramRows(fz: Featurizer, X: Csr, rowOf: Int32Array): Csr {
  const rows: SparseVec[] = [];
  for (let i = 0; i < X.rows; i++) {
    const idx: number[] = [];
    const val: number[] = [];
    let ss = 0;
    for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) {
      const j = X.indices[t];
      if (j >= fz.wordDim) break;
      const r = rowOf[j];
      if (r < 0) continue;
      // undo the block normalisation: only ratios matter, we renormalise below
      idx.push(r);
      val.push(X.values[t]);
      ss += X.values[t] * X.values[t];
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    const order = idx.map((_, q) => q).sort((a, b) => idx[a] - idx[b]);
    rows.push({ indices: Int32Array.from(order.map((q) => idx[q])), values: Float32Array.from(order.map((q) => val[q] * inv)) });
  }
  let nTerms = 0;
  for (let j = 0; j < rowOf.length; j++) if (rowOf[j] >= 0) nTerms++;
  return csrFromRows(rows, nTerms);
}

/**
 * Train the full local model on labelled, normalised examples.
 * Labels must be category slugs. Class order: built-in slugs first (if present), then others sorted.
 * @throws Error if fewer than 2 distinct labels are given.
 */
export function trainLocalModel(examples: readonly LabelledText[], opts: TrainOptions = {}): LocalCategoryModel {
  const log = opts.log ?? (() => {});
  const present = new Set(examples.map((e) => e.label));
  if (present.size < 2) throw new Error("trainLocalModel: need at least 2 distinct labels");
  const labels = [...BUILTIN_SLUGS.filter((l) => present.has(l)), ...[...present].filter((l) => !BUILTIN_SLUGS.includes(l)).sort()];
  const K = labels.length;
  const li = new Map(labels.map((l, i) => [l, i]));
  const texts = examples.map((e) => e.text);
  const y = Int32Array.from(examples.map((e) => li.get(e.label)!));
  let t0 = performance.now();
  const fz = Featurizer.fit(texts, opts.features ?? DEFAULT_FEATURE_SPEC);
  const X = fz.transformMany(texts);
  log(`features: dim=${fz.dim} (word ${fz.wordDim}), nnz=${X.indices.length}, ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  const specs = opts.components ?? DEFAULT_COMPONENTS;
  const comps: Component[] = [];
  let Xw: Csr | null = null;
  const view = (b: FeatureBlock | undefined): Csr => (b === "word" ? (Xw ??= csrLeftColumns(X, fz.wordDim)) : X);
  for (const spec of specs) {
    t0 = performance.now();
    comps.push({ name: spec.name, model: trainComponent(spec, view(spec.block), y, K), temperature: 1 });
    log(`component ${spec.name} (${spec.kind} C=${spec.C}): ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  }
  // LSA embedding on unigram terms
  t0 = performance.now();
  const dim = opts.embedDim ?? 128;
  const terms = fz.wordTerms();
  const rowOf = new Int32Array(fz.wordDim).fill(-1);
  const termIds: number[] = [];
  terms.forEach((t, j) => {
    if (!t.includes(" ")) {
      rowOf[j] = termIds.length;
      termIds.push(j);
    }
  });
  const U = unigramRows(fz, X, rowOf);
  const kEff = Math.max(1, Math.min(dim, U.cols - 2, U.rows - 2));
  const svd = truncatedSvd(U, kEff + 1, { powerIters: 2 });
  // drop the first (mean-like) component, which inflates every cosine
  const comp = new Float32Array(U.cols * dim);
  for (let r = 0; r < U.cols; r++) for (let c = 0; c < kEff; c++) comp[r * dim + c] = svd.components[r * (kEff + 1) + c + 1];
  log(`LSA embedding ${dim}d over ${U.cols} terms: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  let finalT = 1;
  if (opts.calibration && opts.calibration.length > 0) {
    t0 = performance.now();
    const cal = opts.calibration.filter((e) => li.has(e.label));
    const Xc = fz.transformMany(cal.map((e) => e.text));
    const yc = Int32Array.from(cal.map((e) => li.get(e.label)!));
    const Z = new Float64Array(cal.length * K);
    for (const c of comps) {
      const S = linearScoresMany(c.model, Xc);
      c.temperature = fitTemperature(S, yc, K);
      const L = logSoftmaxRows(S, K, c.temperature);
      for (let q = 0; q < Z.length; q++) Z[q] += L[q] / comps.length;
    }
    finalT = fitTemperature(Z, yc, K);
    log(`calibration on ${cal.length} examples: T=${comps.map((c) => c.temperature.toFixed(3)).join(",")} final=${finalT.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(1)}s)`);
  }
  return new LocalCategoryModel({
    featurizer: fz,
    components: comps,
    labels,
    finalTemperature: finalT,
    memoryBlend: opts.memoryBlend ?? DEFAULT_MEMORY_BLEND,
    embedder: { termIds: Int32Array.from(termIds), components: comp, dim },
    info: { trainedOn: examples.length, calibratedOn: opts.calibration?.length ?? 0, components: specs },
  });
}
