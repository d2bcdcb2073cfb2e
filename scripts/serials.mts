/**
 * `npm run serials -- FILE [--max N] [--today YYYY-MM-DD]`: checks a serial-tracking sheet
 * (.xlsx, .xls, .csv) against the GS1 / EPCIS rules of lib/files/gs1, without the app: no
 * database, no environment. Every sheet whose headers name a GTIN (or code) and a serial column
 * is checked on its own (duplicates are found within a sheet, not across sheets or uploads).
 *
 * Prints the findings (sheet, row, column, code, message, value; the first `--max`, default
 * 200, then "… N more"), then the count per finding code; the LAST line is exactly one JSON
 * object: {"rows":N,"valid":N,"findings":{"invalid_gtin":N,…,"expired_shipped":N}}, summed over
 * the checked sheets.
 *
 * `--today` fixes "today" for the two-digit-year century rule (GS1 General Specifications §7.12);
 * default: now.
 *
 * Exit codes: 0 when the file was checked (with or without findings); 2 with a message on
 * stderr when the file cannot be read (missing, not a spreadsheet, over a limit) or no sheet
 * has the columns needed.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { basename } from "node:path";
import { readWorkbook, SheetError } from "../lib/files/sheets";
import { SerialChecker, SerialSheetError } from "../lib/files/gs1";
import { SERIAL_FINDING_CODES, type Finding, type ParsedWorkbook, type SerialSummary } from "../lib/files/types";

const USAGE = "Usage: npm run serials -- FILE [--max N] [--today YYYY-MM-DD]   (FILE: .xlsx, .xls or .csv)";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Cell text for one line of the table: control characters shown (GS as <GS>), long text cut. */
function printable(text: string | null, max: number): string {
  if (text === null) return "";
  const t = text.replace(/\u001d/g, "<GS>").replace(/[\u0000-\u001f\u007f]/g, " ");
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { max: { type: "string", default: "200" }, today: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail(USAGE);
  const file = positionals[0];
  const max = Number(values.max);
  if (!Number.isInteger(max) || max < 0) fail(`--max must be a whole number ≥ 0, got "${values.max}"`);
  let today: Date | undefined;
  if (values.today !== undefined) {
    today = new Date(`${values.today}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.today) || Number.isNaN(today.getTime())) fail(`--today must be a date YYYY-MM-DD, got "${values.today}"`);
  }

  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    fail(`Cannot read ${file}: ${e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "it is a directory" : e.message}`);
  }

  let wb: ParsedWorkbook;
  try {
    wb = await readWorkbook(bytes, { filename: basename(file) });
  } catch (err) {
    if (err instanceof SheetError) fail(`${file}: ${err.message} (${err.code})`);
    throw err;
  }

  const findings: Finding[] = [];
  const total: SerialSummary = { rows: 0, valid: 0, findings: Object.fromEntries(SERIAL_FINDING_CODES.map((c) => [c, 0])) as SerialSummary["findings"] };
  const skipped: string[] = [];
  let checked = 0;
  const t0 = performance.now();
  for (const sheet of wb.sheets) {
    let checker: SerialChecker;
    try {
      checker = new SerialChecker(sheet.name, sheet.headers, { today });
    } catch (err) {
      if (err instanceof SerialSheetError) {
        skipped.push(err.message);
        continue;
      }
      throw err;
    }
    for (const row of sheet.rows) checker.addRow(row);
    const r = checker.finish();
    checked++;
    for (const f of r.findings) findings.push(f);
    total.rows += r.summary.rows;
    total.valid += r.summary.valid;
    for (const c of SERIAL_FINDING_CODES) total.findings[c] += r.summary.findings[c];
  }
  const ms = performance.now() - t0;
  if (checked === 0) fail(`${file}: no sheet can be checked for serials.\n${skipped.join("\n")}`);

  const out: string[] = [];
  out.push(`${file}: ${wb.format}, ${checked} sheet${checked === 1 ? "" : "s"} checked, ${total.rows} rows, ${total.valid} valid (${ms.toFixed(0)} ms)`);
  for (const s of skipped) out.push(`Skipped: ${s}`);
  out.push("");
  if (findings.length === 0) out.push("No findings.");
  else {
    const shown = findings.slice(0, max).map((f) => [
      printable(f.sheet, 24),
      String(f.row),
      printable(f.column, 24),
      f.code,
      printable(f.message, 140),
      printable(f.value, 40),
    ]);
    out.push(table(["sheet", "row", "column", "code", "message", "value"], shown));
    if (findings.length > max) out.push(`… ${findings.length - max} more`);
  }
  out.push("");
  out.push(table(["code", "count"], SERIAL_FINDING_CODES.map((c) => [c, String(total.findings[c])])));
  out.push(JSON.stringify({ rows: total.rows, valid: total.valid, findings: total.findings }));
  process.stdout.write(`${out.join("\n")}\n`);
}

await main();
