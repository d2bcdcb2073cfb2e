/**
 * TF-IDF featurisation of normalised ticket text: word n-grams plus character
 * n-grams taken inside word boundaries (sklearn's "char_wb" analyser), each block
 * sub-linearly scaled (1 + ln tf), idf-weighted and L2-normalised separately,
 * then concatenated as [word block | char block * charWeight].
 */
import type { Csr, SparseVec } from "./sparse";
import { csrFromRows } from "./sparse";

/** Hyper-parameters of the featuriser. */
export interface FeatureSpec {
  /** largest word n-gram (1 = unigrams only). */
  wordNgram: number;
  /** minimum document frequency (in the fitting corpus) for a word n-gram to be kept. */
  wordMinDf: number;
  /** smallest character n-gram length; 0 disables the char block. */
  charMin: number;
  /** largest character n-gram length. */
  charMax: number;
  /** minimum document frequency for a char n-gram. */
  charMinDf: number;
  /** multiplier on the (unit-norm) char block. */
  charWeight: number;
  /**
   * optional: also emit the word n-grams of the first `headTokens` tokens (roughly the
   * ticket title) as separate "^"-prefixed terms in the word block (0/undefined = off).
   */
  headTokens?: number;
  /**
   * only the first `maxTokens` tokens of a text are featurised (bounds the cost of very long
   * e-mail threads; 0/undefined = no limit). The shipped model uses 256 (~1.3% of tickets are longer).
   */
  maxTokens?: number;
}

export const DEFAULT_FEATURE_SPEC: FeatureSpec = {
  wordNgram: 2,
  wordMinDf: 2,
  charMin: 2,
  charMax: 5,
  charMinDf: 2,
  charWeight: 1,
  maxTokens: 256,
};

/** Tokens of a text as featurised under `spec` (tokenize + maxTokens cap). */
function specTokens(text: string, spec: FeatureSpec): string[] {
  const toks = tokenize(text);
  return spec.maxTokens && toks.length > spec.maxTokens ? toks.slice(0, spec.maxTokens) : toks;
}

/** Split normalised text into tokens (single spaces expected, but any whitespace works). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const t of text.split(/\s+/)) if (t) out.push(t);
  return out;
}

/** Word n-grams (1..n) of a token list, joined with a single space. */
export function wordNgrams(tokens: readonly string[], n: number): string[] {
  const out: string[] = tokens.slice();
  if (n >= 2) for (let i = 0; i + 2 <= tokens.length; i++) out.push(tokens[i] + " " + tokens[i + 1]);
  for (let k = 3; k <= n; k++) {
    for (let i = 0; i + k <= tokens.length; i++) out.push(tokens.slice(i, i + k).join(" "));
  }
  return out;
}

/** Word n-gram terms of a token list, plus "^"-prefixed head terms when headTokens > 0. */
export function wordTermsOf(tokens: readonly string[], spec: FeatureSpec): string[] {
  const out = wordNgrams(tokens, spec.wordNgram);
  const h = spec.headTokens ?? 0;
  if (h > 0) for (const g of wordNgrams(tokens.slice(0, h), spec.wordNgram)) out.push("^" + g);
  return out;
}

/** Character n-grams of one word padded with spaces (" word "), lengths lo..hi. */
export function charNgrams(word: string, lo: number, hi: number): string[] {
  const w = ` ${word} `;
  const out: string[] = [];
  for (let k = lo; k <= hi; k++) {
    if (k > w.length) break;
    for (let i = 0; i + k <= w.length; i++) out.push(w.slice(i, i + k));
  }
  return out;
}

/** Accumulate feature ids into a count map. */
function bump(m: Map<number, number>, id: number, c = 1): void {
  m.set(id, (m.get(id) ?? 0) + c);
}

/** A fitted TF-IDF featuriser (vocabularies + idf). Immutable after fitting. */
export class Featurizer {
  readonly spec: FeatureSpec;
  /** word n-gram -> id in [0, wordVocab.size) */
  readonly wordVocab: Map<string, number>;
  /** char n-gram -> id in [0, charVocab.size); global column = wordVocab.size + id */
  readonly charVocab: Map<string, number>;
  /** idf per global column, length dim */
  readonly idf: Float32Array;
  private readonly charCache = new Map<string, Int32Array>();

  constructor(spec: FeatureSpec, wordTerms: readonly string[], charTerms: readonly string[], idf: Float32Array) {
    this.spec = spec;
    this.wordVocab = new Map(wordTerms.map((t, i) => [t, i]));
    this.charVocab = new Map(charTerms.map((t, i) => [t, i]));
    if (idf.length !== wordTerms.length + charTerms.length) throw new Error("Featurizer: idf length mismatch");
    this.idf = idf;
  }

  /** total feature dimension (word + char columns). */
  get dim(): number {
    return this.wordVocab.size + this.charVocab.size;
  }

  /** number of word-block columns (they come first). */
  get wordDim(): number {
    return this.wordVocab.size;
  }

  /** Word terms in id order (for serialisation). */
  wordTerms(): string[] {
    return Array.from(this.wordVocab.keys());
  }

  /** Char terms in id order (for serialisation). */
  charTerms(): string[] {
    return Array.from(this.charVocab.keys());
  }

