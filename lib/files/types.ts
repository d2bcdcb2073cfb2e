/**
 * Shapes shared by the file pipeline: sheet reading (lib/files/sheets), GS1 serial checks
 * (lib/files/gs1), compliance rules (lib/files/compliance), the processing job and the API.
 * Pure types: safe to import from client components.
 */

/** Upload kinds: ticket attachments, and the three sheet kinds that are processed by a job. */
export const UPLOAD_KINDS = ["attachment", "serials", "compliance", "employees"] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/** How serious a finding is. GS1/serial findings are all `error`; compliance rules choose. */
export type Severity = "error" | "warning" | "info";

/**
 * One problem found in a sheet. `row` is the 1-based spreadsheet row number as the user sees
 * it in Excel (header row included), `column` the header text as written in the file (null
 * for row- or file-level findings), `value` the offending cell text (null when absent).
 */
export interface Finding {
  sheet: string;
  row: number;
  column: string | null;
  code: string;
  severity: Severity;
  message: string;
  value: string | null;
}

/** One data row of a sheet: its 1-based row number and its cell texts, aligned with the header. */
export interface SheetRow {
  row: number;
  values: string[];
}

/**
 * A parsed worksheet: the detected header row (1-based), the header texts, and the data rows
 * below it. Every cell is text: numbers as written (no lost leading zeros from CSV), dates as
 * ISO 8601 (`YYYY-MM-DD`, or `YYYY-MM-DDTHH:mm:ss` when there is a time), empty cells as "".
 */
export interface ParsedSheet {
  name: string;
  headerRow: number;
  headers: string[];
  rows: SheetRow[];
}

/** A parsed file: one or more sheets (CSV gives one sheet named after the file). */
export interface ParsedWorkbook {
  format: "xlsx" | "xls" | "csv";
  sheets: ParsedSheet[];
}

/** Counts per finding code for a serial sheet, as `npm run serials` prints on its last line. */
export const SERIAL_FINDING_CODES = [
  "invalid_gtin",
  "invalid_serial",
  "invalid_lot",
  "invalid_expiry",
  "duplicate_serial",
  "illegal_transition",
  "expired_shipped",
] as const;
export type SerialFindingCode = (typeof SERIAL_FINDING_CODES)[number];

/** The summary of a serial sheet: data rows, rows without any finding, and counts per code. */
export interface SerialSummary {
  rows: number;
  valid: number;
  findings: Record<SerialFindingCode, number>;
}
