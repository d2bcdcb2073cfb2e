/**
 * Small numerical optimisers used for training (all deterministic).
 */

/** Objective callback: writes the gradient into `grad` and returns the value. */
export type Objective = (w: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** maximum iterations (default 200) */
  maxIter?: number;
  /** history size (default 10) */
  m?: number;
  /** stop when relative decrease of f over the last step is below this (default 1e-7) */
  ftol?: number;
  /** stop when ||g||_inf < gtol (default 1e-5) */
  gtol?: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Minimise a smooth function with L-BFGS and a backtracking (Armijo) line search.
 * @param f objective (value + gradient)
 * @param w0 starting point (modified in place and returned)
 * @returns the final point and value, and the number of iterations used.
 */
export function lbfgs(f: Objective, w0: Float64Array, opts: LbfgsOptions = {}): { w: Float64Array; f: number; iters: number } {
  const maxIter = opts.maxIter ?? 200;
  const m = opts.m ?? 10;
  const ftol = opts.ftol ?? 1e-7;
  const gtol = opts.gtol ?? 1e-5;
  const n = w0.length;
  const w = w0;
  const g = new Float64Array(n);
  let fx = f(w, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const wNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const alpha = new Array<number>(m).fill(0);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax < gtol) break;
    // two-loop recursion: d = -H g
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      const a = rho[k] * dot(S[k], d);
      alpha[k] = a;
      const y = Y[k];
      for (let i = 0; i < n; i++) d[i] -= a * y[i];
    }
    if (S.length > 0) {
      const k = S.length - 1;
      const gamma = dot(S[k], Y[k]) / dot(Y[k], Y[k]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const gn = Math.sqrt(dot(g, g));
      for (let i = 0; i < n; i++) d[i] /= Math.max(1, gn);
    }
    for (let k = 0; k < S.length; k++) {
      const b = rho[k] * dot(Y[k], d);
      const s = S[k];
      const c = alpha[k] - b;
      for (let i = 0; i < n; i++) d[i] += c * s[i];
    }
    let gd = dot(g, d);
    if (gd >= 0) {
      // not a descent direction: reset memory, use steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      gd = dot(g, d);
    }
    let step = 1;
    let fNew = 0;
    let ok = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < n; i++) wNew[i] = w[i] + step * d[i];
      fNew = f(wNew, gNew);
      if (fNew <= fx + 1e-4 * step * gd) {
        ok = true;
        break;
      }
      step *= 0.5;
    }
    if (!ok) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = wNew[i] - w[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-10) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    w.set(wNew);
    g.set(gNew);
    const rel = (fx - fNew) / Math.max(1, Math.abs(fx));
    fx = fNew;
    if (rel < ftol) {
      iter++;
      break;
    }
  }
  return { w, f: fx, iters: iter };
}

/** Minimise a 1-D unimodal function on [lo, hi] by golden-section search. */
export function goldenSection(f: (x: number) => number, lo: number, hi: number, tol = 1e-4): number {
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tol) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/** Deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** In-place Fisher-Yates shuffle using the given PRNG. */
export function shuffleInPlace(a: Int32Array | number[], rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
