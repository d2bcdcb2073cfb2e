/*
 * Guards for admin-written regular expressions that run over every cell of uploaded sheets.
 * JavaScript's RegExp backtracks, so a pattern such as `(a+)+$` takes exponential time on a
 * cell like "aaaa…!" (catastrophic backtracking, "ReDoS"). Three layers:
 *
 * 1. Static check when the rule is saved ({@link checkRegexSafety}): the pattern must compile,
 *    have at most {@link MAX_REGEX_LENGTH} characters, use no back-references, and have no
 *    repeated group that itself holds an unbounded quantifier (`(a+)+`, `(\d*){2,}`), no
 *    unbounded repetition of a variable one (`(\d{1,3})+`), and no repeated group whose
 *    alternatives can start alike (`(a|ab)*`, `(\w|\d)+`).
 * 2. Cells longer than {@link MAX_PATTERN_INPUT} characters are not run through the pattern
 *    (the evaluator reports them as a mismatch), which bounds polynomial cases like `\d+\d+x`.
 * 3. The evaluator stops a pattern rule whose total matching time passes its budget and says so.
 *
 * Pure and dependency-free: runs in the browser (the rule form) and on the server.
 */

/** Longest regular expression source accepted (characters). */
export const MAX_REGEX_LENGTH = 500;
/** Longest cell (characters, after trimming) a pattern is run against. */
export const MAX_PATTERN_INPUT = 1000;

interface Frame {
  /** Holds a quantifier with no upper bound (`*`, `+`, `{n,}`), at any depth. */
  unbounded: boolean;
  /** Holds a quantifier whose minimum and maximum differ (`?`, `{1,3}`, and the unbounded ones), at any depth. */
  variable: boolean;
  /** Holds, at any depth, an alternation whose branches can start with the same character. */
  ambiguousAlt: boolean;
  /** Start of the current alternative in the source, and the alternatives seen so far. */
  altStart: number;
  alts: string[];
}

const newFrame = (altStart: number): Frame => ({ unbounded: false, variable: false, ambiguousAlt: false, altStart, alts: [] });

/** A literal alternative: plain characters and escaped punctuation only. */
const LITERAL = /^(?:[^\\.[\](){}*+?|^$]|\\[^A-Za-z0-9])+$/;

function firstChar(alt: string, ignoreCase: boolean): string {
  const c = alt[0] === "\\" ? alt[1] : alt[0];
  return ignoreCase ? c.toLowerCase() : c;
}

/** True when the branches are literal strings that all start with different characters (no backtracking between them). */
function alternativesDisjoint(alts: string[], ignoreCase: boolean): boolean {
  if (alts.length < 2) return true;
  const firsts = new Set<string>();
  for (const a of alts) {
    if (!LITERAL.test(a)) return false;
    const f = firstChar(a, ignoreCase);
    if (firsts.has(f)) return false;
    firsts.add(f);
  }
  return true;
}

/** Parse a `{n}`, `{n,}` or `{n,m}` quantifier at `i`; null when the brace is a literal. */
function braceQuantifier(src: string, i: number): { min: number; max: number; end: number } | null {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 24));
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
  return { min, max, end: i + m[0].length };
}

/**
 * Why a regular expression is not accepted for a pattern rule, or null when it is.
 * @param source the pattern as the admin wrote it (no slashes).
 * @param flags any of `i`, `u`, `s`.
 * @returns a message for the form / API (e.g. "Nested quantifier: …").
 */
export function checkRegexSafety(source: string, flags = ""): string | null {
  if (source.length > MAX_REGEX_LENGTH) return `A regular expression has at most ${MAX_REGEX_LENGTH} characters`;
  try {
    new RegExp(source, flags);
  } catch (err) {
    return `Not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, "")}`;
  }
  const ignoreCase = flags.includes("i");
  const stack: Frame[] = [newFrame(0)];
  // What the last atom was, for the quantifier that may follow it.
  let last: { kind: "char" } | { kind: "group"; frame: Frame } | null = null;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (c === "\\") {
      const n = source[i + 1] ?? "";
      if (/[1-9]/.test(n) || (n === "k" && source[i + 2] === "<")) {
        return "Back-references (\\1, \\k<name>) are not allowed: they make matching slow on long cells";
      }
      let end = i + 2;
      if (/[pPu]/.test(n) && source[end] === "{") end = source.indexOf("}", end) + 1 || source.length;
      last = { kind: "char" };
      i = end;
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      if (source[j] === "^") j++;
      if (source[j] === "]") j++;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      last = { kind: "char" };
      i = j + 1;
      continue;
    }
    if (c === "(") {
      let j = i + 1;
      if (source[j] === "?") {
        const named = /^\?<([A-Za-z_$][\w$]*)>/.exec(source.slice(j));
        j += named ? named[0].length : source[j + 1] === "<" ? 3 : 2;
      }
      stack.push(newFrame(j));
      last = null;
      i = j;
      continue;
    }
    if (c === ")") {
      const frame = stack.pop()!;
      frame.alts.push(source.slice(frame.altStart, i));
      if (frame.alts.length > 1 && !alternativesDisjoint(frame.alts, ignoreCase)) frame.ambiguousAlt = true;
      const parent = stack[stack.length - 1];
      parent.unbounded ||= frame.unbounded;
      parent.variable ||= frame.variable;
      parent.ambiguousAlt ||= frame.ambiguousAlt;
      last = { kind: "group", frame };
      i++;
      continue;
    }
    if (c === "|") {
      top.alts.push(source.slice(top.altStart, i));
      top.altStart = i + 1;
      last = null;
      i++;
      continue;
    }
    let q: { min: number; max: number; end: number } | null = null;
    if (c === "*") q = { min: 0, max: Infinity, end: i + 1 };
    else if (c === "+") q = { min: 1, max: Infinity, end: i + 1 };
    else if (c === "?") q = { min: 0, max: 1, end: i + 1 };
    else if (c === "{") q = braceQuantifier(source, i);
    if (q && last) {
      const unbounded = q.max === Infinity;
      const repeats = q.max > 1;
      if (last.kind === "group" && repeats) {
        const g = last.frame;
        const where = source.slice(Math.max(0, i - 40), q.end);
        if (g.unbounded || (unbounded && g.variable)) {
          return `Nested quantifier near "${where}": a repeated group must not itself repeat a variable number of times (e.g. (a+)+); it can take exponential time. Repeat the inner part once, e.g. a+ instead of (a+)+`;
        }
        if (g.ambiguousAlt) {
          return `Repeated alternatives near "${where}" can match the same text in several ways (e.g. (a|ab)*); use a character class such as [ab]+ or alternatives that start with different characters`;
        }
      }
      top.unbounded ||= unbounded;
      top.variable ||= q.min !== q.max;
      i = q.end;
      if (source[i] === "?") i++; // lazy
      last = null;
      continue;
    }
    last = { kind: "char" };
    i++;
  }
  return null;
}
