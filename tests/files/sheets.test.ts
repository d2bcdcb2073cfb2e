import * as XLSX from "xlsx";
import { afterEach, describe, expect, it } from "vitest";

import { buildSheet, detectHeaderIndex, matchColumn, normalizeHeader, numberText, readWorkbook, serialToIso } from "@/lib/files/sheets";
import type { SheetRow } from "@/lib/files/types";
import { windows1252, workbookBytes } from "../fixtures/sheets/build";

const text = (s: string) => new TextEncoder().encode(s);

/** A worksheet from cells given by address, e.g. { A1: { t: "n", v: 1 } }. */
function sheetOf(cells: Record<string, XLSX.CellObject>, ref?: string): XLSX.WorkSheet {
  const ws: XLSX.WorkSheet = { ...cells };
  const addrs = Object.keys(cells).map((a) => XLSX.utils.decode_cell(a));
  ws["!ref"] = ref ?? XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: Math.max(...addrs.map((a) => a.r)), c: Math.max(...addrs.map((a) => a.c)) } });
  return ws;
}

describe("numberText", () => {
  it.each([
    [4006381333931, "4006381333931"],
    [10614141000415, "10614141000415"],
    [9007199254740993, "9007199254740992"], // beyond 2^53 the double itself has lost the digit; printed exactly as stored
    [1e21, "1000000000000000000000"],
    [0.1 + 0.2, "0.3"],
    [1e-7, "0.0000001"],
    [-0.5, "-0.5"],
    [12.5, "12.5"],
    [123456.789, "123456.789"],
    [-4006381333931, "-4006381333931"],
    [0, "0"],
  ])("%s → %s", (n, s) => {
    expect(numberText(n)).toBe(s);
    expect(numberText(n)).not.toMatch(/e/i);
  });
});

describe("serialToIso (Excel date serials, 1900 and 1904 systems)", () => {
  it.each([
    [1, false, "1900-01-01"],
    [59, false, "1900-02-28"],
    [60, false, "1900-02-29"], // Excel's fictitious day, kept as Excel shows it
    [61, false, "1900-03-01"],
    [46418, false, "2027-01-31"],
    [45717.35434027778, false, "2025-03-01T08:30:15"],
    [0.5, false, "12:00:00"],
    [0, true, "1904-01-01"],
    [44956, true, "2027-01-31"], // 1904 serials are 1,462 days smaller than 1900 ones
  ])("%s (1904: %s) → %s", (serial, d1904, iso) => {
    expect(serialToIso(serial, d1904)).toBe(iso);
  });

  it("agrees with the calendar from 1900-03-01 to 9999-12-31 (Excel's last date, serial 2958465)", () => {
    const viaDate = (days: number, epoch: number) => new Date(epoch + days * 86_400_000).toISOString().slice(0, 10);
    for (let serial = 61; serial <= 2_958_465; serial += 997) {
      expect(serialToIso(serial, false)).toBe(viaDate(serial, Date.UTC(1899, 11, 30)));
      if (serial <= 2_957_003) expect(serialToIso(serial, true)).toBe(viaDate(serial, Date.UTC(1904, 0, 1))); // 1904 system ends 1,462 days earlier
    }
    expect(serialToIso(2_958_465, false)).toBe("9999-12-31");
    expect(serialToIso(36_585, false)).toBe("2000-02-29");
  });
});

