/**
 * One entry point for a "code" cell: whatever a scanner or a spreadsheet column holds for a
 * serialised pack (GS1 element string, GS1 Digital Link URI, SGTIN EPC URI, or a bare GTIN).
 */
import { isAllDigits } from "./check-digit";
import { looksLikeDigitalLink, parseDigitalLink, parseSgtinUri } from "./digital-link";
import { parseElementString, type Gs1ParseResult } from "./element-string";

/**
 * Parses a code by its notation: `http(s)://…` → GS1 Digital Link; `urn:epc:id:sgtin:…` →
 * EPC URI; 8/12/13/14 digits alone → a bare GTIN (kind `gtin`, no serial); anything else →
 * element string (bracketed or unbracketed). Raw values are returned; validate them with
 * `validateGtin`, `checkCharset82Value`, `parseExpiry`. Never throws.
 */
export function parseGs1Code(text: string, today?: Date): Gs1ParseResult {
  const s = text.trim();
  if (s.length === 0) return { ok: false, kind: "element_string", message: "Code is empty" };
  const c = s.charCodeAt(0);
  if ((c === 104 || c === 72) && looksLikeDigitalLink(s)) return parseDigitalLink(s, today);
  if ((c === 117 || c === 85) && s.slice(0, 4).toLowerCase() === "urn:") return parseSgtinUri(s, today);
  const n = s.length;
  if ((n === 8 || n === 12 || n === 13 || n === 14) && isAllDigits(s)) {
    return { ok: true, kind: "gtin", elements: [], gtin: s, serial: null, lot: null, expiry: null };
  }
  return parseElementString(s, today);
}
