/**
 * Reads an uploaded spreadsheet (xlsx, xls or delimited text) into a `ParsedWorkbook`, safely:
 * the type comes from the content, an xlsx passes the ZIP guard before SheetJS sees it, and
 * every limit ends in a `SheetError` with a message for the person who uploaded the file.
 */
import * as XLSX from "xlsx";

import type { ParsedSheet, ParsedWorkbook, SheetRow } from "../types";
import { cellText, type CellLike } from "./cells";
import { checkCell, checkRowTotal } from "./checks";
import { SheetError, encryptedError, formatBytes, formatCount } from "./errors";
import { HEADER_SCAN_ROWS, buildSheet } from "./header";
import { resolveLimits, type SheetLimits } from "./limits";
import { readCsv } from "./read-csv";
import { sniffContent, type Sniffed } from "./sniff";
import { guardZip } from "./zip-guard";

export interface ReadWorkbookOptions {
  /** The uploaded file's name: names a CSV's sheet and words messages; never decides the type. */
  filename?: string;
  limits?: Partial<SheetLimits>;
}

const SHEET_EXTS = /\.(xlsx|xlsm|xls|csv|tsv|txt)$/i;

/** What a sniffed non-sheet file is, for messages: "a PNG image". */
function describe(s: Sniffed): string {
  const names: Record<string, string> = {
    png: "a PNG image",
    jpg: "a JPEG image",
    gif: "a GIF image",
    webp: "a WebP image",
    pdf: "a PDF document",
    zip: "a ZIP archive without a workbook in it",
    docx: "a Word document",
    doc: "a Word document",
    pptx: "a PowerPoint presentation",
    ppt: "a PowerPoint presentation",
    xlsb: "an Excel binary workbook (.xlsb)",
    html: "a web page (HTML)",
    svg: "an SVG image",
    xml: "an XML document",
    json: "a JSON document",
    exe: "a Windows program",
    elf: "a Linux program",
    cfb: "an Office container that is not an Excel workbook",
  };
  return names[s.ext] ?? `a ${s.ext.toUpperCase()} file (${s.mime})`;
}

const NOT_A_SHEET = "Upload an Excel workbook (.xlsx or .xls) or a CSV file.";

/**
 * Reads `bytes` as a spreadsheet and returns its non-empty sheets, each with its detected header
 * row and its data rows as text (see `ParsedSheet`; cells converted by `cellText`, CSV values
 * literal). Sheets without any value are left out.
 *
 * Throws `SheetError` (never anything else for bad input):
 * - `empty`: no bytes, or no sheet with any value;
 * - `too_large`: more than `limits.maxFileBytes`, or a row wider than `limits.maxColumns`;
 * - `unsupported_type`: content of another type (an image, a PDF, HTML, a program…);
 * - `broken_file`: damaged or truncated content, or content of no known type under a
 *   spreadsheet's name;
 * - `zip_bomb`: an xlsx inflating past `limits.maxUncompressedBytes` or `limits.maxCompressionRatio`;
 * - `encrypted`: a password-protected workbook;
 * - `too_many_sheets`, `too_many_rows`, `cell_too_long`: over the limits.
 * Defaults in `DEFAULT_SHEET_LIMITS`. Synchronous work inside (SheetJS); the promise is for
 * content sniffing.
 */
export async function readWorkbook(bytes: Uint8Array, opts: ReadWorkbookOptions = {}): Promise<ParsedWorkbook> {
  const limits = resolveLimits(opts.limits);
  if (bytes.length === 0) throw new SheetError("empty", "The file is empty (0 bytes).");
  if (bytes.length > limits.maxFileBytes) {
    throw new SheetError("too_large", `The file is ${formatBytes(bytes.length)}; the limit is ${formatBytes(limits.maxFileBytes)}.`, { bytes: bytes.length, limit: limits.maxFileBytes });
  }
  const sniffed = await sniffContent(bytes, { filename: opts.filename });
  if (!sniffed) {
    if (opts.filename && SHEET_EXTS.test(opts.filename)) {
      throw new SheetError("broken_file", `The file is named "${opts.filename}" but its content is not a spreadsheet; it may be damaged. ${NOT_A_SHEET}`, { filename: opts.filename });
    }
    throw new SheetError("unsupported_type", `The file's content is of no known type. ${NOT_A_SHEET}`);
  }
  if (sniffed.encrypted) throw encryptedError();
  switch (sniffed.ext) {
    case "xlsx":
    case "xlsm":
      return readXlsx(bytes, limits);
    case "xls":
      return readSheetJs(bytes, "xls", limits);
    case "csv":
    case "txt":
    case "log":
      return readCsv(bytes, { filename: opts.filename, limits });
    default:
      throw new SheetError("unsupported_type", `The file is ${describe(sniffed)}, not a spreadsheet. ${NOT_A_SHEET}`, { mime: sniffed.mime, ext: sniffed.ext });
  }
}

