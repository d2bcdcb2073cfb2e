/*
 * Typo tolerance for the command grammar: a Damerau–Levenshtein distance (optimal string
 * alignment: insert, delete, substitute, swap two neighbours) and a corrector that rewrites
 * misspelt status/priority words to the grammar's canonical words before the phrase rules run.
 */

/** Optimal-string-alignment distance between `a` and `b` (each edit, including a swap of two neighbours, costs 1). */
export function damerauLevenshtein(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Edits allowed for a word: 1 for words of at most 5 letters, 2 for longer ones. */
export function allowedEdits(word: string): number {
  return word.length <= 5 ? 1 : 2;
}

/** Canonical vocabulary that misspellings are corrected to (status, priority, queue words). */
const CANONICAL = [
  "progress", "waiting", "pending", "resolved", "solved", "closed", "fixed", "unsolved", "unresolved",
  "critical", "urgent", "emergency", "important", "medium", "normal", "minor", "high", "priority",
  "requester", "vendor", "supplier", "unassigned", "breached", "breaches", "review", "tickets", "status", "category",
];

/** Real words that look like typos of the vocabulary and must stay as written. */
const PROTECTED = new Set([
  "ticket", "inprogress", "assign", "assigned", "assignee", "close", "closes", "closing", "resolve", "solve", "review", "reviewed",
  "this", "that", "with", "from", "have", "what", "when", "where", "about", "there", "their", "these", "those",
  "week", "weeks", "month", "months", "today", "days", "hours", "last", "past", "since", "team", "teams", "mine",
  "none", "nobody", "sorted", "order", "first", "show", "list", "find", "search", "count", "many", "much", "created",
  "opened", "raised", "filed", "logged", "every", "needing", "needs", "need", "wait", "waits", "waited", "open",
  "update", "change", "move", "mark", "take", "create", "reopen", "note", "notes", "reply", "comment", "minute",
  "minutes", "vendors", "status", "states", "state", "stats", "hight", "night", "right", "light", "might", "sight",
  "medical", "memo", "normally", "progressed", "processes", "process", "prior", "closet", "closer", "solver",
]);

/**
 * Rewrites misspelt vocabulary words ("in progres", "wating", "resovled", "closd", "hihg",
 * "urgnet", "critcal") to their canonical spelling. Only words of 4+ letters that are not
 * themselves known words (vocabulary, {@link PROTECTED}, or `keep`, e.g. category names) are
 * touched, and only when exactly one canonical word is closest within {@link allowedEdits}.
 */
export function correctTypos(text: string, keep: ReadonlySet<string> = new Set()): string {
  return text.replace(/[A-Za-z]{4,}/g, (word) => {
    const w = word.toLowerCase();
    if (CANONICAL.includes(w) || PROTECTED.has(w) || keep.has(w)) return word;
    let best: string | null = null;
    let bestD = Infinity;
    let tie = false;
    for (const c of CANONICAL) {
      const dist = damerauLevenshtein(w, c);
      if (dist > allowedEdits(c) || dist > allowedEdits(w)) continue;
      if (dist < bestD) [best, bestD, tie] = [c, dist, false];
      else if (dist === bestD) tie = true;
    }
    return best && !tie ? best : word;
  });
}
