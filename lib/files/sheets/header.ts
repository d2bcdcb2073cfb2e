/**
 * Header detection and tolerant column matching.
 *
 * People put title rows ("Serialisation export — March"), blank rows and notes above the real
 * header, and name columns in many ways ("GTIN", "Product code (GTIN)", "gtin_14"). This module
 * finds the header row of a sheet and lets the domain modules find their columns by synonyms.
 */
import type { ParsedSheet, SheetRow } from "../types";

/** How many non-blank rows from the top are considered for the header. */
export const HEADER_SCAN_ROWS = 20;
/** How many rows below a candidate tell the width of the data. */
const LOOKAHEAD_ROWS = 5;

const isEmpty = (v: string | undefined) => v === undefined || v.trim() === "";

/** Cells with text in them. */
function filled(values: readonly string[]): number {
  let n = 0;
  for (const v of values) if (!isEmpty(v)) n += 1;
  return n;
}

/** Numbers (with separators, sign, percent, currency-free) and ISO dates/times. */
const NUMERIC = /^[-+]?(\d[\d.,'\s]*|[.,]\d+)(e[-+]?\d+)?%?$|^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?$|^\d{1,2}:\d{2}(:\d{2})?$/i;

/** Share of a row's filled cells that are text rather than numbers or dates. */
function textShare(values: readonly string[]): number {
  let n = 0;
  let text = 0;
  for (const v of values) {
    if (isEmpty(v)) continue;
    n += 1;
    if (!NUMERIC.test(v.trim())) text += 1;
  }
  return n === 0 ? 0 : text / n;
}

/**
 * Index (into `rows`) of the header row, or -1 for no rows. `rows` are the sheet's non-blank
 * rows in order. The header is the first of the first `HEADER_SCAN_ROWS` rows that
 *  - is followed by at least one row (a sheet of one row is a header without data),
 *  - fills at least 60 % (and at least 2) of the cells of the widest of the next 5 rows
 *    (1 cell is enough when those rows have 1),
 *  - is at least 70 % text (not numbers or dates), and
 *  - is not a title above a header: when the next row is also header-like and fills at least
 *    twice as many cells, the next row is preferred.
 * When no row qualifies, the widest of the scanned rows (the first of equals) is taken.
 */
export function detectHeaderIndex(rows: readonly SheetRow[]): number {
  if (rows.length === 0) return -1;
  if (rows.length === 1) return 0;
  const scan = Math.min(rows.length, HEADER_SCAN_ROWS);
  const headerLike = (i: number): boolean => {
    const values = rows[i].values;
    const next = rows.slice(i + 1, i + 1 + LOOKAHEAD_ROWS);
    if (next.length === 0) return false;
    const width = Math.max(...next.map((r) => filled(r.values)));
    const need = width <= 1 ? 1 : Math.max(2, Math.ceil(0.6 * width));
    return filled(values) >= need && textShare(values) >= 0.7;
  };
  for (let i = 0; i < scan; i++) {
    if (!headerLike(i)) continue;
    if (i + 1 < rows.length && filled(rows[i + 1].values) >= 2 * filled(rows[i].values) && i + 1 < scan && headerLike(i + 1)) continue;
    return i;
  }
  let best = 0;
  for (let i = 1; i < scan; i++) if (filled(rows[i].values) > filled(rows[best].values)) best = i;
  return best;
}

/**
 * Builds a `ParsedSheet` from a sheet's rows (any order of blank and non-blank rows, each with
 * its 1-based Excel row number): drops blank rows, detects the header, skips rows above it, and
 * aligns every data row to the header's width (cut or padded with ""; a row already that wide
 * keeps its array, which the result then shares with the input). Header texts are trimmed; the
 * header's width ends at its last non-empty cell. Returns null for a sheet without any
 * non-blank row.
 */
export function buildSheet(name: string, rows: readonly SheetRow[]): ParsedSheet | null {
  const nonBlank = rows.filter((r) => filled(r.values) > 0);
  const h = detectHeaderIndex(nonBlank);
  if (h < 0) return null;
  const headerValues = nonBlank[h].values.map((v) => (v ?? "").trim());
  let width = headerValues.length;
  while (width > 0 && headerValues[width - 1] === "") width -= 1;
  const headers = headerValues.slice(0, width);
  const out: SheetRow[] = [];
  for (let i = h + 1; i < nonBlank.length; i++) {
    const src = nonBlank[i].values;
    // A row already as wide as the header (the usual case) is used as is, not copied.
    let same = src.length === width;
    let any = false;
    for (let c = 0; c < width; c++) {
      const v = src[c];
      if (v === undefined) same = false;
      else if (!any && v.trim() !== "") any = true;
    }
    if (!any) continue;
    const values = same ? src : Array.from({ length: width }, (_, c) => src[c] ?? "");
    out.push({ row: nonBlank[i].row, values });
  }
  return { name, headerRow: nonBlank[h].row, headers, rows: out };
}

/**
 * A header text reduced for comparison: camelCase split, accents removed, lower-cased, every
 * run of punctuation, brackets, underscores and spaces turned into one space, trimmed.
 * "Product code (GTIN)" → "product code gtin", "serial_number" → "serial number",
 * "SerialNumber" → "serial number", "Gültig bis" → "gultig bis".
 */
export function normalizeHeader(s: string): string {
  return s
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Index of the first header matching one of `synonyms` (both normalized with
 * `normalizeHeader`), or -1. First pass: a header equal to a synonym, synonyms in the order
 * given (earlier synonyms win). Second pass: a header containing a synonym as whole words
 * ("product code gtin" contains "gtin", not "gt"), again synonyms in order.
 */
export function matchColumn(headers: readonly string[], synonyms: readonly string[]): number {
  const normalized = headers.map(normalizeHeader);
  const syn = synonyms.map(normalizeHeader).filter((s) => s !== "");
  for (const s of syn) {
    const i = normalized.indexOf(s);
    if (i >= 0) return i;
  }
  for (const s of syn) {
    const i = normalized.findIndex((h) => ` ${h} `.includes(` ${s} `));
    if (i >= 0) return i;
  }
  return -1;
}
