/**
 * GS1 element strings: `(01)09506000134352(21)ABC123(10)LOT1(17)270331` (human-readable form,
 * AIs in parentheses) and the scanned/encoded form `0109506000134352 21ABC123␝10LOT1␝17270331`
 * where an FNC1 (transmitted as ASCII GS, 0x1D) ends every variable-length value that is not
 * last, optionally prefixed by a GS1 symbology identifier (`]d2` DataMatrix, `]Q3` QR, `]C1`
 * GS1-128, `]e0` DataBar, `]J1` DotCode).
 *
 * Sources: GS1 General Specifications section 5.10 (FNC1 as separator / in first position),
 * section 7.8.4–7.8.5 (concatenation; predefined-length AIs need no separator), section 7.11
 * (set 82), section 3 (AI formats).
 *
 * Separator text: spreadsheets and scanner exports often show the invisible GS as text, so the
 * unbracketed parser also accepts `{GS}`, `<GS>`, `[GS]` (any case), `␝` (U+241D) and `^`.
 * `{`, `[`, `^` and `␝` are outside set 82, so they can never be part of a valid value; `<GS>`
 * is made of set-82 characters and is therefore taken as a separator, never as value text.
 */
import { getAi, matchAiAt, predefinedLength, checkAiValue, type AiSpec } from "./ai";
import { isAllDigits } from "./check-digit";

/** One AI and its value as found in a code; `error` is the format problem of the value, or null. */
export interface AiElement {
  ai: string;
  title: string;
  value: string;
  error: string | null;
}

/** Which notation a code was written in. `gtin`: a bare 8/12/13/14-digit number. */
export type Gs1CodeKind = "element_string" | "digital_link" | "epc_uri" | "gtin";

/**
 * The AIs of a code plus the four the serial checks need, as raw text (not validated here:
 * GTIN as written, e.g. 13 digits; expiry as YYMMDD). Null when the AI is absent.
 */
export interface Gs1Data {
  elements: AiElement[];
  gtin: string | null;
  serial: string | null;
  lot: string | null;
  expiry: string | null;
}

/** Result of parsing a GS1 code: its data, or a message saying where and why it could not be read. */
export type Gs1ParseResult = ({ ok: true; kind: Gs1CodeKind } & Gs1Data) | { ok: false; kind: Gs1CodeKind; message: string };

/** GS1 symbology identifiers (ISO/IEC 15424) that announce GS1 data. */
export const GS1_SYMBOLOGY_IDS: ReadonlySet<string> = new Set(["]d2", "]Q3", "]C1", "]e0", "]J1"]);

