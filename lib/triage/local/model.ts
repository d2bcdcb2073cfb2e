/**
 * The local ticket-category model: an ensemble of linear classifiers on TF-IDF
 * word + char n-grams, temperature-calibrated, plus a correction memory and an
 * LSA embedding. See docs/EVALUATION.md for the design and measured numbers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { env } from "@/lib/env";
import { Featurizer, tokenize, type FeatureSpec } from "./features";
import { linearScores, type LinearModel } from "./linear";
import { DEFAULT_OOD_BETA, oodTemperatureFactor, unknownShare } from "./ood";
import { CorrectionMemory, type MemoryHit, type TermSource } from "./memory";
import { readContainer, writeContainer, type SectionData } from "./binary";
import type { SparseVec } from "./sparse";

/** One labelled example (normalised text + category slug). */
export interface LabelledText {
  text: string;
  label: string;
}

/** The local model's raw prediction for one ticket (label slug + full distribution; the triage `CategoryPrediction` in ../types adds provenance). */
export interface LocalModelPrediction {
  /** top-1 category slug */
  label: string;
  /** calibrated probability of `label`, in [0, 1] */
  confidence: number;
  /** every known category with its probability, sorted descending; sums to 1 */
  scores: { label: string; p: number }[];
}

/** Parameters of the correction-memory blend (see docs/EVALUATION.md). */
export interface MemoryBlend {
  /** kernel bandwidth: a neighbour at cosine s weighs exp(-(1-s)/h) */
  h: number;
  /** evidence scale for categories the base model knows: q(c) = p(c) + sum k(s)/betaKnown */
  betaKnown: number;
  /** evidence scale for categories only seen in corrections */
  betaNew: number;
  /** neighbours below this cosine are ignored */
  minSim: number;
  /** max neighbours */
  k: number;
  /**
   * Prototype evidence for categories only seen in corrections/examples: the cosine s of the
   * ticket to the category's prototype (mean of its examples; see protoLsa) adds
   * exp(-(1-s)/protoH)/protoBeta. protoBeta 0 disables it.
   */
  protoH?: number;
  protoBeta?: number;
  /** weight of the LSA-embedding prototype cosine vs the TF-IDF one, in [0, 1] */
  protoLsa?: number;
  /**
   * Prototype evidence for categories the trained model knows, from the desk's corrections:
   * each such category with at least protoKnownMin corrections gets a prototype (the mean LSA
   * embedding of its corrected tickets); the one nearest the ticket, at cosine s, adds
   * exp(-(1-s)/protoKnownH)/protoKnownBeta. This is how a desk whose agents mean something
   * else by a category than the training data does (docs/EVALUATION.md) pulls the model
   * towards its meaning. protoKnownBeta 0 disables it.
   */
  protoKnownH?: number;
  protoKnownBeta?: number;
  protoKnownMin?: number;
}

/** Defaults; the prototype terms were tuned leave-one-class-out (docs/EVALUATION.md, issue #13 §4). */
export const DEFAULT_MEMORY_BLEND: MemoryBlend = {
  h: 0.15,
  betaKnown: 0.3,
  betaNew: 0.01,
  minSim: 0.2,
  k: 10,
  protoH: 0.15,
  protoBeta: 0.01,
  protoLsa: 0.3,
  protoKnownH: 0.15,
  protoKnownBeta: 0.1,
  protoKnownMin: 3,
};

/** A linear component of the ensemble. */
export interface Component {
  name: string;
  model: LinearModel;
  /** temperature applied to the raw scores before log-softmax */
  temperature: number;
}

/** LSA projection for embeddings. */
export interface Embedder {
  /** base word-vocabulary ids of the unigram terms used (row r of components <-> termIds[r]) */
  termIds: Int32Array;
  /** termIds.length x dim row-major */
  components: Float32Array;
  dim: number;
}

export interface ModelMeta {
  format: 1;
  labels: string[];
  featureSpec: FeatureSpec;
  components: { name: string; temperature: number; dim: number }[];
  finalTemperature: number;
  memory: MemoryBlend;
  embedDim: number;
  info: Record<string, unknown>;
}

