/**
 * One-hidden-layer perceptron on sparse TF-IDF input:
 *   h = relu(x W1 + b1)  (H units),  scores = h W2 + b2  (K classes)
 * trained with mini-batch Adam (lazy, row-sparse updates of W1) and dropout on h.
 */
import type { Csr, SparseVec } from "./sparse";
import { mulberry32, shuffleInPlace } from "./optim";

export interface MlpModel {
  dim: number;
  hidden: number;
  classes: number;
  /** dim x hidden, row-major */
  W1: Float32Array;
  b1: Float32Array;
  /** hidden x classes, row-major */
  W2: Float32Array;
  b2: Float32Array;
}

export interface MlpOptions {
  hidden: number;
  epochs: number;
  lr?: number;
  batch?: number;
  dropout?: number;
  /** L2 weight decay applied to touched W1 rows and W2 (default 0) */
  weightDecay?: number;
  seed?: number;
  /** optional per-example weights */
  sampleWeight?: Float64Array;
}

/** Hidden activations relu(x W1 + b1) of one vector (length H). */
export function mlpHidden(m: MlpModel, x: SparseVec, out?: Float32Array): Float32Array {
  const H = m.hidden;
  const h = out ?? new Float32Array(H);
  h.set(m.b1);
  for (let t = 0; t < x.indices.length; t++) {
    const j = x.indices[t];
    if (j >= m.dim) continue;
    const v = x.values[t];
    const o = j * H;
    for (let u = 0; u < H; u++) h[u] += v * m.W1[o + u];
  }
  for (let u = 0; u < H; u++) if (h[u] < 0) h[u] = 0;
  return h;
}

/** Output scores (logits, length K) of one vector. */
export function mlpScores(m: MlpModel, x: SparseVec, out?: Float64Array): Float64Array {
  const K = m.classes;
  const H = m.hidden;
  const h = mlpHidden(m, x);
  const z = out ?? new Float64Array(K);
  for (let k = 0; k < K; k++) z[k] = m.b2[k];
  for (let u = 0; u < H; u++) {
    const hu = h[u];
    if (hu === 0) continue;
    const o = u * K;
    for (let k = 0; k < K; k++) z[k] += hu * m.W2[o + k];
  }
  return z;
}

/** Scores for all rows (rows*K, row-major). */
export function mlpScoresMany(m: MlpModel, X: Csr): Float64Array {
  const K = m.classes;
  const out = new Float64Array(X.rows * K);
  const z = new Float64Array(K);
  for (let i = 0; i < X.rows; i++) {
    const a = X.indptr[i];
    const b = X.indptr[i + 1];
    mlpScores(m, { indices: X.indices.subarray(a, b), values: X.values.subarray(a, b) }, z);
    out.set(z, i * K);
  }
  return out;
}

