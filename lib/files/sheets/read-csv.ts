/**
 * CSV (and other delimited text) to a `ParsedWorkbook` of one sheet. Every value stays the
 * literal text of the file: a GTIN 04012345678901 keeps its leading zero, "1.5E+3" stays that.
 */
import { parse } from "csv-parse/sync";

import type { ParsedWorkbook, SheetRow } from "../types";
import { SheetError, formatCount } from "./errors";
import { HEADER_SCAN_ROWS, buildSheet } from "./header";
import type { SheetLimits } from "./limits";
import { checkCell, checkRowTotal } from "./checks";
import { decodeText, detectDelimiter, type Delimiter } from "./text";

/** Sheet name for a CSV: the file's base name without extension, at most 31 characters (Excel's limit). */
export function csvSheetName(filename?: string): string {
  const base = (filename ?? "").split(/[\\/]/).pop() ?? "";
  const stem = base.replace(/\.[^.]*$/, "").trim();
  return (stem || "Sheet1").slice(0, 31);
}

/**
 * A fast pass before csv-parse that bounds what parsing can cost: fields per record (a line of
 * 50 million commas would otherwise become a 50-million-element array) and the number of
 * non-blank records (stops a file with far more rows than allowed before it is parsed).
 * Quote handling follows RFC 4180 with csv-parse's `relax_quotes` (a quote inside an unquoted
 * field is literal). Throws `SheetError` `too_large`, `too_many_rows`, or `broken_file` for a
 * quote that never closes (naming the line where it opened; csv-parse only knows where the file
 * ended).
 */
function prescan(text: string, delimiter: Delimiter, limits: SheetLimits): void {
  const d = delimiter.charCodeAt(0);
  const maxRecords = limits.maxRows + HEADER_SCAN_ROWS;
  let inQuotes = false;
  let fieldStart = true;
  let fields = 1;
  let content = false;
  let record = 1;
  let nonBlank = 0;
  let line = 1;
  let quoteLine = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i += 1;
        else inQuotes = false;
      } else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line += 1;
      content = true;
      continue;
    }
    if (c === d) {
      fields += 1;
      fieldStart = true;
      if (fields > limits.maxColumns) {
        throw new SheetError("too_large", `Row ${formatCount(record)} has more than ${formatCount(limits.maxColumns)} columns; the limit is ${formatCount(limits.maxColumns)} (Excel's own).`, {
          row: record,
          limit: limits.maxColumns,
        });
      }
    } else if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i += 1;
      line += 1;
      if (content && ++nonBlank > maxRecords) {
        throw new SheetError("too_many_rows", `The file has more than ${formatCount(limits.maxRows)} rows; the limit is ${formatCount(limits.maxRows)}. Split it into smaller files.`, {
          limit: limits.maxRows,
        });
      }
      record += 1;
      fields = 1;
      fieldStart = true;
      content = false;
    } else if (c === 34 && fieldStart) {
      inQuotes = true;
      quoteLine = line;
      fieldStart = false;
    } else {
      fieldStart = false;
      if (c !== 32 && c !== 9) content = true;
    }
  }
  if (inQuotes) {
    throw new SheetError("broken_file", `The CSV file has a quote (") on line ${formatCount(quoteLine)} that is never closed, so everything after it reads as one cell. Check the quotes on that line.`, {
      line: quoteLine,
    });
  }
}

/**
 * Reads delimited text: UTF-16 by BOM, UTF-8 (BOM stripped), else Windows-1252; delimiter `,`
 * `;` tab or `|` detected from the first lines (an Excel `sep=` first line decides and is not a
 * row); parsed by csv-parse (RFC 4180 quotes, ragged rows allowed, quotes inside unquoted fields
 * kept). Row numbers are record numbers, as Excel numbers the rows when it opens the file (a
 * quoted line break does not start a new row). Throws `SheetError`: `empty`, `broken_file` (a
 * quote never closed), `too_large`, `too_many_rows`, `cell_too_long`.
 */
export function readCsv(bytes: Uint8Array, opts: { filename?: string; limits: SheetLimits }): ParsedWorkbook {
  const { limits } = opts;
  let { text } = decodeText(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = detectDelimiter(text) ?? ",";
  text = text.replace(/^sep=.\r?\n/, "");
  if (text.trim() === "") throw new SheetError("empty", "The file is empty: it has no rows with values.");
  prescan(text, delimiter, limits);

  const name = csvSheetName(opts.filename);
  let records: string[][];
  try {
    // No on_record hook: with one, csv-parse 6 is about 5 times slower (it builds a context per record).
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (err) {
    const e = err as Error & { code?: string };
    throw new SheetError("broken_file", `The CSV file could not be read: ${e.message}`, { reason: e.code ?? e.message });
  }
  // Records are numbered as Excel numbers rows (blank lines included, quoted line breaks not).
  const rows: SheetRow[] = [];
  for (let i = 0; i < records.length; i++) {
    const values = records[i];
    let end = values.length;
    while (end > 0 && values[end - 1].trim() === "") end -= 1;
    if (end === 0) continue;
    for (let c = 0; c < end; c++) if (values[c].length > limits.maxCellChars) checkCell(name, i + 1, c, values[c].length, limits);
    if (end < values.length) values.length = end;
    rows.push({ row: i + 1, values });
  }
  const sheet = buildSheet(name, rows);
  if (!sheet) throw new SheetError("empty", "The file is empty: it has no rows with values.");
  checkRowTotal([sheet], limits);
  return { format: "csv", sheets: [sheet] };
}