function logSoftmaxInto(z: Float64Array, T: number, out: Float64Array): void {
  let mx = -Infinity;
  for (let k = 0; k < z.length; k++) mx = Math.max(mx, z[k] / T);
  let s = 0;
  for (let k = 0; k < z.length; k++) s += Math.exp(z[k] / T - mx);
  const ls = mx + Math.log(s);
  for (let k = 0; k < z.length; k++) out[k] = z[k] / T - ls;
}

/** Per label with at least `minCount` vectors: their sum, L2-normalised (the cosine prototype). */
function centroidsOf(items: Iterable<{ label: string; v: Float32Array }>, minCount: number): Map<string, Float64Array> {
  const sums = new Map<string, { acc: Float64Array; n: number }>();
  for (const { label, v } of items) {
    let s = sums.get(label);
    if (!s) sums.set(label, (s = { acc: new Float64Array(v.length), n: 0 }));
    for (let c = 0; c < v.length; c++) s.acc[c] += v[c];
    s.n++;
  }
  const out = new Map<string, Float64Array>();
  for (const [label, { acc, n }] of sums) {
    if (n < minCount) continue;
    const norm = Math.sqrt(acc.reduce((a, x) => a + x * x, 0));
    if (norm === 0) continue;
    out.set(label, acc.map((x) => x / norm));
  }
  return out;
}

/** In-memory model. Create with {@link loadLocalModel} or trainLocalModel (./train). */
export class LocalCategoryModel {
  readonly featurizer: Featurizer;
  readonly components: Component[];
  /** base (trained) category slugs, in class-index order */
  readonly baseLabels: readonly string[];
  finalTemperature: number;
  /** Slope of the out-of-distribution temperature shrink (./ood.ts); 0 disables it. */
  oodBeta: number = DEFAULT_OOD_BETA;
  readonly memoryBlend: MemoryBlend;
  readonly embedder: Embedder;
  readonly info: Record<string, unknown>;
  private memory: CorrectionMemory;
  private readonly embedRow: Map<number, number>;
  private readonly zbuf: Float64Array;
  private readonly lbuf: Float64Array;

  constructor(args: {
    featurizer: Featurizer;
    components: Component[];
    labels: readonly string[];
    finalTemperature: number;
    memoryBlend?: MemoryBlend;
    embedder: Embedder;
    info?: Record<string, unknown>;
  }) {
    this.featurizer = args.featurizer;
    this.components = args.components;
    this.baseLabels = [...args.labels];
    this.finalTemperature = args.finalTemperature;
    this.memoryBlend = { ...DEFAULT_MEMORY_BLEND, ...args.memoryBlend };
    this.embedder = args.embedder;
    this.info = args.info ?? {};
    this.memory = this.newMemory();
    this.embedRow = new Map(Array.from(args.embedder.termIds, (id, r) => [id, r]));
    this.zbuf = new Float64Array(this.baseLabels.length);
    this.lbuf = new Float64Array(this.baseLabels.length);
  }

  private newMemory(): CorrectionMemory {
    const fz = this.featurizer;
    let maxIdf = 1;
    for (let j = 0; j < fz.wordDim; j++) maxIdf = Math.max(maxIdf, fz.idf[j]);
    const src: TermSource = {
      termId: (t) => fz.wordVocab.get(t),
      idfOf: (id) => fz.idf[id],
      baseTerms: fz.wordDim,
      unseenIdf: maxIdf,
    };
    return new CorrectionMemory(src, { minSim: this.memoryBlend.minSim, k: this.memoryBlend.k });
  }

  /** All category slugs the model can output: trained ones first, then ones learned from corrections. */
  get labels(): string[] {
    const extra = this.memory.labels().filter((l) => !this.baseLabels.includes(l));
    return [...this.baseLabels, ...extra];
  }

  /** Number of corrections currently held in memory. */
  get memorySize(): number {
    return this.memory.size;
  }

  /**
   * Calibrated base-model logits (log-probabilities up to a constant) for a featurised text,
   * i.e. before the correction memory. Length = baseLabels.length.
   */
  baseLogits(x: SparseVec): Float64Array {
    const K = this.baseLabels.length;
    const z = new Float64Array(K);
    for (const c of this.components) {
      linearScores(c.model, x, this.zbuf);
      logSoftmaxInto(this.zbuf, c.temperature, this.lbuf);
      for (let k = 0; k < K; k++) z[k] += this.lbuf[k] / this.components.length;
    }
    return z;
  }