describe("readWorkbook: xlsx and xls cells as text", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  const cells = sheetOf({
    A1: { t: "s", v: "GTIN" },
    B1: { t: "s", v: "GTIN padded" },
    C1: { t: "s", v: "Expiry" },
    D1: { t: "s", v: "Event time" },
    E1: { t: "s", v: "Shipped" },
    F1: { t: "s", v: "Qty" },
    G1: { t: "s", v: "Check" },
    A2: { t: "n", v: 4006381333931 },
    B2: { t: "n", v: 4012345678901, z: "00000000000000" },
    C2: { t: "n", v: 46418, z: "yyyy-mm-dd" },
    D2: { t: "n", v: 45717.35434027778, z: "dd/mm/yyyy hh:mm:ss" },
    E2: { t: "b", v: true },
    F2: { t: "n", v: 0.1 + 0.2 },
    G2: { t: "e", v: 0x2a },
    A3: { t: "n", v: 10614141000415 },
    B3: { t: "n", v: 614141000418, z: "00000000000000" },
    C3: { t: "n", v: 46418, z: "m/d/yy" },
    D3: { t: "n", v: 0.75, z: "h:mm" },
    E3: { t: "b", v: false },
    F3: { t: "n", v: 1e-7 },
    G3: { t: "s", v: "ok" },
  });

  for (const [format, bookType] of [["xlsx", "xlsx"], ["xls", "biff8"]] as const) {
    it(`${format}: GTIN digits, zero-padded GTIN, dates, times, booleans, decimals, errors`, async () => {
      const wb = await readWorkbook(workbookBytes({ Events: cells }, bookType), { filename: `events.${format}` });
      expect(wb.format).toBe(format);
      const [sheet] = wb.sheets;
      expect(sheet.name).toBe("Events");
      expect(sheet.headerRow).toBe(1);
      expect(sheet.headers).toEqual(["GTIN", "GTIN padded", "Expiry", "Event time", "Shipped", "Qty", "Check"]);
      expect(sheet.rows).toEqual([
        { row: 2, values: ["4006381333931", "04012345678901", "2027-01-31", "2025-03-01T08:30:15", "TRUE", "0.3", "#N/A"] },
        { row: 3, values: ["10614141000415", "00614141000418", "2027-01-31", "18:00:00", "FALSE", "0.0000001", "ok"] },
      ]);
    });
  }

  it("dates come out the same in any server time zone", async () => {
    const bytes = workbookBytes({ Events: cells });
    const results: string[][] = [];
    for (const tz of ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati"]) {
      process.env.TZ = tz;
      results.push((await readWorkbook(bytes)).sheets[0].rows[0].values);
    }
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0][2]).toBe("2027-01-31");
  });

  it("a 1904-date-system workbook (old Mac Excel) gets its dates right", async () => {
    const ws = sheetOf({ A1: { t: "s", v: "Expiry" }, A2: { t: "n", v: 44956, z: "yyyy-mm-dd" } });
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, "S");
    wb.Workbook = { WBProps: { date1904: true } };
    const bytes = new Uint8Array(XLSX.write(wb, { type: "array", bookType: "xlsx" }) as ArrayBuffer);
    expect((await readWorkbook(bytes)).sheets[0].rows[0].values).toEqual(["2027-01-31"]);
  });

  it("formulas: the cached value is read, never evaluated", async () => {
    // Cached values deliberately differ from what the formulas would compute.
    const ws = sheetOf({
      A1: { t: "s", v: "Sum" },
      B1: { t: "s", v: "Text" },
      C1: { t: "s", v: "Uncalculated" },
      A2: { t: "n", v: 99, f: "1+1" },
      B2: { t: "s", v: "cached text", f: 'CONCAT("a","b")' },
      C2: { t: "n", f: "NOW()" } as XLSX.CellObject,
    });
    for (const bookType of ["xlsx", "biff8"] as const) {
      const wb = await readWorkbook(workbookBytes({ F: ws }, bookType));
      expect(wb.sheets[0].rows).toEqual([{ row: 2, values: ["99", "cached text", ""] }]);
    }
  });

  it("a sheet that starts at C4 keeps Excel's row numbers; empty sheets are left out", async () => {
    const data = XLSX.utils.sheet_add_aoa(XLSX.utils.aoa_to_sheet([]), [["GTIN", "Serial"], ["4006381333931", "S1"], [], ["4006381333931", "S2"]], { origin: "C4" });
    const wb = await readWorkbook(workbookBytes({ Empty: XLSX.utils.aoa_to_sheet([]), Data: data }));
    expect(wb.sheets.map((s) => s.name)).toEqual(["Data"]);
    expect(wb.sheets[0].headerRow).toBe(4);
    expect(wb.sheets[0].headers).toEqual(["", "", "GTIN", "Serial"]);
    expect(wb.sheets[0].rows).toEqual([
      { row: 5, values: ["", "", "4006381333931", "S1"] },
      { row: 7, values: ["", "", "4006381333931", "S2"] },
    ]);
  });

  it("several sheets: each with its own header", async () => {
    const wb = await readWorkbook(
      workbookBytes({
        Serials: [["GTIN", "Serial"], ["4006381333931", "A"]],
        Employees: [["Staff list 2025"], [], ["Name", "Department", "E-mail"], ["Ada", "QA", "ada@example.com"]],
      }),
    );
    expect(wb.sheets.map((s) => [s.name, s.headerRow, s.headers.length, s.rows.length])).toEqual([
      ["Serials", 1, 2, 1],
      ["Employees", 3, 3, 1],
    ]);
  });
});