  /**
   * Fit vocabularies and idf on a corpus of normalised texts.
   * idf = ln((1+N)/(1+df)) + 1 (smoothed, as scikit-learn).
   */
  static fit(texts: readonly string[], spec: FeatureSpec = DEFAULT_FEATURE_SPEC): Featurizer {
    const wdf = new Map<string, number>();
    const cdf = new Map<string, number>();
    const gramCache = new Map<string, string[]>();
    for (const text of texts) {
      const toks = specTokens(text, spec);
      for (const g of new Set(wordTermsOf(toks, spec))) wdf.set(g, (wdf.get(g) ?? 0) + 1);
      if (spec.charMin > 0) {
        const docGrams = new Set<string>();
        for (const t of new Set(toks)) {
          let grams = gramCache.get(t);
          if (!grams) {
            grams = charNgrams(t, spec.charMin, spec.charMax);
            gramCache.set(t, grams);
          }
          for (const g of grams) docGrams.add(g);
        }
        for (const g of docGrams) cdf.set(g, (cdf.get(g) ?? 0) + 1);
      }
    }
    const wordTerms = Array.from(wdf.entries())
      .filter(([, c]) => c >= spec.wordMinDf)
      .map(([t]) => t)
      .sort();
    const charTerms = Array.from(cdf.entries())
      .filter(([, c]) => c >= spec.charMinDf)
      .map(([t]) => t)
      .sort();
    const n = texts.length;
    const idf = new Float32Array(wordTerms.length + charTerms.length);
    wordTerms.forEach((t, i) => (idf[i] = Math.log((1 + n) / (1 + wdf.get(t)!)) + 1));
    charTerms.forEach((t, i) => (idf[wordTerms.length + i] = Math.log((1 + n) / (1 + cdf.get(t)!)) + 1));
    return new Featurizer(spec, wordTerms, charTerms, idf);
  }

  private charIds(word: string): Int32Array {
    const hit = this.charCache.get(word);
    if (hit) return hit;
    const ids: number[] = [];
    for (const g of charNgrams(word, this.spec.charMin, this.spec.charMax)) {
      const id = this.charVocab.get(g);
      if (id !== undefined) ids.push(id);
    }
    const arr = Int32Array.from(ids);
    // only cache known words so the cache stays bounded on arbitrary input
    if (this.wordVocab.has(word) && this.charCache.size < 200_000) this.charCache.set(word, arr);
    return arr;
  }

  /** Raw word n-gram counts (vocabulary ids) of a text. */
  wordCounts(tokens: readonly string[]): Map<number, number> {
    const m = new Map<number, number>();
    for (const g of wordTermsOf(tokens, this.spec)) {
      const id = this.wordVocab.get(g);
      if (id !== undefined) bump(m, id);
    }
    return m;
  }

  private scratch: Float64Array | null = null;
  private touched: Int32Array | null = null;

  /** Turn the touched range [from, to) of the scratch counts into tf-idf values, L2-normalised, times weight. */
  private finish(from: number, to: number, weight: number, val: Float32Array): void {
    const acc = this.scratch!;
    const touched = this.touched!;
    touched.subarray(from, to).sort();
    let ss = 0;
    for (let p = from; p < to; p++) {
      const j = touched[p];
      const v = (1 + Math.log(acc[j])) * this.idf[j];
      acc[j] = 0;
      val[p] = v;
      ss += v * v;
    }
    const inv = ss > 0 ? weight / Math.sqrt(ss) : 0;
    for (let p = from; p < to; p++) val[p] *= inv;
  }

  /** TF-IDF vector (length dim, sorted indices) of one normalised text. */
  transform(text: string): SparseVec {
    if (!this.scratch) {
      this.scratch = new Float64Array(this.dim);
      this.touched = new Int32Array(this.dim);
    }
    const acc = this.scratch;
    const touched = this.touched!;
    let nt = 0;
    const toks = specTokens(text, this.spec);
    const voc = this.wordVocab;
    const hit = (j: number): void => {
      if (acc[j] === 0) touched[nt++] = j;
      acc[j] += 1;
    };
    for (let i = 0; i < toks.length; i++) {
      const id = voc.get(toks[i]);
      if (id !== undefined) hit(id);
    }
    for (const g of wordTermsOf(toks, this.spec).slice(toks.length)) {
      const id = voc.get(g);
      if (id !== undefined) hit(id);
    }
    const nWord = nt;
    const useChar = this.spec.charMin > 0 && this.spec.charWeight !== 0;
    if (useChar) {
      const off = this.wordVocab.size;
      for (const t of toks) {
        const ids = this.charIds(t);
        for (let i = 0; i < ids.length; i++) hit(off + ids[i]);
      }
    }
    const val = new Float32Array(nt);
    this.finish(0, nWord, 1, val);
    if (useChar) this.finish(nWord, nt, this.spec.charWeight, val);
    return { indices: touched.slice(0, nt), values: val };
  }

  /** Transform many texts into a CSR matrix (rows = texts, cols = dim). */
  transformMany(texts: readonly string[]): Csr {
    return csrFromRows(texts.map((t) => this.transform(t)), this.dim);
  }
}