  /** Base-model probabilities (no memory) of a normalised text; length baseLabels.length. */
  baseProbabilities(normalizedText: string): Float64Array {
    const z = this.baseLogits(this.featurizer.transform(normalizedText));
    const p = new Float64Array(z.length);
    // Words the model cannot read widen the distribution (./ood.ts): T · (1 + β · unknown share).
    const t = this.finalTemperature * oodTemperatureFactor(unknownShare(this.featurizer, normalizedText), this.oodBeta);
    logSoftmaxInto(z, t, p);
    for (let k = 0; k < p.length; k++) p[k] = Math.exp(p[k]);
    return p;
  }

  /**
   * Classify one ticket.
   * @param normalizedText output of normalizeTicketText (training-corpus style); "" is allowed
   *   (returns the class prior of the ensemble's bias terms).
   * @returns top label, its calibrated probability and the full sorted distribution.
   */
  predict(normalizedText: string): LocalModelPrediction {
    const base = this.baseProbabilities(normalizedText);
    const probs = new Map<string, number>();
    this.baseLabels.forEach((l, k) => probs.set(l, base[k]));
    const hits = this.memory.query(normalizedText);
    if (hits.length > 0) this.blendMemory(probs, hits);
    // The LSA embedding both prototype kinds compare with: computed once, only when one needs it.
    let embedding: Float32Array | undefined;
    const embedded = (): Float32Array => (embedding ??= this.embed(normalizedText));
    if (this.memory.size > 0) this.blendPrototypes(probs, normalizedText, embedded);
    if (this.knownLabelEmbeds.size > 0) this.blendKnownPrototypes(probs, embedded);
    let total = 0;
    for (const v of probs.values()) total += v;
    const scores = Array.from(probs, ([label, p]) => ({ label, p: p / total })).sort((a, b) => b.p - a.p);
    return { label: scores[0].label, confidence: scores[0].p, scores };
  }

  private blendMemory(probs: Map<string, number>, hits: MemoryHit[]): void {
    const { h, betaKnown, betaNew } = this.memoryBlend;
    for (const hit of hits) {
      const known = this.baseLabels.includes(hit.label);
      const ev = Math.exp(-(1 - hit.sim) / h) / (known ? betaKnown : betaNew);
      probs.set(hit.label, (probs.get(hit.label) ?? 0) + ev);
    }
  }

  /** Prototype evidence for labels the trained ensemble lacks (see MemoryBlend.protoH). */
  private blendPrototypes(probs: Map<string, number>, normalizedText: string, embedded: () => Float32Array): void {
    const { protoH = 0.1, protoBeta = 0, protoLsa = 0 } = this.memoryBlend;
    if (!(protoBeta > 0)) return;
    const isNew = (l: string): boolean => !this.baseLabels.includes(l);
    const tf = this.memory.prototypeSims(normalizedText, isNew);
    const lsa = protoLsa > 0 ? this.lsaPrototypeSims(embedded) : new Map<string, number>();
    for (const label of new Set([...tf.keys(), ...lsa.keys()])) {
      const sim = (1 - protoLsa) * (tf.get(label) ?? 0) + protoLsa * Math.max(0, lsa.get(label) ?? 0);
      probs.set(label, (probs.get(label) ?? 0) + Math.exp(-(1 - sim) / protoH) / protoBeta);
    }
  }

  /** Evidence of the desk's prototype nearest the ticket, among trained labels (see MemoryBlend.protoKnownH). */
  private blendKnownPrototypes(probs: Map<string, number>, embedded: () => Float32Array): void {
    const { protoKnownH = 0.15, protoKnownBeta = 0, protoKnownMin = 3 } = this.memoryBlend;
    if (!(protoKnownBeta > 0)) return;
    this.knownProtoCache ??= centroidsOf(this.knownLabelEmbeds.values(), protoKnownMin);
    if (this.knownProtoCache.size === 0) return;
    const q = embedded();
    let best: string | null = null;
    let bestSim = -Infinity;
    for (const [label, proto] of this.knownProtoCache) {
      let s = 0;
      for (let c = 0; c < q.length; c++) s += q[c] * proto[c];
      if (s > bestSim) [best, bestSim] = [label, s];
    }
    if (best === null || !(bestSim > 0)) return;
    probs.set(best, (probs.get(best) ?? 0) + Math.exp(-(1 - bestSim) / protoKnownH) / protoKnownBeta);
  }