describe("readWorkbook: CSV", () => {
  it("keeps every value literal: leading zeros, long digit runs, things that look like numbers or dates", async () => {
    const csv = text("GTIN,Serial,Qty,Expiry\n04012345678901,000123,1.50,2027-01-31\n4006381333931,1E5,-0,31/01/2027\n");
    const wb = await readWorkbook(csv, { filename: "serials.csv" });
    expect(wb).toEqual({
      format: "csv",
      sheets: [
        {
          name: "serials",
          headerRow: 1,
          headers: ["GTIN", "Serial", "Qty", "Expiry"],
          rows: [
            { row: 2, values: ["04012345678901", "000123", "1.50", "2027-01-31"] },
            { row: 3, values: ["4006381333931", "1E5", "-0", "31/01/2027"] },
          ],
        },
      ],
    });
  });

  it("Latin-1 (Windows-1252) CSV from Excel on Windows: Müller, Café and € come out right", async () => {
    const csv = windows1252("Name;Ort;Betrag\r\nMüller;Köln;12 €\r\nCafé Zürich;Genève;3\r\n");
    const wb = await readWorkbook(csv, { filename: "kunden.csv" });
    expect(wb.sheets[0].headers).toEqual(["Name", "Ort", "Betrag"]);
    expect(wb.sheets[0].rows.map((r) => r.values)).toEqual([
      ["Müller", "Köln", "12 €"],
      ["Café Zürich", "Genève", "3"],
    ]);
  });

  it("UTF-8 with BOM: the BOM is not part of the first header", async () => {
    const csv = new Uint8Array([0xef, 0xbb, 0xbf, ...text("GTIN;Lot\n04012345678901;Lösung\n")]);
    const wb = await readWorkbook(csv);
    expect(wb.sheets[0].headers).toEqual(["GTIN", "Lot"]);
    expect(wb.sheets[0].rows[0].values).toEqual(["04012345678901", "Lösung"]);
  });

  it.each([
    ["semicolon", ";"],
    ["tab", "\t"],
    ["pipe", "|"],
  ])("%s-delimited, with quoted delimiters inside values", async (_label, d) => {
    const csv = text(`GTIN${d}Serial${d}Note\n04012345678901${d}A1${d}"x${d}y"\n04012345678901${d}A2${d}plain\n`);
    const wb = await readWorkbook(csv);
    expect(wb.sheets[0].headers).toEqual(["GTIN", "Serial", "Note"]);
    expect(wb.sheets[0].rows.map((r) => r.values)).toEqual([
      ["04012345678901", "A1", `x${d}y`],
      ["04012345678901", "A2", "plain"],
    ]);
  });

  it("an Excel 'sep=;' line sets the delimiter and is not a row", async () => {
    const wb = await readWorkbook(text("sep=;\nGTIN;Serial\n04012345678901;A,1\n"));
    expect(wb.sheets[0]).toMatchObject({ headerRow: 1, headers: ["GTIN", "Serial"], rows: [{ row: 2, values: ["04012345678901", "A,1"] }] });
  });

  it("row numbers are Excel's: a quoted line break stays in its row, blank lines count", async () => {
    const csv = text('Serialisation export — March\n\nGTIN,Serial,Note\n04012345678901,A1,"two\nlines"\n\n04012345678901,A2,\n,,\n');
    const sheet = (await readWorkbook(csv)).sheets[0];
    expect(sheet.headerRow).toBe(3);
    expect(sheet.rows).toEqual([
      { row: 4, values: ["04012345678901", "A1", "two\nlines"] },
      { row: 6, values: ["04012345678901", "A2", ""] },
    ]);
  });

  it("UTF-16LE text with BOM (Excel's 'Unicode Text')", async () => {
    const s = "GTIN\tSerial\r\n04012345678901\tÄ1\r\n";
    const bytes = new Uint8Array(2 + s.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < s.length; i++) {
      bytes[2 + i * 2] = s.charCodeAt(i) & 0xff;
      bytes[3 + i * 2] = s.charCodeAt(i) >> 8;
    }
    expect((await readWorkbook(bytes)).sheets[0].rows[0].values).toEqual(["04012345678901", "Ä1"]);
  });

  it("a one-column list works (no delimiter to find)", async () => {
    const sheet = (await readWorkbook(text("GTIN\n04012345678901\n04012345678902\n"), { filename: "gtins.csv" })).sheets[0];
    expect(sheet.headers).toEqual(["GTIN"]);
    expect(sheet.rows.map((r) => r.values[0])).toEqual(["04012345678901", "04012345678902"]);
  });
});

