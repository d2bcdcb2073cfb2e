/**
 * The GS1 AI encodable character set 82: the characters allowed in alphanumeric ("X") GS1
 * Application Identifier values such as the serial number AI (21) and the batch/lot AI (10).
 *
 * Source: GS1 General Specifications, section 7.11 ("GS1 AI encodable character set 82",
 * figure 7.11-1 in release 25): the invariant subset of ISO/IEC 646 (ASCII) without the space,
 * `#`, `$`, `@`, `[`, `\`, `]`, `^`, backquote, `{`, `|`, `}`, `~`: 13 punctuation characters
 * `!"%&'()*+,-./`, the digits, `:;<=>?`, A–Z, `_` and a–z = 82 characters.
 */

/** The 82 characters, in code-point order. `CHARSET_82.length === 82`. */
export const CHARSET_82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

/** Lookup by char code (0–127): 1 when the character is in set 82. Built once. */
const IN_SET = new Uint8Array(128);
for (let i = 0; i < CHARSET_82.length; i++) IN_SET[CHARSET_82.charCodeAt(i)] = 1;

/** True when the UTF-16 code unit `code` is a set-82 character. */
export function isCharset82Code(code: number): boolean {
  return code < 128 && IN_SET[code] === 1;
}

/** Index of the first character of `s` outside set 82, or -1 when all are inside. No allocation. */
export function firstNonCharset82(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || IN_SET[c] !== 1) return i;
  }
  return -1;
}

/** A readable name for a character in a message: `space`, `é (U+00E9)`, `U+001D` for controls. */
export function describeChar(s: string, index: number): string {
  const cp = s.codePointAt(index) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  if (cp === 32) return "space";
  if (cp < 32 || cp === 127) return hex;
  const ch = String.fromCodePoint(cp);
  return cp < 128 ? `"${ch}"` : `"${ch}" (${hex})`;
}

/** Result of {@link checkCharset82Value}: ok, or why not with a message for people. */
export type Charset82Result =
  | { ok: true }
  | { ok: false; reason: "empty" | "too_long" | "bad_char"; message: string; index?: number };

const OK: Charset82Result = Object.freeze({ ok: true });

/**
 * Checks an alphanumeric AI value: 1..`maxLength` characters (counted in UTF-16 units; any
 * non-ASCII character is rejected anyway), all from set 82 (§7.11). `label` names the field in
 * the message, e.g. "Serial" or "Lot". Never throws.
 */
export function checkCharset82Value(value: string, maxLength: number, label: string): Charset82Result {
  if (value.length === 0) return { ok: false, reason: "empty", message: `${label} is empty` };
  const bad = firstNonCharset82(value);
  if (bad >= 0) {
    return {
      ok: false,
      reason: "bad_char",
      index: bad,
      message: `${label} "${value}" has ${describeChar(value, bad)} at position ${bad + 1}, which is not in the GS1 AI encodable character set 82`,
    };
  }
  if (value.length > maxLength) {
    return {
      ok: false,
      reason: "too_long",
      message: `${label} "${value}" has ${value.length} characters; at most ${maxLength} are allowed`,
    };
  }
  return OK;
}
