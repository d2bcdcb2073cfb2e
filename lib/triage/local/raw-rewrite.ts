/**
 * Checks for the raw-text evaluation set (data/eval/dev-raw.csv): each row is a dev.csv
 * ticket rewritten into the text people really type. The rewrite is valid for the dataset
 * label when every content word of the pre-processed original survives normalisation of the
 * rewrite (nothing of the original's topic is lost). See data/eval/README.md.
 */
import { BODY_DROP, normalizeTicketText } from "./normalize";

/** One rewritten row compared with its pre-processed original. */
export interface RewriteCheck {
  /** original tokens (minus the normaliser's stopwords) missing from the normalised rewrite */
  missing: string[];
  /** normalised rewrite tokens that the original lacks (greetings, signatures, quoting) */
  added: string[];
  /** whether the rewrite looks typed by a person: capitals and punctuation present, a title */
  raw: boolean;
}

/**
 * Compare a raw rewrite with its pre-processed original text.
 * @param original dev.csv `text` (corpus style)
 * @param rewrite {title, description} as a person would type it
 */
export function checkRewrite(original: string, rewrite: { title: string; description: string }): RewriteCheck {
  const got = new Set(normalizeTicketText(rewrite).split(" ").filter(Boolean));
  const want = new Set(original.split(/\s+/).filter((w) => w && !BODY_DROP.has(w)));
  const missing = [...want].filter((w) => !got.has(w));
  const added = [...got].filter((w) => !want.has(w));
  const text = `${rewrite.title}\n${rewrite.description}`;
  const raw = rewrite.title.trim().length > 0 && /[A-Z]/.test(text) && /[.,!?:;'"()]/.test(rewrite.description);
  return { missing, added, raw };
}