/** Train the MLP. Deterministic for a given seed. */
export function trainMlp(X: Csr, y: Int32Array, K: number, opts: MlpOptions): MlpModel {
  const D = X.cols;
  const H = opts.hidden;
  const lr = opts.lr ?? 1e-3;
  const bs = opts.batch ?? 64;
  const drop = opts.dropout ?? 0.5;
  const wd = opts.weightDecay ?? 0;
  const rand = mulberry32(opts.seed ?? 1);
  const gauss = (): number => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const W1 = new Float32Array(D * H);
  for (let i = 0; i < W1.length; i++) W1[i] = gauss() * 0.01;
  const b1 = new Float32Array(H);
  const W2 = new Float32Array(H * K);
  const s2 = Math.sqrt(2 / H);
  for (let i = 0; i < W2.length; i++) W2[i] = gauss() * s2;
  const b2 = new Float32Array(K);
  // Adam state
  const m1 = new Float32Array(D * H);
  const v1 = new Float32Array(D * H);
  const mb1 = new Float64Array(H), vb1 = new Float64Array(H);
  const mW2 = new Float64Array(H * K), vW2 = new Float64Array(H * K);
  const mb2 = new Float64Array(K), vb2 = new Float64Array(K);
  const beta1 = 0.9, beta2 = 0.999, epsA = 1e-8;
  const n = X.rows;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const A = new Float32Array(bs * H); // pre-activations
  const Hd = new Float32Array(bs * H); // dropped-out hidden
  const Msk = new Float32Array(bs * H);
  const G = new Float64Array(bs * K);
  const gH = new Float32Array(bs * H);
  const gW2 = new Float64Array(H * K);
  const gb1 = new Float64Array(H);
  const gb2 = new Float64Array(K);
  const gW1 = new Map<number, Float32Array>();
  let step = 0;
  const z = new Float64Array(K);
  for (let ep = 0; ep < opts.epochs; ep++) {
    shuffleInPlace(order, rand);
    for (let s0 = 0; s0 < n; s0 += bs) {
      const B = Math.min(bs, n - s0);
      let wsum = 0;
      for (let r = 0; r < B; r++) wsum += opts.sampleWeight ? opts.sampleWeight[order[s0 + r]] : 1;
      // forward
      for (let r = 0; r < B; r++) {
        const i = order[s0 + r];
        const a = A.subarray(r * H, r * H + H);
        a.set(b1);
        for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) {
          const v = X.values[t];
          const o = X.indices[t] * H;
          for (let u = 0; u < H; u++) a[u] += v * W1[o + u];
        }
        const keep = 1 / (1 - drop);
        for (let u = 0; u < H; u++) {
          const mk = rand() >= drop ? keep : 0;
          Msk[r * H + u] = mk;
          Hd[r * H + u] = a[u] > 0 ? a[u] * mk : 0;
        }
        for (let k = 0; k < K; k++) z[k] = b2[k];
        for (let u = 0; u < H; u++) {
          const hu = Hd[r * H + u];
          if (hu === 0) continue;
          for (let k = 0; k < K; k++) z[k] += hu * W2[u * K + k];
        }
        let mx = -Infinity;
        for (let k = 0; k < K; k++) if (z[k] > mx) mx = z[k];
        let ssum = 0;
        for (let k = 0; k < K; k++) {
          z[k] = Math.exp(z[k] - mx);
          ssum += z[k];
        }
        const wi = (opts.sampleWeight ? opts.sampleWeight[i] : 1) / wsum;
        for (let k = 0; k < K; k++) G[r * K + k] = (z[k] / ssum) * wi;
        G[r * K + y[i]] -= wi;
      }
      // backward
      gW2.fill(0);
      gb2.fill(0);
      gb1.fill(0);
      for (let r = 0; r < B; r++) {
        for (let k = 0; k < K; k++) gb2[k] += G[r * K + k];
        for (let u = 0; u < H; u++) {
          const hu = Hd[r * H + u];
          let g = 0;
          for (let k = 0; k < K; k++) {
            const gk = G[r * K + k];
            if (hu !== 0) gW2[u * K + k] += hu * gk;
            g += gk * W2[u * K + k];
          }
          g = A[r * H + u] > 0 ? g * Msk[r * H + u] : 0;
          gH[r * H + u] = g;
          gb1[u] += g;
        }
      }
      gW1.clear();
      for (let r = 0; r < B; r++) {
        const i = order[s0 + r];
        const gh = gH.subarray(r * H, r * H + H);
        for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) {
          const j = X.indices[t];
          const v = X.values[t];
          let row = gW1.get(j);
          if (!row) {
            row = new Float32Array(H);
            gW1.set(j, row);
          }
          for (let u = 0; u < H; u++) row[u] += v * gh[u];
        }
      }
      step++;
      const c1 = 1 - Math.pow(beta1, step);
      const c2 = 1 - Math.pow(beta2, step);
      const lrt = (lr * Math.sqrt(c2)) / c1;
      for (let q = 0; q < H * K; q++) {
        const g = gW2[q] + wd * W2[q];
        mW2[q] = beta1 * mW2[q] + (1 - beta1) * g;
        vW2[q] = beta2 * vW2[q] + (1 - beta2) * g * g;
        W2[q] -= (lrt * mW2[q]) / (Math.sqrt(vW2[q]) + epsA);
      }
      for (let k = 0; k < K; k++) {
        const g = gb2[k];
        mb2[k] = beta1 * mb2[k] + (1 - beta1) * g;
        vb2[k] = beta2 * vb2[k] + (1 - beta2) * g * g;
        b2[k] -= (lrt * mb2[k]) / (Math.sqrt(vb2[k]) + epsA);
      }
      for (let u = 0; u < H; u++) {
        const g = gb1[u];
        mb1[u] = beta1 * mb1[u] + (1 - beta1) * g;
        vb1[u] = beta2 * vb1[u] + (1 - beta2) * g * g;
        b1[u] -= (lrt * mb1[u]) / (Math.sqrt(vb1[u]) + epsA);
      }
      for (const [j, row] of gW1) {
        const o = j * H;
        for (let u = 0; u < H; u++) {
          const g = row[u] + wd * W1[o + u];
          const mm = beta1 * m1[o + u] + (1 - beta1) * g;
          const vv = beta2 * v1[o + u] + (1 - beta2) * g * g;
          m1[o + u] = mm;
          v1[o + u] = vv;
          W1[o + u] -= (lrt * mm) / (Math.sqrt(vv) + epsA);
        }
      }
    }
  }
  return { dim: D, hidden: H, classes: K, W1, b1, W2, b2 };
}
