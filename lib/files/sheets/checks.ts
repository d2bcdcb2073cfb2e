/**
 * Limit checks shared by the xlsx/xls and CSV readers, with messages that point at the cell.
 */
import type { ParsedSheet } from "../types";
import { SheetError, formatCount } from "./errors";
import type { SheetLimits } from "./limits";

/** Excel column letters for a 0-based column index: 0 → "A", 27 → "AB", 16383 → "XFD". */
export function columnName(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * Throws `cell_too_long` when a cell's text is longer than `limits.maxCellChars`; `row` is the
 * 1-based Excel row, `col` the 0-based column.
 */
export function checkCell(sheet: string, row: number, col: number, length: number, limits: SheetLimits): void {
  if (length <= limits.maxCellChars) return;
  throw new SheetError(
    "cell_too_long",
    `Cell ${columnName(col)}${row} on sheet "${sheet}" holds ${formatCount(length)} characters; the limit is ${formatCount(limits.maxCellChars)}${limits.maxCellChars === 32_767 ? " (Excel's own maximum)" : ""}.`,
    { sheet, row, column: columnName(col), length, limit: limits.maxCellChars },
  );
}

/** Throws `too_many_rows` when the sheets hold more data rows together than `limits.maxRows`. */
export function checkRowTotal(sheets: readonly ParsedSheet[], limits: SheetLimits): void {
  let total = 0;
  for (const s of sheets) total += s.rows.length;
  if (total <= limits.maxRows) return;
  const where = sheets.length === 1 ? "The file has" : `The workbook's ${sheets.length} sheets have`;
  throw new SheetError("too_many_rows", `${where} ${formatCount(total)} data rows; the limit is ${formatCount(limits.maxRows)}. Split it into smaller files.`, {
    rows: total,
    limit: limits.maxRows,
  });
}
