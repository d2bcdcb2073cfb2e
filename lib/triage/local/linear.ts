/**
 * Linear classifiers on sparse TF-IDF features.
 *
 * Weights are stored row-major as a (dim+1) x K matrix: row j < dim holds the
 * weights of feature j for all K classes, row `dim` holds the biases.
 */
import type { Csr, SparseVec } from "./sparse";
import { mulberry32, shuffleInPlace } from "./optim";

/** A trained linear model: scores = x W + b. */
export interface LinearModel {
  dim: number;
  classes: number;
  /** (dim+1) x classes row-major; last row = bias */
  weights: Float32Array;
}

/** Decision scores of one sparse vector (length K, written into `out` if given). */
export function linearScores(m: LinearModel, x: SparseVec, out?: Float64Array): Float64Array {
  const K = m.classes;
  const z = out ?? new Float64Array(K);
  const W = m.weights;
  const b = m.dim * K;
  for (let k = 0; k < K; k++) z[k] = W[b + k];
  const idx = x.indices;
  const val = x.values;
  for (let t = 0; t < idx.length; t++) {
    const j = idx[t];
    if (j >= m.dim) continue;
    const v = val[t];
    const o = j * K;
    for (let k = 0; k < K; k++) z[k] += v * W[o + k];
  }
  return z;
}

/** Decision scores for every row of X: Float64Array of length rows*K (row-major). */
export function linearScoresMany(m: LinearModel, X: Csr): Float64Array {
  const K = m.classes;
  const out = new Float64Array(X.rows * K);
  const z = new Float64Array(K);
  for (let i = 0; i < X.rows; i++) {
    const a = X.indptr[i];
    const b = X.indptr[i + 1];
    linearScores(m, { indices: X.indices.subarray(a, b), values: X.values.subarray(a, b) }, z);
    out.set(z, i * K);
  }
  return out;
}

export interface SvmOptions {
  /** penalty parameter (as LIBLINEAR / scikit-learn LinearSVC) */
  C: number;
  /** "l2" = squared hinge (LinearSVC default), "l1" = hinge */
  loss?: "l1" | "l2";
  /** max epochs per class (default 100) */
  maxIter?: number;
  /** stopping tolerance on projected-gradient spread (default 0.1, as LIBLINEAR) */
  eps?: number;
  /** bias feature value (default 1, as LIBLINEAR -B 1) */
  bias?: number;
  /** optional per-class penalty multipliers (class_weight) */
  classWeight?: Float64Array;
  seed?: number;
}

/**
 * One-vs-rest linear SVM by dual coordinate descent (Hsieh et al. 2008; LIBLINEAR -s 1/3),
 * without shrinking. Returns scores w_k.x + b_k for each class.
 */
export function trainOvrSvm(X: Csr, y: Int32Array, K: number, opts: SvmOptions): LinearModel {
  const d = X.cols;
  const n = X.rows;
  const B = opts.bias ?? 1;
  const loss = opts.loss ?? "l2";
  const maxIter = opts.maxIter ?? 100;
  const eps = opts.eps ?? 0.1;
  const weights = new Float32Array((d + 1) * K);
  const xsq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = B * B;
    for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) s += X.values[t] * X.values[t];
    xsq[i] = s;
  }
  const rand = mulberry32(opts.seed ?? 1);
  const order = new Int32Array(n);
  const w = new Float64Array(d + 1);
  const alpha = new Float64Array(n);
  const ys = new Int8Array(n);
  for (let k = 0; k < K; k++) {
    w.fill(0);
    alpha.fill(0);
    for (let i = 0; i < n; i++) ys[i] = y[i] === k ? 1 : -1;
    const cw = opts.classWeight;
    for (let i = 0; i < n; i++) order[i] = i;
    for (let it = 0; it < maxIter; it++) {
      shuffleInPlace(order, rand);
      let pgMax = -Infinity;
      let pgMin = Infinity;
      for (let s = 0; s < n; s++) {
        const i = order[s];
        const yi = ys[i];
        const Ci = opts.C * (cw ? (yi > 0 ? cw[k] : 1) : 1);
        const diag = loss === "l2" ? 0.5 / Ci : 0;
        const U = loss === "l2" ? Infinity : Ci;
        let wx = w[d] * B;
        for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) wx += w[X.indices[t]] * X.values[t];
        const G = yi * wx - 1 + diag * alpha[i];
        let PG = G;
        if (alpha[i] === 0) PG = Math.min(G, 0);
        else if (alpha[i] >= U) PG = Math.max(G, 0);
        if (PG > pgMax) pgMax = PG;
        if (PG < pgMin) pgMin = PG;
        if (Math.abs(PG) > 1e-12) {
          const old = alpha[i];
          alpha[i] = Math.min(Math.max(old - G / (xsq[i] + diag), 0), U);
          const delta = (alpha[i] - old) * yi;
          for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) w[X.indices[t]] += delta * X.values[t];
          w[d] += delta * B;
        }
      }
      if (pgMax - pgMin <= eps) break;
    }
    for (let j = 0; j < d; j++) weights[j * K + k] = w[j];
    weights[d * K + k] = w[d] * B;
  }
  return { dim: d, classes: K, weights };
}