const GS = "\u001d";
const SEPARATOR_TEXT = /\{GS\}|<GS>|\[GS\]|\u241D|\^/gi;
const HAS_SEPARATOR_TEXT = /[{<[\u241D^]/;

/**
 * Builds {@link Gs1Data} from parsed elements: picks AI 01, 21, 10, 17; an AI given twice with
 * different values is an error (message), the same value twice is kept once.
 */
export function toGs1Data(elements: AiElement[], kind: Gs1CodeKind): Gs1ParseResult {
  let gtin: string | null = null;
  let serial: string | null = null;
  let lot: string | null = null;
  let expiry: string | null = null;
  const seen = new Map<string, string>();
  const unique: AiElement[] = [];
  for (const e of elements) {
    const prev = seen.get(e.ai);
    if (prev !== undefined) {
      if (prev !== e.value) return { ok: false, kind, message: `AI (${e.ai}) appears twice with different values ("${prev}", "${e.value}")` };
      continue;
    }
    seen.set(e.ai, e.value);
    unique.push(e);
    if (e.ai === "01") gtin = e.value;
    else if (e.ai === "21") serial = e.value;
    else if (e.ai === "10") lot = e.value;
    else if (e.ai === "17") expiry = e.value;
  }
  return { ok: true, kind, elements: unique, gtin, serial, lot, expiry };
}

function element(spec: AiSpec, value: string, today?: Date): AiElement {
  return { ai: spec.ai, title: spec.title, value, error: checkAiValue(spec, value, today) };
}

/** True when `(` at `k` opens an AI: `(` + 2–4 digits + `)` (known or not: an unknown one is then reported). */
function opensAi(s: string, k: number): boolean {
  const close = s.indexOf(")", k + 1);
  if (close < k + 3 || close > k + 5) return false;
  return isAllDigits(s.slice(k + 1, close));
}

/**
 * Parses the human-readable form `(AI)value(AI)value…`. Spaces around values are ignored (HRI
 * is often printed `(01) 0950… (21) ABC`). A `(` inside a value is kept unless it starts
 * `(` + 2–4 digits + `)`, which always opens the next AI (so a typo like `(23)` is reported as
 * an unknown AI rather than glued to the previous value). Unknown AIs and empty values are
 * errors. `today` anchors the century of dates.
 */
export function parseBracketedElementString(text: string, today?: Date): Gs1ParseResult {
  const kind = "element_string";
  const s = text.trim();
  const n = s.length;
  const elements: AiElement[] = [];
  let i = 0;
  while (i < n) {
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    if (s.charCodeAt(i) !== 40 /* ( */) return { ok: false, kind, message: `Expected "(" at position ${i + 1} of "${s}"` };
    const close = s.indexOf(")", i + 1);
    if (close < 0) return { ok: false, kind, message: `Unclosed "(" at position ${i + 1} of "${s}"` };
    const ai = s.slice(i + 1, close);
    if (ai.length < 2 || ai.length > 4 || !isAllDigits(ai)) return { ok: false, kind, message: `"(${ai})" is not a GS1 Application Identifier` };
    const spec = getAi(ai);
    if (!spec) return { ok: false, kind, message: `Unknown AI (${ai})` };
    let end = n;
    for (let k = s.indexOf("(", close + 1); k >= 0; k = s.indexOf("(", k + 1)) {
      if (opensAi(s, k)) {
        end = k;
        break;
      }
    }
    const value = s.slice(close + 1, end).trim();
    if (value.length === 0) return { ok: false, kind, message: `AI (${ai}) has no value` };
    elements.push(element(spec, value, today));
    i = end;
  }
  if (elements.length === 0) return { ok: false, kind, message: "Element string is empty" };
  return toGs1Data(elements, kind);
}

/**
 * Parses the unbracketed form as scanned: optional GS1 symbology identifier, optional leading
 * FNC1/GS, then AI + value pairs; predefined-length AIs (§7.8.5) take exactly their length,
 * every other value runs to the next GS (0x1D, or `{GS}`, `<GS>`, `[GS]`, `␝`, `^`) or the end.
 * Unknown AIs are errors (the rest could not be split reliably).
 */
export function parseUnbracketedElementString(text: string, today?: Date): Gs1ParseResult {
  const kind = "element_string";
  let s = text.trim();
  let i = 0;
  if (s.charCodeAt(0) === 93 /* ] */) {
    const id = s.slice(0, 3);
    if (!GS1_SYMBOLOGY_IDS.has(id)) return { ok: false, kind, message: `Symbology identifier "${id}" does not announce GS1 data` };
    i = 3;
  }
  if (HAS_SEPARATOR_TEXT.test(s)) s = s.replace(SEPARATOR_TEXT, GS);
  const n = s.length;
  const elements: AiElement[] = [];
  while (i < n) {
    if (s.charCodeAt(i) === 29) {
      i++;
      continue;
    }
    const spec = matchAiAt(s, i);
    if (!spec) {
      return { ok: false, kind, message: `Unknown AI at position ${i + 1}: "${s.slice(i, i + 4).replaceAll(GS, "<GS>")}…"` };
    }
    i += spec.ai.length;
    const fixed = predefinedLength(spec.ai);
    let value: string;
    if (fixed > 0) {
      value = s.slice(i, i + fixed);
      const gs = value.indexOf(GS);
      if (gs >= 0 || value.length < fixed) {
        const got = gs >= 0 ? gs : value.length;
        return { ok: false, kind, message: `AI (${spec.ai}) needs ${fixed} characters; found ${got}` };
      }
      i += fixed;
    } else {
      let end = s.indexOf(GS, i);
      if (end < 0) end = n;
      value = s.slice(i, end);
      i = end;
    }
    if (value.length === 0) return { ok: false, kind, message: `AI (${spec.ai}) has no value` };
    elements.push(element(spec, value, today));
  }
  if (elements.length === 0) return { ok: false, kind, message: "Element string is empty" };
  return toGs1Data(elements, kind);
}

/**
 * Parses an element string in either form: starting with `(` → bracketed, else unbracketed
 * (see the two functions). Never throws; `today` anchors the century of YYMMDD dates.
 */
export function parseElementString(text: string, today?: Date): Gs1ParseResult {
  const t = text.trimStart();
  return t.charCodeAt(0) === 40 ? parseBracketedElementString(t, today) : parseUnbracketedElementString(t, today);
}
