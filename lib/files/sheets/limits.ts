/**
 * Limits that keep one uploaded sheet from taking the process down. All sizes are bytes, all
 * counts are plain numbers; a caller may tighten or loosen any of them per call
 * (`readWorkbook(bytes, { limits: { maxRows: 5000 } })`).
 */

export interface SheetLimits {
  /** Size of the uploaded file itself (xlsx/xls/csv), bytes. Over → `too_large`. */
  maxFileBytes: number;
  /** Sum of all inflated ZIP entries of an xlsx, bytes. Over → `zip_bomb`. */
  maxUncompressedBytes: number;
  /** Inflated/compressed ratio of one ZIP entry, counted only above `ratioMinBytes`. Over → `zip_bomb`. */
  maxCompressionRatio: number;
  /** Entries smaller than this (inflated bytes) are not held to `maxCompressionRatio`. */
  ratioMinBytes: number;
  /** Number of entries in an xlsx ZIP (a real workbook has a few dozen). Over → `zip_bomb`. */
  maxZipEntries: number;
  /** Worksheets in one workbook. Over → `too_many_sheets`. */
  maxSheets: number;
  /** Data rows (non-blank rows below the header) in the whole workbook. Over → `too_many_rows`. */
  maxRows: number;
  /** Columns in one row. Over → `too_large`. */
  maxColumns: number;
  /** Characters in one cell. Over → `cell_too_long`. */
  maxCellChars: number;
}

const MB = 1024 * 1024;

/**
 * The defaults:
 * - 50 MB per file, 400 MB inflated per xlsx. Measured on a serial sheet of 7 columns (GTIN,
 *   serial, lot, expiry, event, event time, location): 100,000 rows are 31 MB of XML, a 3.6 MB
 *   file as Excel zips it (11 MB as SheetJS does); 600,000 rows are 180 MB of XML, a 20 MB file,
 *   and take about 30 s and 1.4 GB peak memory to read. A 1,000,000-row sheet (the row limit
 *   the issue sets) is ~300 MB of XML, so the inflated limit leaves room for it, at ~2.5 GB
 *   peak memory in the worker that reads it (docs/DESIGN.md, "Files");
 * - ratio 200 above 1 MB: sheet XML compresses about 3-15× (measured with zlib level 6: the
 *   serial sheet 8.5×, 100,000 rows of styled empty cells 12×, 100,000 rows of zeros 14×);
 *   a deflate bomb reaches ~1000×;
 * - 10,000 ZIP entries (a workbook has a few dozen);
 * - 50 sheets, 1,000,000 data rows (Excel's own sheet holds 1,048,576);
 * - 16,384 columns and 32,767 characters per cell: Excel's own limits ("Excel specifications and
 *   limits", Microsoft Support), so nothing Excel saved is refused, and anything beyond them did
 *   not come from Excel. A 10,000-character cap was considered and not chosen: compliance and
 *   employee sheets carry free-text notes, and the domain checks (GS1 lengths: serial ≤ 20, lot
 *   ≤ 20 characters) already report overlong values as findings; this limit is about memory.
 */
export const DEFAULT_SHEET_LIMITS: Readonly<SheetLimits> = Object.freeze({
  maxFileBytes: 50 * MB,
  maxUncompressedBytes: 400 * MB,
  maxCompressionRatio: 200,
  ratioMinBytes: 1 * MB,
  maxZipEntries: 10_000,
  maxSheets: 50,
  maxRows: 1_000_000,
  maxColumns: 16_384,
  maxCellChars: 32_767,
});

/**
 * Defaults overlaid with the caller's values. Throws `TypeError` for a value that is not a
 * positive number (a programming error, not a user's).
 */
export function resolveLimits(partial?: Partial<SheetLimits>): SheetLimits {
  const limits: SheetLimits = { ...DEFAULT_SHEET_LIMITS };
  if (!partial) return limits;
  for (const key of Object.keys(DEFAULT_SHEET_LIMITS) as (keyof SheetLimits)[]) {
    const value = partial[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !(value > 0)) throw new TypeError(`Sheet limit ${key} must be a positive number, got ${String(value)}`);
    limits[key] = value;
  }
  return limits;
}
