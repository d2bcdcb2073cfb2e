/**
 * Minimal compressed-sparse-row (CSR) matrix used by the local classifier.
 * Row i occupies indices/values[indptr[i] .. indptr[i+1]).
 */
export interface Csr {
  /** number of rows */
  rows: number;
  /** number of columns (feature dimension) */
  cols: number;
  /** row pointer, length rows+1 */
  indptr: Int32Array;
  /** column indices, length nnz, sorted ascending within a row */
  indices: Int32Array;
  /** values, length nnz */
  values: Float32Array;
}

/** One sparse vector: parallel arrays of column indices (ascending) and values. */
export interface SparseVec {
  indices: Int32Array;
  values: Float32Array;
}

/** Stack sparse row vectors into a CSR matrix with `cols` columns. */
export function csrFromRows(rows: readonly SparseVec[], cols: number): Csr {
  let nnz = 0;
  for (const r of rows) nnz += r.indices.length;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    indices.set(r.indices, p);
    values.set(r.values, p);
    p += r.indices.length;
    indptr[i + 1] = p;
  }
  return { rows: rows.length, cols, indptr, indices, values };
}

/** Select a subset of rows (in the given order) into a new CSR matrix. */
export function csrSelectRows(m: Csr, which: ArrayLike<number>): Csr {
  let nnz = 0;
  for (let t = 0; t < which.length; t++) nnz += m.indptr[which[t] + 1] - m.indptr[which[t]];
  const indptr = new Int32Array(which.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  for (let t = 0; t < which.length; t++) {
    const a = m.indptr[which[t]];
    const b = m.indptr[which[t] + 1];
    indices.set(m.indices.subarray(a, b), p);
    values.set(m.values.subarray(a, b), p);
    p += b - a;
    indptr[t + 1] = p;
  }
  return { rows: which.length, cols: m.cols, indptr, indices, values };
}

/** Get row i as a SparseVec view (no copy). */
export function csrRow(m: Csr, i: number): SparseVec {
  const a = m.indptr[i];
  const b = m.indptr[i + 1];
  return { indices: m.indices.subarray(a, b), values: m.values.subarray(a, b) };
}
