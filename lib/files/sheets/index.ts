/**
 * Reading uploaded files safely and writing findings reports. Pure library: no database, no
 * environment, safe to run in a worker. See each module for the rules and their sources.
 */
export { SheetError, SHEET_ERROR_CODES, formatBytes, type SheetErrorCode, type SheetErrorDetails } from "./errors";
export { DEFAULT_SHEET_LIMITS, resolveLimits, type SheetLimits } from "./limits";
export { sniffContent, isAllowedFor, mimeMatches, SNIFF_HEAD_BYTES, type Sniffed, type FileFamily } from "./sniff";
export { readWorkbook, type ReadWorkbookOptions } from "./read-workbook";
export { normalizeHeader, matchColumn, detectHeaderIndex, buildSheet, HEADER_SCAN_ROWS } from "./header";
export { numberText, serialToIso } from "./cells";
export { writeReport, neutralizeCell, REPORT_COLUMNS, type ReportFormat } from "./report";
