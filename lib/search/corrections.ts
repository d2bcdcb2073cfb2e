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

/**
 * The strings one adjacent swap or one deleted letter away from `word` ("dsik" → "disk",
 * "resett" → "reset"), at least 3 letters long: the typos trigrams miss in short words.
 */
export function nearVariants(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < word.length - 1; i++) out.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  out.delete(word);
  return [...out].filter((v) => v.length >= 3);
}

/** Most edits a correction may be away: 1 for words of up to 5 letters, else 2. */
export const maxEdits = (word: string) => (word.length <= 5 ? 1 : 2);

/**
 * Typo corrections for query words, from the search vocabulary (`search_terms`, maintained by
 * a trigger on tickets and folded in batches, plus the words not folded yet; migrations 0012,
 * 0017 and 0019, lib/search/vocabulary.ts). A word gets corrections when it is absent from the vocabulary or rare (fewer
 * than {@link RARE_DOCS} tickets). Candidates come from the trigram index (`term % word`,
 * pg_trgm's default similarity threshold 0.3) and, for the swaps and dropped letters trigrams
 * miss, from {@link nearVariants} looked up exactly; a candidate is kept when it is within
 * {@link maxEdits} edits (adjacent swaps count one) and known to more tickets than the word
 * itself. Best first: fewest edits, then trigram similarity, then ticket count; at most
 * {@link MAX_CORRECTIONS} per word.
 * @param words lower-case letter-only words (see correctableWords).
 * @returns word → its corrections; words without any are absent.
 */
export async function findCorrections(db: DbOrTx, words: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (words.length === 0) return out;
  const variants = new Map(words.map((w) => [w, nearVariants(w)]));
  // Words are letters only, so a space-joined list is an unambiguous array literal.
  const list = [...new Set([...words, ...[...variants.values()].flat()])].join(" ");
  // One statement, one snapshot: the vocabulary is `search_terms` plus the words still waiting in
  // `search_terms_pending` (tickets committed since the last fold; a fold moves rows from one to
  // the other in one transaction, so every committed ticket's words are counted exactly once, on
  // every instance, without waiting for or running a fold). The exact lookups (the words and
  // their near variants), then trigram candidates for the words that are unknown or rare (the
  // filter on q runs before the lateral); a candidate's count adds its pending tickets.
  const found = await rows<{ word: string | null; term: string; docs: number; sim: number | null }>(
    db,
    sql`WITH pend AS (SELECT w AS term, count(*)::int AS docs FROM search_terms_pending, unnest(words) AS w GROUP BY w),
        known AS (
          SELECT term, sum(docs)::int AS doc_count FROM (
            SELECT term::text AS term, doc_count AS docs FROM search_terms WHERE term = ANY (string_to_array(${list}, ' '))
            UNION ALL
            SELECT term, docs FROM pend WHERE term = ANY (string_to_array(${list}, ' '))
          ) x GROUP BY term)
        SELECT NULL AS word, term, doc_count AS docs, NULL::real AS sim FROM known
        UNION ALL
        SELECT q.w, c.term, c.docs, c.sim
        FROM unnest(string_to_array(${words.join(" ")}, ' ')) AS q(w)
        CROSS JOIN LATERAL (
          SELECT u.term, sum(u.docs)::int AS docs, max(u.sim) AS sim FROM (
            (SELECT term, doc_count AS docs, similarity(term, q.w) AS sim FROM search_terms
             WHERE term % q.w AND term <> q.w ORDER BY sim DESC, doc_count DESC LIMIT ${CANDIDATES})
            UNION ALL
            SELECT term, docs, similarity(term, q.w) FROM pend WHERE term % q.w AND term <> q.w
          ) u
          GROUP BY u.term ORDER BY sim DESC, docs DESC LIMIT ${CANDIDATES}) c
        WHERE coalesce((SELECT k.doc_count FROM known k WHERE k.term = q.w), 0) < ${RARE_DOCS}`,
  );
  const docsOf = new Map(found.filter((f) => f.word === null).map((k) => [k.term, Number(k.docs)]));
  const candidates = found.filter((f) => f.word !== null);
  const rare = words.filter((w) => (docsOf.get(w) ?? 0) < RARE_DOCS);
  for (const w of rare) {
    const own = docsOf.get(w) ?? 0;
    const near = variants.get(w)!.filter((v) => docsOf.has(v)).map((v) => ({ word: w, term: v, docs: docsOf.get(v)!, sim: 0 }));
    const trigram = candidates.filter((c) => c.word === w);
    const best = [...trigram, ...near.filter((n) => !trigram.some((c) => c.term === n.term))]
      .filter((c) => Number(c.docs) > own)
      .map((c) => ({ term: c.term, edits: editDistance(w, c.term, maxEdits(w)), sim: Number(c.sim), docs: Number(c.docs) }))
      .filter((c) => c.edits <= maxEdits(w))
      .sort((a, b) => a.edits - b.edits || b.sim - a.sim || b.docs - a.docs)
      .slice(0, MAX_CORRECTIONS)
      .map((c) => c.term);
    if (best.length > 0) out.set(w, best);
  }
  return out;
}
