/**
 * Text recognition and decoding shared by sniffing and the CSV reader: which encoding a byte
 * run is in (UTF-8, UTF-16 with BOM, or Windows-1252 as Excel on Windows writes CSV), and which
 * delimiter a delimited text uses.
 */

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

/** Bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D have no character in Windows-1252 (WHATWG Encoding). */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** C0 control bytes other than tab, LF, VT, FF, CR and SUB (0x1A, DOS end of file). */
function isBinaryControl(b: number): boolean {
  return b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1a;
}

/** Whether `head` is well-formed UTF-8 (RFC 3629), allowing a sequence cut off by the end of `head`. */
function isUtf8(head: Uint8Array): boolean {
  let i = 0;
  const n = head.length;
  while (i < n) {
    const b = head[i];
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) (need = 1), (min = 0x80);
    else if (b >= 0xe0 && b <= 0xef) (need = 2), (min = 0x800);
    else if (b >= 0xf0 && b <= 0xf4) (need = 3), (min = 0x10000);
    else return false;
    if (i + need >= n) {
      // Sequence cut by the end of the head: accept if what is there is well-formed.
      for (let k = i + 1; k < n; k++) if ((head[k] & 0xc0) !== 0x80) return false;
      return true;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = head[i + k];
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/**
 * The encoding a text file's first bytes are in, or null when they are not text: a UTF-16 BOM;
 * else no NUL bytes and at most 1 % other control bytes, and either valid UTF-8 (a sequence cut
 * by the end of `head` is allowed) or plausible Windows-1252 (no undefined bytes, at most 30 %
 * bytes ≥ 0x80; Latin-1 text in Western languages has a few percent).
 */
export function detectTextEncoding(head: Uint8Array): TextEncodingName | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  let controls = 0;
  let high = 0;
  let undefinedCp1252 = false;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0) return null;
    if (b >= 0x80) {
      high += 1;
      if (CP1252_UNDEFINED.has(b)) undefinedCp1252 = true;
    } else if (isBinaryControl(b)) controls += 1;
  }
  if (controls > head.length / 100) return null;
  if (high === 0 || isUtf8(head)) return "utf-8";
  if (!undefinedCp1252 && high <= head.length * 0.3) return "windows-1252";
  return null;
}

/**
 * Windows-1252 characters of bytes 0x80-0x9F (WHATWG Encoding Standard, index-windows-1252);
 * the undefined bytes map to the C1 control of the same number, as the standard says.
 */
const CP1252_HIGH =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
  "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

/**
 * Windows-1252 to text. Node 20's `TextDecoder("windows-1252")` decodes as ISO-8859-1 (0x80
 * becomes U+0080, not "€"), so bytes 0x80-0x9F are mapped here.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/**
 * Decodes a whole text file: UTF-16 by BOM, UTF-8 (BOM stripped) when the bytes are valid UTF-8,
 * else Windows-1252 (the "ANSI" code page of Western-European Windows; Excel's "CSV (Comma
 * delimited)" writes it, so "Müller" arrives as 4D FC 6C 6C 65 72, "€" as 80).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  try {
    // ignoreBOM: false (the default) strips a leading UTF-8 BOM.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: "windows-1252" };
  }
}

/** Delimiters recognised in delimited text, in order of preference on a tie. */
export const DELIMITERS = [",", ";", "\t", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Counts `d` outside double-quoted stretches of one line. */
function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === d && !quoted) n += 1;
  }
  return n;
}

/**
 * The delimiter of a delimited text, judged on its first 30 non-empty lines (a last line cut by
 * the end of a sniffed head is left out): for each candidate the most common per-line count and
 * the share of lines with exactly that count; a candidate qualifies with a count ≥ 1 on at least
 * 60 % of the lines (any count ≥ 1 for a one-line text). The best share wins, then the higher
 * count, then the order `,` `;` tab `|`. An Excel `sep=;` first line decides outright.
 * Returns null when no candidate qualifies (one-column data or prose).
 */
export function detectDelimiter(text: string, truncated = false): Delimiter | null {
  const sep = /^\uFEFF?sep=(.)\r?\n/.exec(text);
  if (sep && (DELIMITERS as readonly string[]).includes(sep[1])) return sep[1] as Delimiter;
  let lines = text.slice(0, 256 * 1024).split(/\r\n|\n|\r/);
  if (truncated && lines.length > 1) lines = lines.slice(0, -1);
  lines = lines.filter((l) => l.trim() !== "").slice(0, 30);
  if (lines.length === 0) return null;
  let best: { d: Delimiter; share: number; count: number } | null = null;
  for (const d of DELIMITERS) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      const c = countOutsideQuotes(line, d);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let mode = 0;
    let modeLines = 0;
    for (const [c, n] of counts) if (c > 0 && (n > modeLines || (n === modeLines && c > mode))) (mode = c), (modeLines = n);
    if (mode === 0) continue;
    const share = modeLines / lines.length;
    if (lines.length > 1 && share < 0.6) continue;
    if (!best || share > best.share || (share === best.share && mode > best.count)) best = { d, share, count: mode };
  }
  return best?.d ?? null;
}
