import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { editDistance } from "./edit-distance";

/** A word known to fewer tickets than this is "rare": it is searched with its corrections too. */
export const RARE_DOCS = 3;
/** Corrections kept per word. */
export const MAX_CORRECTIONS = 3;
/** Trigram candidates (pg_trgm `%`, similarity ≥ 0.3) examined per word. */
const CANDIDATES = 12;

/** Most edits a correction may be away: 1 for words of up to 5 letters, else 2. */
export const maxEdits = (word: string) => (word.length <= 5 ? 1 : 2);

/**
 * Typo corrections for query words, from the search vocabulary (`search_terms`, maintained by
 * a trigger on tickets; migration 0012). A word gets corrections when it is absent from the
 * vocabulary or rare (fewer than {@link RARE_DOCS} tickets). Candidates come from the trigram
 * index (`term % word`, pg_trgm's default similarity threshold 0.3); a candidate is kept when
 * it is within {@link maxEdits} edits (adjacent swaps count one) and known to more tickets than
 * the word itself. Best first: fewest edits, then trigram similarity, then ticket count; at
 * most {@link MAX_CORRECTIONS} per word.
 * @param words lower-case letter-only words (see correctableWords).
 * @returns word → its corrections; words without any are absent.
 */
export async function findCorrections(db: DbOrTx, words: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (words.length === 0) return out;
  // Words are letters only, so a space-joined list is an unambiguous array literal.
  const list = words.join(" ");
  const known = await rows<{ term: string; docs: number }>(
    db,
    sql`SELECT term, doc_count AS docs FROM search_terms WHERE term = ANY (string_to_array(${list}, ' '))`,
  );
  const docsOf = new Map(known.map((k) => [k.term, Number(k.docs)]));
  const rare = words.filter((w) => (docsOf.get(w) ?? 0) < RARE_DOCS);
  if (rare.length === 0) return out;
  const candidates = await rows<{ word: string; term: string; docs: number; sim: number }>(
    db,
    sql`SELECT q.w AS word, c.term, c.doc_count AS docs, c.sim
        FROM unnest(string_to_array(${rare.join(" ")}, ' ')) AS q(w)
        CROSS JOIN LATERAL (
          SELECT term, doc_count, similarity(term, q.w) AS sim FROM search_terms
          WHERE term % q.w AND term <> q.w
          ORDER BY sim DESC, doc_count DESC LIMIT ${CANDIDATES}) c`,
  );
  for (const w of rare) {
    const own = docsOf.get(w) ?? 0;
    const best = candidates
      .filter((c) => c.word === w && Number(c.docs) > own)
      .map((c) => ({ term: c.term, edits: editDistance(w, c.term, maxEdits(w)), sim: Number(c.sim), docs: Number(c.docs) }))
      .filter((c) => c.edits <= maxEdits(w))
      .sort((a, b) => a.edits - b.edits || b.sim - a.sim || b.docs - a.docs)
      .slice(0, MAX_CORRECTIONS)
      .map((c) => c.term);
    if (best.length > 0) out.set(w, best);
  }
  return out;
}