export interface LogisticOptions {
  /** penalty parameter (LIBLINEAR -s 7 / scikit-learn C) */
  C: number;
  maxIter?: number;
  /** stopping tolerance on max |gradient| (default 0.1) */
  eps?: number;
  bias?: number;
  classWeight?: Float64Array;
  seed?: number;
}

/**
 * One-vs-rest L2-regularised logistic regression by dual coordinate descent
 * (Yu, Huang & Lin 2011; LIBLINEAR -s 7), no shrinking.
 */
export function trainOvrLogistic(X: Csr, y: Int32Array, K: number, opts: LogisticOptions): LinearModel {
  const d = X.cols;
  const n = X.rows;
  const B = opts.bias ?? 1;
  const maxIter = opts.maxIter ?? 100;
  const eps = opts.eps ?? 0.1;
  const weights = new Float32Array((d + 1) * K);
  const xsq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = B * B;
    for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) s += X.values[t] * X.values[t];
    xsq[i] = s;
  }
  const rand = mulberry32(opts.seed ?? 1);
  const order = new Int32Array(n);
  const w = new Float64Array(d + 1);
  const alpha = new Float64Array(2 * n);
  const ys = new Int8Array(n);
  const Cs = new Float64Array(n);
  const innerMin = Math.min(1e-8, eps);
  for (let k = 0; k < K; k++) {
    w.fill(0);
    for (let i = 0; i < n; i++) {
      ys[i] = y[i] === k ? 1 : -1;
      Cs[i] = opts.C * (opts.classWeight && ys[i] > 0 ? opts.classWeight[k] : 1);
      alpha[2 * i] = Math.min(0.001 * Cs[i], 1e-8);
      alpha[2 * i + 1] = Cs[i] - alpha[2 * i];
      const c = ys[i] * alpha[2 * i];
      for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) w[X.indices[t]] += c * X.values[t];
      w[d] += c * B;
    }
    for (let i = 0; i < n; i++) order[i] = i;
    let innerEps = 1e-2;
    for (let it = 0; it < maxIter; it++) {
      shuffleInPlace(order, rand);
      let gmax = 0;
      let newtonIter = 0;
      for (let s = 0; s < n; s++) {
        const i = order[s];
        const yi = ys[i];
        const C = Cs[i];
        const a = xsq[i];
        let wx = w[d] * B;
        for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) wx += w[X.indices[t]] * X.values[t];
        const b = yi * wx;
        let ind1 = 2 * i;
        let ind2 = 2 * i + 1;
        let sign = 1;
        if (0.5 * a * (alpha[ind2] - alpha[ind1]) + b < 0) {
          ind1 = 2 * i + 1;
          ind2 = 2 * i;
          sign = -1;
        }
        const aOld = alpha[ind1];
        let z = aOld;
        if (C - z < 0.5 * C) z = 0.1 * z;
        let gp = a * (z - aOld) + sign * b + Math.log(z / (C - z));
        gmax = Math.max(gmax, Math.abs(gp));
        let inner = 0;
        while (inner <= 100) {
          if (Math.abs(gp) < innerEps) break;
          const gpp = a + C / (C - z) / z;
          const tz = z - gp / gpp;
          z = tz <= 0 ? z * 0.1 : tz;
          gp = a * (z - aOld) + sign * b + Math.log(z / (C - z));
          newtonIter++;
          inner++;
        }
        if (inner > 0) {
          alpha[ind1] = z;
          alpha[ind2] = C - z;
          const delta = sign * (z - aOld) * yi;
          for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) w[X.indices[t]] += delta * X.values[t];
          w[d] += delta * B;
        }
      }
      if (gmax < eps) break;
      if (newtonIter <= n / 10) innerEps = Math.max(innerMin, 0.1 * innerEps);
    }
    for (let j = 0; j < d; j++) weights[j * K + k] = w[j];
    weights[d * K + k] = w[d] * B;
  }
  return { dim: d, classes: K, weights };
}
