/**
 * The one error type of the sheet reader. Every hostile or unreadable upload ends in a
 * `SheetError` whose `message` can be shown to the person who uploaded the file as is; `code`
 * is stable for programs (API error details, job results), `details` carries the numbers.
 */

/** Why a file could not be read. */
export const SHEET_ERROR_CODES = [
  "unsupported_type",
  "broken_file",
  "zip_bomb",
  "too_large",
  "too_many_rows",
  "too_many_sheets",
  "cell_too_long",
  "encrypted",
  "empty",
] as const;
export type SheetErrorCode = (typeof SHEET_ERROR_CODES)[number];

/** Numbers and names behind a `SheetError` (sizes in bytes, rows 1-based as in Excel). */
export type SheetErrorDetails = Record<string, string | number | boolean | null>;

/**
 * A file the reader refuses, with a message meant for the end user, e.g.
 * `zip_bomb`: "The workbook expands to 2.1 GB when unzipped; the limit is 400 MB."
 */
export class SheetError extends Error {
  readonly code: SheetErrorCode;
  readonly details: SheetErrorDetails;

  constructor(code: SheetErrorCode, message: string, details: SheetErrorDetails = {}) {
    super(message);
    this.name = "SheetError";
    this.code = code;
    this.details = details;
  }
}

/**
 * Bytes as a person reads them: binary multiples labelled KB/MB/GB as Windows Explorer and
 * macOS Finder-in-binary show them (1 MB = 1,048,576 bytes), one decimal above 10 only if useful.
 * `formatBytes(2_254_857_830)` → "2.1 GB", `formatBytes(200 * 2 ** 20)` → "200 MB".
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = value >= 100 || Number.isInteger(value) ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, "");
  return `${text} ${units[unit]}`;
}

/** A count with thousands separators: 1000000 → "1,000,000". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** The one message for a password-protected workbook, wherever it is found. */
export function encryptedError(details: SheetErrorDetails = {}): SheetError {
  return new SheetError(
    "encrypted",
    "The workbook is password-protected. Open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password), save, and upload it again.",
    details,
  );
}