describe("header detection", () => {
  const rows = (...r: string[][]): SheetRow[] => r.map((values, i) => ({ row: i + 1, values }));

  it("skips title rows above the header", () => {
    const r = rows(["Serialisation export — March"], ["Generated 2025-03-31", "", "", "page 1"], ["GTIN", "Serial", "Lot", "Expiry"], ["04012345678901", "A1", "L1", "2027-01-31"]);
    expect(detectHeaderIndex(r)).toBe(2);
  });

  it("a title with two cells above a wide header is still a title", () => {
    const r = rows(["Serial export", "March"], ["GTIN", "Serial", "Lot", "Expiry", "Event"], ["04012345678901", "A1", "L1", "2027-01-31", "shipping"]);
    expect(detectHeaderIndex(r)).toBe(1);
  });

  it("an all-text sheet (names) takes the first full row as header", () => {
    const r = rows(["Employees"], ["Name", "Department", "E-mail"], ["Ada Lovelace", "QA", "ada@example.com"], ["Alan Turing", "IT", "alan@example.com"]);
    expect(detectHeaderIndex(r)).toBe(1);
  });

  it("a header with an empty column is still the header", () => {
    const r = rows(["GTIN", "", "Lot", "Expiry"], ["04012345678901", "x", "L1", "2027-01-31"]);
    expect(detectHeaderIndex(r)).toBe(0);
  });

  it("numbers are not a header: a sheet without one falls back to its widest early row", () => {
    const r = rows(["04012345678901", "1", "2027-01-31"], ["04012345678902", "2", "2027-02-28"]);
    expect(detectHeaderIndex(r)).toBe(0);
  });

  it("buildSheet aligns rows to the header: cut, padded, blank rows dropped", () => {
    const sheet = buildSheet("S", [
      { row: 2, values: ["Export"] },
      { row: 4, values: ["GTIN", "Serial", "Lot "] },
      { row: 5, values: ["04012345678901", "A1"] },
      { row: 6, values: ["", "  ", ""] },
      { row: 7, values: ["04012345678901", "A2", "L2", "extra"] },
    ]);
    expect(sheet).toEqual({
      name: "S",
      headerRow: 4,
      headers: ["GTIN", "Serial", "Lot"],
      rows: [
        { row: 5, values: ["04012345678901", "A1", ""] },
        { row: 7, values: ["04012345678901", "A2", "L2"] },
      ],
    });
    expect(buildSheet("Blank", [{ row: 1, values: ["", " "] }])).toBeNull();
  });
});

describe("normalizeHeader and matchColumn", () => {
  it.each([
    ["Product code (GTIN)", "product code gtin"],
    ["  Serial   number ", "serial number"],
    ["serial_number", "serial number"],
    ["SerialNumber", "serial number"],
    ["Expiry date [YYYY-MM-DD]", "expiry date yyyy mm dd"],
    ["Gültig bis", "gultig bis"],
    ["Lot/Batch #", "lot batch"],
  ])("%s → %s", (input, out) => {
    expect(normalizeHeader(input)).toBe(out);
  });

  const headers = ["Product code (GTIN)", "Serial no.", "Batch / Lot", "Expiry date", "GTIN check"];
  it("exact normalized match first, then a synonym contained as whole words", () => {
    expect(matchColumn(headers, ["gtin", "product code"])).toBe(0); // no exact; "gtin" inside header 0 comes before header 4
    expect(matchColumn(["GTIN check", "GTIN"], ["gtin"])).toBe(1); // exact beats contained
    expect(matchColumn(headers, ["serial number", "serial no", "serial"])).toBe(1);
    expect(matchColumn(headers, ["lot", "batch"])).toBe(2);
    expect(matchColumn(headers, ["expiry", "expiration date", "best before"])).toBe(3);
  });

  it("whole words only, and -1 when nothing matches", () => {
    expect(matchColumn(["Lottery"], ["lot"])).toBe(-1);
    expect(matchColumn(headers, ["location", "read point"])).toBe(-1);
    expect(matchColumn([], ["gtin"])).toBe(-1);
  });
});
