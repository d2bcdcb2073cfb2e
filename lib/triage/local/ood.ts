/**
 * Out-of-distribution confidence shrink for the local model.
 *
 * The training corpus was pre-processed and anonymised: product names, many domain words and
 * jargon ("vpn", "mfa", "erp", "payslip", "timesheet", "adobe", …) never occur in it, so the
 * model cannot read them and answers from the remaining, often generic, words — with the
 * confidence it would have on a corpus ticket. Raw tickets are full of such words.
 *
 * The signal is the ticket's *unknown share*: the idf-weighted share of its tokens that are
 * not in the model's word vocabulary (an unknown word weighs the largest idf, as the rarest
 * term would). The ensemble's final temperature is multiplied by `1 + beta · unknownShare`,
 * so a ticket the model can read fully keeps its calibrated confidence, and one whose words
 * are mostly unknown tends to the uniform distribution (garbage text: about 1/8).
 *
 * `beta` is fitted by `npm run fit:ood` (scripts/fit-ood.mts): the value minimising the
 * negative log-likelihood on raw, hand-written tickets that are neither evaluation set
 * (see docs/EVALUATION.md "Confidence on raw text").
 */

/** Temperature multiplier slope per unit of unknown share (fitted; see the module comment). */
export const DEFAULT_OOD_BETA = 5;

/** What the model needs to measure unknown share: its word vocabulary and idf. */
export interface VocabularyView {
  wordVocab: ReadonlyMap<string, number>;
  idf: Float32Array;
  wordDim: number;
}

const maxIdfCache = new WeakMap<object, number>();

/** Largest idf of the word block (the weight of an unknown word). */
export function maxWordIdf(v: VocabularyView): number {
  let m = maxIdfCache.get(v);
  if (m === undefined) {
    m = 1;
    for (let j = 0; j < v.wordDim; j++) if (v.idf[j] > m) m = v.idf[j];
    maxIdfCache.set(v, m);
  }
  return m;
}

/**
 * idf-weighted share of a normalised text's word tokens that the model does not know, in [0, 1].
 * "" (no tokens) → 1: there is nothing the model can read.
 */
export function unknownShare(v: VocabularyView, normalizedText: string): number {
  const unk = maxWordIdf(v);
  let all = 0;
  let unknown = 0;
  for (const t of normalizedText.split(" ")) {
    if (!t) continue;
    const id = v.wordVocab.get(t);
    if (id === undefined) {
      all += unk;
      unknown += unk;
    } else all += v.idf[id];
  }
  return all > 0 ? unknown / all : 1;
}

/** Temperature multiplier for a ticket with the given unknown share. */
export function oodTemperatureFactor(share: number, beta: number = DEFAULT_OOD_BETA): number {
  return 1 + beta * Math.min(1, Math.max(0, share));
}
