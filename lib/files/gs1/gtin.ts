/**
 * GTIN validation and normalisation.
 *
 * Sources: GS1 General Specifications, section 3 ("Identification of a trade item (GTIN):
 * AI (01)", 3.3.2 in recent releases) and section 7.9.1 (check digit). A GTIN has 8, 12, 13
 * or 14 digits (GTIN-8, GTIN-12 = UPC-A, GTIN-13 = EAN-13, GTIN-14); it is carried in AI (01)
 * and in keys as GTIN-14, i.e. left-padded with zeros to 14 digits.
 */
import { expectedCheckDigit, isAllDigits } from "./check-digit";

/** Outcome of {@link validateGtin}: the GTIN-14 key, or the reason with a message for people. */
export type GtinResult =
  | { ok: true; gtin14: string; length: 8 | 12 | 13 | 14 }
  | {
      ok: false;
      reason: "empty" | "not_digits" | "length" | "check_digit";
      message: string;
      /** Only for `check_digit`: the digit the GTIN should end with. */
      expectedCheckDigit?: number;
    };

const ZEROS = "000000";

/**
 * Checks a GTIN as written (surrounding spaces ignored): 8, 12, 13 or 14 ASCII digits ending
 * with the right mod-10 check digit. Lengths 9–11 are rejected: a 13-digit number read from an
 * Excel numeric cell (GTIN-14 with its leading zero lost) is simply the GTIN-13 it pads back to.
 * Returns the GTIN-14 (zero-padded) on success. Never throws.
 */
export function validateGtin(input: string): GtinResult {
  const s = input.length > 0 && (input.charCodeAt(0) <= 32 || input.charCodeAt(input.length - 1) <= 32) ? input.trim() : input;
  if (s.length === 0) return { ok: false, reason: "empty", message: "GTIN is missing" };
  if (!isAllDigits(s)) return { ok: false, reason: "not_digits", message: `GTIN "${s}" must contain digits only` };
  const n = s.length;
  if (n !== 8 && n !== 12 && n !== 13 && n !== 14) {
    return { ok: false, reason: "length", message: `GTIN "${s}" has ${n} digits; a GTIN has 8, 12, 13 or 14` };
  }
  const expected = expectedCheckDigit(s);
  const actual = s.charCodeAt(n - 1) - 48;
  if (expected !== actual) {
    return {
      ok: false,
      reason: "check_digit",
      expectedCheckDigit: expected,
      message: `GTIN ${s} has check digit ${actual}; expected ${expected}`,
    };
  }
  return { ok: true, gtin14: n === 14 ? s : ZEROS.slice(0, 14 - n) + s, length: n };
}

/** True when `input` is a valid GTIN-8/12/13/14 (see {@link validateGtin}). */
export function isValidGtin(input: string): boolean {
  return validateGtin(input).ok;
}
