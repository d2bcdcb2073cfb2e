/**
 * Finds GS1 identifiers in free ticket text, to look up a pack's history for a ticket:
 * GTINs, GS1 element strings, GS1 Digital Links, SGTIN EPC URIs and "serial …" mentions.
 * Tuned for few false positives: GTINs must pass the check digit (GS1 General Specifications
 * §7.9.1) and stand alone as words; 8-digit GTINs need a "GTIN"/"EAN"/"UPC" word just before
 * them (one random 8-digit number in ten passes the check digit); numbers after a `+` (phone
 * numbers) or inside dates, decimals and versions are ignored; a serial needs a keyword
 * ("serial", "serial no.", "serial number", "S/N", "SN"), at least one digit, set-82
 * characters only and at most 20 of them (AI 21), and is never a ticket key (`T-123`).
 */
import { checkCharset82Value } from "./charset82";
import { parseDigitalLink, parseSgtinUri } from "./digital-link";
import { parseElementString, type Gs1ParseResult } from "./element-string";
import { validateGtin } from "./gtin";

/** Identifiers found in a text: GTIN-14s, serials, and the (GTIN-14, serial) pairs that identify packs. */
export interface SerialMentions {
  gtins: string[];
  serials: string[];
  pairs: { gtin14: string; serial: string }[];
}

const URL_RE = /https?:\/\/[^\s<>"'`]+/gi;
const EPC_RE = /urn:epc:id:sgtin:\d+\.\d+\.[^\s,;<>"']+/gi;
const BRACKETED_RE = /\(\d{2,4}\)\s?[^\s()]+(?:\s?\(\d{2,4}\)\s?[^\s()]+)*/g;
const UNBRACKETED_RE = /(?<![0-9A-Za-z])(?:\][dQCeJ][0-3])?(?:\u001d|\^)?01\d{14}[^\s]*/g;
const NUMBER_RE = /(?<![0-9A-Za-z+\-./,:])(\d{14}|\d{13}|\d{12}|\d{8})(?![0-9A-Za-z]|[-./,:]\d)/g;
const SHORT_GTIN_CONTEXT = /(?:gtin|ean|upc)(?:-?8)?\s*[:#]?\s*$/i;
const SERIAL_RE = /(?<![A-Za-z])(?:serial(?:\s*(?:numbers?|nos?\.?|nrs?\.?|#))?s?|seriennummer(?:n)?|s\/n|sn)(?![A-Za-z])\s*[:#=-]?\s*([^\s,;]+(?:\s*,\s*[^\s,;]+)*)/gi;
const TICKET_KEY = /^T-\d+$/i;
const TRAILING_PUNCT = /[.,;:!?]+$/;

/** Removes sentence punctuation after a token, and a `)` that closes nothing inside it. */
function trimToken(t: string): string {
  let s = t.replace(TRAILING_PUNCT, "");
  while (s.endsWith(")") && s.split("(").length <= s.split(")").length - 1) s = s.slice(0, -1).replace(TRAILING_PUNCT, "");
  return s;
}

/** Also removes quotes and an opening bracket around a keyword serial: `"ABC1"` → `ABC1`. */
function unquote(t: string): string {
  return trimToken(trimToken(t).replace(/^["'(\[]+/, "").replace(/["'\]]+$/, ""));
}

function isSerialCandidate(s: string): boolean {
  if (s.length === 0 || s.length > 20 || TICKET_KEY.test(s)) return false;
  if (!/\d/.test(s)) return false;
  return checkCharset82Value(s, 20, "Serial").ok;
}

/**
 * Scans `text` (see the file comment for the rules). Each GTIN is returned as GTIN-14, each
 * list deduplicated in order of appearance. Pairs come from codes that carry both AI (01) and
 * AI (21), and — when the text names exactly one GTIN — from that GTIN with every serial
 * mentioned by keyword. Pure; never throws.
 */
export function findSerialMentions(text: string): SerialMentions {
  const gtins = new Set<string>();
  const serials = new Set<string>();
  const pairs = new Map<string, { gtin14: string; serial: string }>();
  const keywordSerials: string[] = [];

  const fromCode = (p: Gs1ParseResult) => {
    if (!p.ok) return;
    const g = p.gtin !== null ? validateGtin(p.gtin) : null;
    const gtin14 = g && g.ok ? g.gtin14 : null;
    const serial = p.serial !== null && checkCharset82Value(p.serial, 20, "Serial").ok ? p.serial : null;
    if (gtin14) gtins.add(gtin14);
    if (serial) serials.add(serial);
    if (gtin14 && serial) pairs.set(`${gtin14}|${serial}`, { gtin14, serial });
  };

  for (const m of text.matchAll(URL_RE)) fromCode(parseDigitalLink(trimToken(m[0])));
  for (const m of text.matchAll(EPC_RE)) fromCode(parseSgtinUri(trimToken(m[0])));
  for (const m of text.matchAll(BRACKETED_RE)) fromCode(parseElementString(trimToken(m[0])));
  for (const m of text.matchAll(UNBRACKETED_RE)) {
    const token = trimToken(m[0]);
    const p = parseElementString(token);
    if (p.ok) fromCode(p);
    else fromCode(parseElementString(token.replace(/^\D*01(\d{14}).*$/s, "01$1")));
  }
  for (const m of text.matchAll(NUMBER_RE)) {
    const digits = m[1];
    if (digits.length === 8 && !SHORT_GTIN_CONTEXT.test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
    const g = validateGtin(digits);
    if (g.ok) gtins.add(g.gtin14);
  }
  for (const m of text.matchAll(SERIAL_RE)) {
    for (const part of m[1].split(",")) {
      const s = unquote(part.trim());
      if (isSerialCandidate(s)) {
        serials.add(s);
        keywordSerials.push(s);
      }
    }
  }
  if (gtins.size === 1) {
    const [gtin14] = gtins;
    for (const serial of keywordSerials) pairs.set(`${gtin14}|${serial}`, { gtin14, serial });
  }
  return { gtins: [...gtins], serials: [...serials], pairs: [...pairs.values()] };
}
