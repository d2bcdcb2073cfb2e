/**
 * Latent semantic analysis (truncated SVD of a TF-IDF matrix) by randomised
 * range finding (Halko, Martinsson & Tropp 2011) with power iterations.
 * Used for the 128-d "similar tickets" embedding.
 */
import type { Csr } from "./sparse";
import { mulberry32 } from "./optim";

/**
 * Orthonormalise the columns of a row-major n x l matrix in place by Cholesky-QR,
 * applied twice for stability (CholeskyQR2). Row-wise loops keep memory access sequential.
 */
function orthonormalize(A: Float64Array, n: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const G = new Float64Array(l * l);
    for (let i = 0; i < n; i++) {
      const o = i * l;
      for (let a = 0; a < l; a++) {
        const va = A[o + a];
        if (va === 0) continue;
        const ga = a * l;
        for (let b = a; b < l; b++) G[ga + b] += va * A[o + b];
      }
    }
    // Cholesky G = R^T R (R upper triangular), with a small ridge for rank deficiency
    let tr = 0;
    for (let a = 0; a < l; a++) tr += G[a * l + a];
    const ridge = 1e-12 * (tr / l + 1e-300);
    const R = new Float64Array(l * l);
    for (let a = 0; a < l; a++) {
      let d = G[a * l + a] + ridge;
      for (let k = 0; k < a; k++) d -= R[k * l + a] * R[k * l + a];
      const r = Math.sqrt(Math.max(d, 1e-300));
      R[a * l + a] = r;
      for (let b = a + 1; b < l; b++) {
        let s = G[a * l + b];
        for (let k = 0; k < a; k++) s -= R[k * l + a] * R[k * l + b];
        R[a * l + b] = s / r;
      }
    }
    // A <- A R^{-1}: each row x solves x R = row (forward substitution)
    const row = new Float64Array(l);
    for (let i = 0; i < n; i++) {
      const o = i * l;
      for (let b = 0; b < l; b++) {
        let s = A[o + b];
        for (let k = 0; k < b; k++) s -= row[k] * R[k * l + b];
        row[b] = s / R[b * l + b];
      }
      for (let b = 0; b < l; b++) A[o + b] = row[b];
    }
  }
}

/** X (n x d, CSR) times M (d x l, row-major) -> n x l. */
function spmm(X: Csr, M: Float64Array, l: number): Float64Array {
  const out = new Float64Array(X.rows * l);
  for (let i = 0; i < X.rows; i++) {
    const o = i * l;
    for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) {
      const v = X.values[t];
      const r = X.indices[t] * l;
      for (let c = 0; c < l; c++) out[o + c] += v * M[r + c];
    }
  }
  return out;
}

/** X^T (d x n) times M (n x l) -> d x l. */
function spmmT(X: Csr, M: Float64Array, l: number): Float64Array {
  const out = new Float64Array(X.cols * l);
  for (let i = 0; i < X.rows; i++) {
    const o = i * l;
    for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) {
      const v = X.values[t];
      const r = X.indices[t] * l;
      for (let c = 0; c < l; c++) out[r + c] += v * M[o + c];
    }
  }
  return out;
}

/** Symmetric eigen-decomposition by cyclic Jacobi. A is l x l row-major (destroyed). Returns eigenvalues and column eigenvectors. */
function jacobiEigen(A: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const V = new Float64Array(l * l);
  for (let i = 0; i < l; i++) V[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += A[p * l + q] * A[p * l + q];
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = A[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * l + q] - A[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = A[k * l + p];
          const akq = A[k * l + q];
          A[k * l + p] = c * akp - s * akq;
          A[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = A[p * l + k];
          const aqk = A[q * l + k];
          A[p * l + k] = c * apk - s * aqk;
          A[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = V[k * l + p];
          const vkq = V[k * l + q];
          V[k * l + p] = c * vkp - s * vkq;
          V[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = A[i * l + i];
  return { values, vectors: V };
}

/**
 * Top-k right singular vectors of X (n x d).
 * @returns components: d x k row-major (Float32Array), singular values (length k), sorted descending.
 */
export function truncatedSvd(X: Csr, k: number, opts: { oversample?: number; powerIters?: number; seed?: number } = {}): { components: Float32Array; singular: Float64Array } {
  const l = k + (opts.oversample ?? 10);
  const d = X.cols;
  const n = X.rows;
  const rand = mulberry32(opts.seed ?? 3);
  const Om = new Float64Array(d * l);
  for (let i = 0; i < Om.length; i++) Om[i] = rand() * 2 - 1;
  let Y = spmm(X, Om, l);
  orthonormalize(Y, n, l);
  for (let it = 0; it < (opts.powerIters ?? 3); it++) {
    const Z = spmmT(X, Y, l);
    orthonormalize(Z, d, l);
    Y = spmm(X, Z, l);
    orthonormalize(Y, n, l);
  }
  // B^T = X^T Q (d x l); B B^T = Q^T X X^T Q (l x l)
  const Bt = spmmT(X, Y, l);
  const G = new Float64Array(l * l);
  for (let r = 0; r < d; r++) {
    const o = r * l;
    for (let a = 0; a < l; a++) {
      const va = Bt[o + a];
      if (va === 0) continue;
      for (let b = a; b < l; b++) G[a * l + b] += va * Bt[o + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) G[a * l + b] = G[b * l + a];
  const { values, vectors } = jacobiEigen(G, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const comps = new Float32Array(d * k);
  const sing = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const e = order[c];
    const sv = Math.sqrt(Math.max(values[e], 0));
    sing[c] = sv;
    // v = B^T u / sigma
    for (let r = 0; r < d; r++) {
      let s = 0;
      const o = r * l;
      for (let a = 0; a < l; a++) s += Bt[o + a] * vectors[a * l + e];
      comps[r * k + c] = sv > 0 ? s / sv : 0;
    }
  }
  return { components: comps, singular: sing };
}
