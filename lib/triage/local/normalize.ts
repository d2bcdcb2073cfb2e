/**
 * Turn raw ticket text (as typed or e-mailed by a user) into the style of the
 * training corpus: lower-case ASCII letters only, single spaces, title before body,
 * quoted replies / URLs / e-mail addresses / digits / punctuation removed, and the
 * corpus' stopwords dropped.
 *
 * How the stopword sets were derived (train.csv, 33,486 rows, see docs/EVALUATION.md):
 * - ALWAYS_DROP: English function words (NLTK list + contraction fragments) that occur
 *   0 times anywhere in the corpus (e.g. "i", "my", "in", "an", "so", "will", "just").
 * - BODY_DROP: words that occur in ticket titles but (almost) never after the first
 *   ~10 tokens, i.e. the upstream pipeline removed them from bodies only
 *   (e.g. "the": 1,302 total / 39 in bodies; "to": 5,933 / 46; "is": 457 / 11).
 * Single letters are absent except "a" in titles; digits never occur.
 */

const ALWAYS_DROP_LIST = [
  "i", "my", "an", "in", "so", "will", "just", "may", "don", "ain", "aren", "couldn", "didn", "doesn",
  "hadn", "hasn", "isn", "ma", "mightn", "mustn", "needn", "shan", "shouldn", "wasn", "weren", "wouldn",
  "im", "ive", "dont", "ok", "fw",
];
const BODY_ONLY_DROP_LIST = [
  "a", "the", "and", "is", "are", "am", "it", "its", "they", "who", "this", "that", "been", "do", "as",
  "of", "at", "to", "from", "on", "all", "no", "not", "now", "us", "me", "cc",
];

/** Words removed from titles and bodies. */
export const ALWAYS_DROP: ReadonlySet<string> = new Set(ALWAYS_DROP_LIST);
/** Words removed from bodies (superset of ALWAYS_DROP). */
export const BODY_DROP: ReadonlySet<string> = new Set([...ALWAYS_DROP_LIST, ...BODY_ONLY_DROP_LIST]);

const URL_RE = /\b(?:https?:\/\/|ftp:\/\/|www\.)\S+/gi;
const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const QUOTE_HEADER_RE = /^\s*on\s.{0,200}\bwrote:?\s*$/i;
const ORIGINAL_MSG_RE = /^\s*-{2,}\s*(original message|forwarded message)\s*-{2,}\s*$/i;
const CLOSING_RE = /^\s*(best regards|kind regards|warm regards|regards|best wishes|best|thanks|thank you|many thanks|thanks a lot|thanks in advance|cheers|sincerely|yours sincerely|br)\s*[,.!]*\s*(.*)$/i;
const INLINE_CLOSING_RE = /\b([Rr]egards|REGARDS|[Tt]hanks|THANKS|[Tt]hank you|[Cc]heers|[Bb]est|[Ss]incerely)\s*[,.!]?\s+(?:[A-Z][\p{L}'-]*\.?)(?:\s+[A-Z][\p{L}'-]*\.?){0,2}\s*$/u;
const SIG_DASHES_RE = /^\s*--\s*$/;

/** Strip e-mail reply quoting: "On ... wrote:" headers, "> ..." lines, "-- Original Message --" blocks. */
function stripQuotes(text: string): string[] {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (ORIGINAL_MSG_RE.test(line)) break; // everything below is the quoted original
    if (QUOTE_HEADER_RE.test(line)) {
      i++;
      continue;
    }
    // header split over two lines: "On Mon, 3 Jun 2024 at 10:02, John Doe <j@x.com>" / "wrote:"
    if (/^\s*on\s/i.test(line) && i + 1 < lines.length && /^\s*wrote:?\s*$/i.test(lines[i + 1]) ) {
      i += 2;
      continue;
    }
    if (/^\s*>/.test(line)) {
      i++;
      continue;
    }
    if (SIG_DASHES_RE.test(line)) break; // conventional signature delimiter
    out.push(line);
    i++;
  }
  return out;
}

/**
 * Drop the personal name that follows a closing formula ("Best regards,\nJohn Smith"
 * or "Thanks, John"), keeping the closing words and any later lines (job titles are
 * part of the corpus style: "senior engineer", "analyst ext").
 */
function stripSignatureNames(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = CLOSING_RE.exec(lines[i]);
    if (!m) {
      // closing at the end of a line: "... Thanks, Maria" -> "... Thanks"
      out.push(lines[i].replace(INLINE_CLOSING_RE, "$1"));
      continue;
    }
    const rest = m[2].trim();
    // "Thanks, John" / "Regards John Smith": drop trailing capitalised name tokens
    out.push(m[1] + (rest && !/^([A-Z][\p{L}'-]*\.?\s*){1,3}$/u.test(rest) ? " " + rest : ""));
    // the next non-empty line, if it is 1-3 capitalised words, is a name
    let j = i + 1;
    while (j < lines.length && !lines[j].trim()) j++;
    if (j < lines.length && /^\s*([A-Z][\p{L}'-]*\.?\s*){1,3}$/u.test(lines[j])) i = j;
  }
  return out;
}

/** Lower-case, strip accents / URLs / e-mails / digits / punctuation, tokenise, drop stopwords. */
function cleanTokens(text: string, drop: ReadonlySet<string>, keepA: boolean): string[] {
  const t = text
    .replace(URL_RE, " ")
    .replace(EMAIL_RE, " ")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, " ");
  const out: string[] = [];
  for (const w of t.split(" ")) {
    if (!w) continue;
    if (w.length === 1 && !(keepA && w === "a")) continue;
    if (drop.has(w)) continue;
    out.push(w);
  }
  return out;
}

/**
 * Normalise a raw ticket into the training-corpus style.
 * @param input.title optional subject line (light cleaning: only ALWAYS_DROP words removed, as in the corpus)
 * @param input.description body text (quoted replies, signatures' names, URLs, e-mails removed; BODY_DROP applied)
 * Text that is already in corpus style (only lower-case a-z and whitespace, no title) is
 * returned with whitespace collapsed, so normalizeTicketText is idempotent.
 * @returns space-separated lower-case tokens ("" if nothing usable remains). Never throws.
 */
export function normalizeTicketText(input: { title?: string; description: string }): string {
  // Already in corpus style (only a-z and spaces, no separate title): keep as is. This makes
  // the function idempotent and leaves dataset rows (whose title part still holds words such as
  // "the"/"to" that bodies lack) untouched.
  const desc = input.description ?? "";
  if (!input.title?.trim() && /^[a-z ]*$/.test(desc.trim().replace(/\s+/g, " "))) {
    return desc.trim().replace(/\s+/g, " ");
  }
  const title = cleanTokens(input.title ?? "", ALWAYS_DROP, true);
  const bodyLines = stripSignatureNames(stripQuotes(input.description ?? ""));
  const body = cleanTokens(bodyLines.join("\n"), BODY_DROP, false);
  return [...title, ...body].join(" ");
}
