/**
 * Correction memory: an in-process kernel-weighted nearest-neighbour store of
 * labelled examples added after training (agents' category corrections).
 *
 * Each example is a TF-IDF vector over word unigrams + bigrams. Terms known to the
 * base vocabulary use its idf; unseen terms (new jargon, words of a brand-new
 * category) get ids of their own and the maximum idf. Vectors are L2-normalised,
 * so the similarity of two examples is their cosine in [0, 1].
 *
 * Re-learning an identical normalised text replaces the previous label (the latest
 * correction wins).
 */

export interface MemoryHit {
  label: string;
  /** cosine similarity in [0, 1] */
  sim: number;
}

export interface MemoryOptions {
  /** neighbours with similarity below this are ignored (default 0.2) */
  minSim?: number;
  /** at most this many neighbours are used (default 10) */
  k?: number;
  /**
   * terms with idf below this (very common words such as "please", "hi", "regards") are
   * left out of the inverted index: they still count in each vector's norm but not in the
   * dot product, which keeps queries fast with 10k+ stored corrections (default 2.5)
   */
  minIndexIdf?: number;
}

/** Growable posting list (entry ids + weights). */
interface Posting {
  e: Int32Array;
  v: Float32Array;
  n: number;
}

/** Indices of the (at most) m largest scores among `items` (unordered). */
function topM(items: number[], score: Float64Array, m: number): number[] {
  if (items.length <= m) return items;
  // min-heap of size m over scores
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => score[a] < score[b];
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < heap.length && less(heap[l], heap[s])) s = l;
      if (r < heap.length && less(heap[r], heap[s])) s = r;
      if (s === i) return;
      [heap[i], heap[s]] = [heap[s], heap[i]];
      i = s;
    }
  };
  for (const it of items) {
    if (heap.length < m) {
      heap.push(it);
      up(heap.length - 1);
    } else if (score[it] > score[heap[0]]) {
      heap[0] = it;
      down(0);
    }
  }
  return heap;
}

interface Entry {
  label: string;
  ids: Int32Array;
  vals: Float32Array;
}

/** Vocabulary/idf view the memory needs from the base featuriser. */
export interface TermSource {
  /** id of a word n-gram in the base vocabulary, or undefined */
  termId(term: string): number | undefined;
  /** idf of a base-vocabulary id */
  idfOf(id: number): number;
  /** number of base word ids (new ids start here) */
  readonly baseTerms: number;
  /** idf assigned to terms never seen in training */
  readonly unseenIdf: number;
}

export class CorrectionMemory {
  private readonly entries: Entry[] = [];
  private readonly byText = new Map<string, number>();
  private readonly postings = new Map<number, Posting>();
  private readonly extraTerms = new Map<string, number>();
  private readonly src: TermSource;
  private readonly minSim: number;
  private readonly k: number;
  private readonly minIndexIdf: number;
  private acc = new Float64Array(64);

  constructor(src: TermSource, opts: MemoryOptions = {}) {
    this.src = src;
    this.minSim = opts.minSim ?? 0.2;
    this.k = opts.k ?? 10;
    this.minIndexIdf = opts.minIndexIdf ?? 2.5;
  }

  /** number of stored (distinct-text) examples */
  get size(): number {
    return this.byText.size;
  }