const WORKBOOK_PART = "xl/workbook.xml";

function readXlsx(bytes: Uint8Array, limits: SheetLimits): ParsedWorkbook {
  const guard = guardZip(bytes, limits, [WORKBOOK_PART]);
  const workbookXml = guard.kept.get(WORKBOOK_PART);
  if (workbookXml) {
    // Count <sheet> elements before SheetJS builds them (prefix-agnostic: <sheet …> or <x:sheet …>).
    const xml = new TextDecoder().decode(workbookXml);
    const count = (xml.match(/<(?:[A-Za-z_][\w.-]*:)?sheet[\s/>]/g) ?? []).length;
    if (count > limits.maxSheets) throw tooManySheets(count, limits);
  }
  return readSheetJs(bytes, "xlsx", limits);
}

function tooManySheets(count: number, limits: SheetLimits): SheetError {
  return new SheetError("too_many_sheets", `The workbook has ${formatCount(count)} sheets; the limit is ${formatCount(limits.maxSheets)}. Keep only the sheets to check and upload it again.`, {
    sheets: count,
    limit: limits.maxSheets,
  });
}

/** SheetJS cell/row shapes read from a dense worksheet. */
type DenseRow = (CellLike | null | undefined)[] | null | undefined;

function readSheetJs(bytes: Uint8Array, format: "xlsx" | "xls", limits: SheetLimits): ParsedWorkbook {
  const rowsPerSheet = limits.maxRows + HEADER_SCAN_ROWS + 1;
  let wb: XLSX.WorkBook;
  // SheetJS reports unknown records of damaged files with console.error ("Missing Info for XLS
  // Record 0x2e5"); such noise says nothing to operators. The read is synchronous, so nothing
  // else can log while console.error is silenced.
  const consoleError = console.error;
  console.error = () => {};
  try {
    wb = XLSX.read(bytes, {
      type: "array",
      dense: true,
      // Raw numbers + number formats; dates converted here (cells.ts), independent of the time zone.
      cellDates: false,
      cellNF: true,
      // No formatted text, HTML or formulas: faster, and formulas are never needed (cached values are).
      cellText: false,
      cellHTML: false,
      cellFormula: false,
      cellStyles: false,
      bookVBA: false,
      sheetRows: rowsPerSheet,
    });
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    if (/password|encrypt/i.test(message)) throw encryptedError();
    throw new SheetError("broken_file", `The ${format === "xlsx" ? "workbook" : "Excel 97-2003 workbook"} is damaged and cannot be read. Save it again in Excel and upload the new file.`, {
      reason: message.slice(0, 200),
    });
  } finally {
    console.error = consoleError;
  }
  if (wb.SheetNames.length > limits.maxSheets) throw tooManySheets(wb.SheetNames.length, limits);
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);

  const sheets: ParsedSheet[] = [];
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name] as (XLSX.WorkSheet & { "!data"?: DenseRow[] }) | undefined;
    const data = ws?.["!data"];
    if (!ws || !data) continue;
    const rows: SheetRow[] = [];
    for (let r = 0; r < data.length; r++) {
      const src = data[r];
      if (!src) continue;
      const values: string[] = new Array(src.length);
      let last = -1;
      for (let c = 0; c < src.length; c++) {
        const text = cellText(src[c], date1904);
        values[c] = text;
        if (text !== "") {
          last = c;
          if (text.length > limits.maxCellChars) checkCell(name, r + 1, c, text.length, limits);
        }
      }
      if (last < 0) continue;
      values.length = last + 1;
      rows.push({ row: r + 1, values });
    }
    const sheet = buildSheet(name, rows);
    const fullRef = ws["!fullref"] as string | undefined;
    if (fullRef && fullRef !== ws["!ref"]) {
      // SheetJS stopped at `sheetRows`: the sheet goes on beyond what may be read.
      const lastRow = XLSX.utils.decode_range(fullRef).e.r + 1;
      throw new SheetError("too_many_rows", `Sheet "${name}" goes down to row ${formatCount(lastRow)}; the limit is ${formatCount(limits.maxRows)} data rows. Split it into smaller files.`, {
        sheet: name,
        lastRow,
        limit: limits.maxRows,
      });
    }
    if (!sheet) continue;
    sheets.push(sheet);
  }
  if (sheets.length === 0) throw new SheetError("empty", "The workbook is empty: none of its sheets has any values.");
  checkRowTotal(sheets, limits);
  return { format, sheets };
}
