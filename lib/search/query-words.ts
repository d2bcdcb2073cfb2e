/** Shortest and longest query words that get typo corrections (shorter words are too ambiguous). */
export const CORRECTABLE_MIN = 4;
export const CORRECTABLE_MAX = 40;

/**
 * The words of a web-search query (`websearch_to_tsquery` syntax) that typo tolerance may
 * correct: plain, unquoted, not excluded (`-word`), not the `or` operator, letters only,
 * 4–40 characters, lower-cased, without duplicates. Quoted phrases and exclusions stay exact.
 */
export function correctableWords(q: string): string[] {
  // Drop "quoted phrases" (an unclosed quote runs to the end, as websearch_to_tsquery reads it).
  const unquoted = q.replace(/"[^"]*("|$)/g, " ");
  const out = new Set<string>();
  for (const token of unquoted.split(/\s+/)) {
    if (!token || token.startsWith("-")) continue;
    const w = token.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "").toLowerCase();
    if (w === "or" || w.length < CORRECTABLE_MIN || w.length > CORRECTABLE_MAX || !/^\p{L}+$/u.test(w)) continue;
    out.add(w);
  }
  return [...out];
}