  /** Sparse unit vector (ids, values) of a normalised text; new terms are registered if `register`. */
  vectorize(text: string, register: boolean): { ids: Int32Array; vals: Float32Array } {
    const toks = text.split(/\s+/).filter(Boolean);
    const counts = new Map<number, number>();
    const add = (term: string): void => {
      let id = this.src.termId(term);
      if (id === undefined) {
        id = this.extraTerms.get(term);
        if (id === undefined) {
          if (!register) return;
          id = this.src.baseTerms + this.extraTerms.size;
          this.extraTerms.set(term, id);
        }
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    };
    for (let i = 0; i < toks.length; i++) {
      add(toks[i]);
      if (i + 1 < toks.length) add(toks[i] + " " + toks[i + 1]);
    }
    const ids = Int32Array.from(counts.keys()).sort();
    const vals = new Float32Array(ids.length);
    let ss = 0;
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t];
      const idf = id < this.src.baseTerms ? this.src.idfOf(id) : this.src.unseenIdf;
      const v = (1 + Math.log(counts.get(id)!)) * idf;
      vals[t] = v;
      ss += v * v;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let t = 0; t < vals.length; t++) vals[t] *= inv;
    return { ids, vals };
  }

  /** Add (or relabel) one example. Cost ~ O(#tokens). */
  add(text: string, label: string): void {
    const key = text.trim();
    const prev = this.byText.get(key);
    if (prev !== undefined) {
      if (this.entries[prev].label !== label) this.relabels++;
      this.entries[prev].label = label;
      return;
    }
    const { ids, vals } = this.vectorize(key, true);
    if (ids.length === 0) return;
    const e = this.entries.length;
    this.entries.push({ label, ids, vals });
    this.byText.set(key, e);
    for (let t = 0; t < ids.length; t++) {
      if (!this.indexed(ids[t])) continue;
      let p = this.postings.get(ids[t]);
      if (!p) {
        p = { e: new Int32Array(4), v: new Float32Array(4), n: 0 };
        this.postings.set(ids[t], p);
      }
      if (p.n === p.e.length) {
        const e2 = new Int32Array(p.n * 2);
        e2.set(p.e);
        const v2 = new Float32Array(p.n * 2);
        v2.set(p.v);
        p.e = e2;
        p.v = v2;
      }
      p.e[p.n] = e;
      p.v[p.n] = vals[t];
      p.n++;
    }
  }

  private indexed(id: number): boolean {
    return id >= this.src.baseTerms || this.src.idfOf(id) >= this.minIndexIdf;
  }

  /**
   * Nearest stored examples with cosine >= minSim, best first (at most k).
   * Two phases bound the cost with 10k+ corrections: candidates are gathered from the
   * postings of the query's 16 heaviest indexed terms, then the best 48 candidates are
   * re-scored with the exact cosine.
   */
  query(text: string): MemoryHit[] {
    if (this.entries.length === 0) return [];
    const { ids, vals } = this.vectorize(text, false);
    if (this.acc.length < this.entries.length) this.acc = new Float64Array(Math.max(64, this.entries.length * 2));
    const acc = this.acc;
    const order: number[] = [];
    for (let t = 0; t < ids.length; t++) if (this.indexed(ids[t]) && this.postings.has(ids[t])) order.push(t);
    order.sort((a, b) => vals[b] - vals[a]);
    const touched: number[] = [];
    for (let r = 0; r < Math.min(16, order.length); r++) {
      const t = order[r];
      const p = this.postings.get(ids[t])!;
      const q = vals[t];
      const pe = p.e;
      const pv = p.v;
      for (let u = 0; u < p.n; u++) {
        const e = pe[u];
        if (acc[e] === 0) touched.push(e);
        acc[e] += q * pv[u];
      }
    }
    const cands = topM(touched, acc, 48);
    for (const e of touched) acc[e] = 0;
    // exact cosine by merging sorted sparse vectors
    const qo = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b]);
    const qi = Int32Array.from(qo.map((t) => ids[t]));
    const qv = Float64Array.from(qo.map((t) => vals[t]));
    const hits: MemoryHit[] = [];
    for (const e of cands) {
      const ent = this.entries[e];
      let s = 0;
      let a = 0;
      let b = 0;
      while (a < qi.length && b < ent.ids.length) {
        if (qi[a] === ent.ids[b]) s += qv[a++] * ent.vals[b++];
        else if (qi[a] < ent.ids[b]) a++;
        else b++;
      }
      if (s >= this.minSim) hits.push({ label: ent.label, sim: Math.min(1, s) });
    }
    hits.sort((a, b) => b.sim - a.sim);
    return hits.slice(0, this.k);
  }

  /**
   * Cosine of a text to each label's prototype: the normalised mean of the label's stored unit
   * vectors (its centroid in the same TF-IDF space). Labels passing `only` (default all; pass the
   * same filter on every call) are scored.
   * @returns label → cosine in [0, 1] (labels with no shared term are absent).
   */
  prototypeSims(text: string, only?: (label: string) => boolean): Map<string, number> {
    const out = new Map<string, number>();
    if (this.entries.length === 0) return out;
    const protos = this.prototypes(only);
    if (protos.size === 0) return out;
    const { ids, vals } = this.vectorize(text, false);
    for (const [label, proto] of protos) {
      let s = 0;
      for (let t = 0; t < ids.length; t++) s += vals[t] * (proto.w.get(ids[t]) ?? 0);
      if (s > 0) out.set(label, Math.min(1, s / proto.norm));
    }
    return out;
  }

  private protoCache: { n: number; byLabel: Map<string, { w: Map<number, number>; norm: number }> } | null = null;

  /**
   * Centroids of the labels passing `only` (callers pass the same filter every time: the cache
   * holds that filter's labels). Rebuilt after an add or relabel; the term work is for the
   * filtered labels' entries only, so thousands of corrections of other labels cost a label scan.
   */
  private prototypes(only?: (label: string) => boolean): Map<string, { w: Map<number, number>; norm: number }> {
    // entries only grow or get relabelled; rebuild when either happened (relabels bump relabels)
    const stamp = this.entries.length * 1_000_003 + this.relabels;
    if (!this.protoCache || this.protoCache.n !== stamp) {
      const byLabel = new Map<string, { w: Map<number, number>; norm: number }>();
      for (const e of this.entries) {
        if (only && !only(e.label)) continue;
        let p = byLabel.get(e.label);
        if (!p) byLabel.set(e.label, (p = { w: new Map(), norm: 0 }));
        for (let t = 0; t < e.ids.length; t++) p.w.set(e.ids[t], (p.w.get(e.ids[t]) ?? 0) + e.vals[t]);
      }
      for (const p of byLabel.values()) {
        let ss = 0;
        for (const v of p.w.values()) ss += v * v;
        p.norm = Math.sqrt(ss) || 1;
      }
      this.protoCache = { n: stamp, byLabel };
    }
    return this.protoCache.byLabel;
  }

  private relabels = 0;

  /** Distinct labels present in the memory. */
  labels(): string[] {
    return Array.from(new Set(this.entries.map((e) => e.label)));
  }
}