  /** LSA embeddings of the examples of labels the trained ensemble lacks, keyed by text like the memory. */
  private newLabelEmbeds = new Map<string, { label: string; v: Float32Array }>();
  private lsaProtoCache: Map<string, Float64Array> | null = null;
  /** LSA embeddings of the corrections into trained labels, keyed by text (latest label wins). */
  private knownLabelEmbeds = new Map<string, { label: string; v: Float32Array }>();
  private knownProtoCache: Map<string, Float64Array> | null = null;

  private lsaPrototypeSims(embedded: () => Float32Array): Map<string, number> {
    this.lsaProtoCache ??= centroidsOf(this.newLabelEmbeds.values(), 1);
    const out = new Map<string, number>();
    if (this.lsaProtoCache.size === 0) return out;
    const q = embedded();
    for (const [label, proto] of this.lsaProtoCache) {
      let s = 0;
      for (let c = 0; c < q.length; c++) s += q[c] * proto[c];
      out.set(label, s);
    }
    return out;
  }

  private rememberEmbedding(text: string, label: string): void {
    const key = text.trim();
    if (this.baseLabels.includes(label)) {
      if (this.newLabelEmbeds.delete(key)) this.lsaProtoCache = null;
      if ((this.memoryBlend.protoKnownBeta ?? 0) > 0) {
        this.knownLabelEmbeds.set(key, { label, v: this.embed(key) });
        this.knownProtoCache = null;
      }
      return;
    }
    if (this.knownLabelEmbeds.delete(key)) this.knownProtoCache = null;
    if ((this.memoryBlend.protoLsa ?? 0) <= 0) return;
    this.newLabelEmbeds.set(key, { label, v: this.embed(key) });
    this.lsaProtoCache = null;
  }

  /**
   * Learn from labelled corrections (normalised text + category slug, possibly a slug the
   * model has never seen). Updates only the in-memory correction store: O(tokens) per
   * example, no retraining; the base ensemble is unchanged. Re-learning the same text
   * overrides its earlier label.
   * @throws Error if an example has an empty label.
   */
  learn(examples: readonly LabelledText[]): void {
    for (const ex of examples) {
      const label = ex.label.trim();
      if (!label) throw new Error("learn: empty label");
      if (tokenize(ex.text).length === 0) continue;
      this.memory.add(ex.text, label);
      this.rememberEmbedding(ex.text, label);
    }
  }

  /**
   * Teach a category's description (normalised text) as a weak example of `label`: a new
   * category's admin-written description helps before any example exists. Re-teaching replaces it.
   * @throws Error if the label is empty.
   */
  learnDescription(label: string, normalizedDescription: string): void {
    const l = label.trim();
    if (!l) throw new Error("learnDescription: empty label");
    if (tokenize(normalizedDescription).length === 0) return;
    this.memory.add(normalizedDescription, l);
    this.rememberEmbedding(normalizedDescription, l);
  }

  /** Forget every learned correction (back to the trained state). */
  resetCorrections(): void {
    this.memory = this.newMemory();
    this.newLabelEmbeds = new Map();
    this.lsaProtoCache = null;
    this.knownLabelEmbeds = new Map();
    this.knownProtoCache = null;
  }

  /**
   * Dense "similar tickets" embedding: LSA (truncated SVD) projection of the text's
   * unigram TF-IDF vector, L2-normalised. Compare with cosine (= dot product).
   * @returns Float32Array of length embedDim (all zeros if no known word).
   */
  embed(normalizedText: string): Float32Array {
    const { dim, components } = this.embedder;
    const out = new Float32Array(dim);
    const fz = this.featurizer;
    const counts = new Map<number, number>();
    for (const t of tokenize(normalizedText)) {
      const id = fz.wordVocab.get(t);
      if (id === undefined) continue;
      const r = this.embedRow.get(id);
      if (r !== undefined) counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    let ss = 0;
    const rows: number[] = [];
    const vals: number[] = [];
    for (const [r, c] of counts) {
      const v = (1 + Math.log(c)) * fz.idf[this.embedder.termIds[r]];
      rows.push(r);
      vals.push(v);
      ss += v * v;
    }
    if (ss === 0) return out;
    const inv = 1 / Math.sqrt(ss);
    for (let t = 0; t < rows.length; t++) {
      const o = rows[t] * dim;
      const v = vals[t] * inv;
      for (let c = 0; c < dim; c++) out[c] += v * components[o + c];
    }
    let n = 0;
    for (let c = 0; c < dim; c++) n += out[c] * out[c];
    if (n > 0) {
      const s = 1 / Math.sqrt(n);
      for (let c = 0; c < dim; c++) out[c] *= s;
    }
    return out;
  }

  /** Serialise the trained state (not the correction memory) to the binary artifact format. */
  serialize(): Uint8Array {
    const fz = this.featurizer;
    const meta: ModelMeta = {
      format: 1,
      labels: [...this.baseLabels],
      featureSpec: fz.spec,
      components: this.components.map((c) => ({ name: c.name, temperature: c.temperature, dim: c.model.dim })),
      finalTemperature: this.finalTemperature,
      memory: this.memoryBlend,
      embedDim: this.embedder.dim,
      info: this.info,
    };
    const sections: Record<string, SectionData> = {
      wordTerms: { dtype: "text", data: fz.wordTerms().join("\n") },
      charTerms: { dtype: "text", data: fz.charTerms().join("\n") },
      idf: { dtype: "f16", data: fz.idf },
      embedTerms: { dtype: "i32", data: this.embedder.termIds },
      embedComponents: { dtype: "f16", data: this.embedder.components },
    };
    for (const c of this.components) sections[`w:${c.name}`] = { dtype: "f16", data: c.model.weights };
    return writeContainer(meta, sections);
  }

  /**
   * Rebuild a model from artifact bytes.
   * @throws Error if the bytes are not a valid artifact.
   */
  static deserialize(bytes: Uint8Array): LocalCategoryModel {
    const c = readContainer(bytes);
    const meta = c.meta as ModelMeta;
    if (!meta || meta.format !== 1) throw new Error("model artifact: unsupported format");
    const split = (s: string): string[] => (s.length ? s.split("\n") : []);
    const fz = new Featurizer(meta.featureSpec, split(c.text("wordTerms")), split(c.text("charTerms")), c.f32("idf"));
    const K = meta.labels.length;
    const components: Component[] = meta.components.map((m) => ({
      name: m.name,
      temperature: m.temperature,
      model: { dim: m.dim, classes: K, weights: c.f32(`w:${m.name}`) },
    }));
    return new LocalCategoryModel({
      featurizer: fz,
      components,
      labels: meta.labels,
      finalTemperature: meta.finalTemperature,
      memoryBlend: meta.memory,
      embedder: { termIds: Int32Array.from(c.i32("embedTerms")), components: c.f32("embedComponents"), dim: meta.embedDim },
      info: meta.info,
    });
  }
}

/** Default artifact location: <cwd>/lib/triage/local/artifacts/category-model.bin (override: env SWITCHBOARD_LOCAL_MODEL). */
export function defaultModelPath(): string {
  return env().SWITCHBOARD_LOCAL_MODEL ?? join(process.cwd(), "lib", "triage", "local", "artifacts", "category-model.bin");
}

/**
 * Load the trained model synchronously (~0.3 s for the shipped artifact).
 * Call once per process and keep the instance (e.g. on globalThis).
 * @param path artifact path; defaults to {@link defaultModelPath}.
 * @throws Error if the file is missing or not a valid artifact.
 */
export function loadLocalModel(path?: string): LocalCategoryModel {
  const p = path ?? defaultModelPath();
  let bytes: Buffer;
  try {
    bytes = readFileSync(p);
  } catch (e) {
    throw new Error(`loadLocalModel: cannot read ${p} (run \`npm run train\`?): ${(e as Error).message}`);
  }
  return LocalCategoryModel.deserialize(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
