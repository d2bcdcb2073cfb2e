/**
 * Hostile and broken uploads: each must end in a SheetError with a clear message, quickly,
 * without the process running out of memory. Files are generated here, not stored.
 */
import { strToU8, unzipSync, zipSync } from "fflate";
import zlib from "node:zlib";
import * as XLSX from "xlsx";
import { describe, expect, it } from "vitest";

import { SheetError, readWorkbook, type SheetErrorCode } from "@/lib/files/sheets";
import { guardZip } from "@/lib/files/sheets/zip-guard";
import { resolveLimits, type SheetLimits } from "@/lib/files/sheets/limits";
import { buildZip, crc32, deflatedZeros, randomBytes, rezip, workbookBytes } from "../fixtures/sheets/build";

const MB = 1024 * 1024;
const GB = 1024 * MB;
const text = (s: string) => new TextEncoder().encode(s);

/** Runs readWorkbook and returns the SheetError it must throw (fails the test on anything else). */
async function refusal(bytes: Uint8Array, opts: { filename?: string; limits?: Partial<SheetLimits> } = {}): Promise<SheetError> {
  let result: unknown;
  try {
    result = await readWorkbook(bytes, opts);
  } catch (err) {
    if (err instanceof SheetError) return err;
    throw new Error(`expected a SheetError, got ${(err as Error)?.stack ?? String(err)}`);
  }
  throw new Error(`expected a SheetError, got a workbook: ${JSON.stringify(result).slice(0, 200)}`);
}

async function expectRefusal(bytes: Uint8Array, code: SheetErrorCode, message: RegExp, opts: { filename?: string; limits?: Partial<SheetLimits> } = {}): Promise<SheetError> {
  const err = await refusal(bytes, opts);
  expect({ code: err.code, message: err.message }).toEqual({ code, message: expect.stringMatching(message) });
  return err;
}

/** A small real workbook to take parts from. */
const base = workbookBytes({ Serials: [["GTIN", "Serial"], ["4006381333931", "A1"]] });
const SHEET_PART = "xl/worksheets/sheet1.xml";

describe("ZIP bombs and lying ZIP headers", () => {
  it("an xlsx inflating to 1 GB (honest sizes) is refused before anything is inflated", async () => {
    const bomb = deflatedZeros(1 * GB);
    const bytes = rezip(base, { [SHEET_PART]: { name: SHEET_PART, data: bomb, method: 8, statedSize: 1 * GB } });
    expect(bytes.length).toBeLessThan(2 * MB);
    const err = await expectRefusal(bytes, "zip_bomb", /^The workbook expands to 1 GB when unzipped; the limit is 400 MB\.$/);
    expect(err.details).toMatchObject({ stated: true, limit: 400 * MB });
  });

  it("a run of zeros zipped with fflate's zipSync: refused by ratio, and by total under a lower limit", async () => {
    const parts = unzipSync(base);
    const bytes = zipSync({ ...parts, [SHEET_PART]: new Uint8Array(8 * MB) });
    await expectRefusal(bytes, "zip_bomb", /looks like a ZIP bomb: "xl\/worksheets\/sheet1\.xml" claims to expand [\d,]+ times \(to 8 MB\); the limit is 200 times/);
    await expectRefusal(bytes, "zip_bomb", /^The workbook expands to 8 MB when unzipped; the limit is 4 MB\.$/, { limits: { maxUncompressedBytes: 4 * MB, maxCompressionRatio: 10_000 } });
  });

  it("a 1 GB bomb whose central directory AND local header claim 5,000 bytes: caught while inflating, fast, with bounded memory", async () => {
    const bytes = rezip(base, { [SHEET_PART]: { name: SHEET_PART, data: deflatedZeros(1 * GB), method: 8, statedSize: 5000 } });
    const rssBefore = process.memoryUsage().rss;
    const err = await expectRefusal(bytes, "zip_bomb", /^The workbook's ZIP directory understates its size: "xl\/worksheets\/sheet1\.xml" claims 4\.9 KB but expands to more than \d+(\.\d)? MB\. Files built like this are ZIP bombs; it was not read\.$/);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * MB);
    expect(err.details).toMatchObject({ entry: SHEET_PART, statedBytes: 5000, stated: false });
  });

  it("with the other checks out of the way, the running total stops a lying ZIP", () => {
    const bytes = rezip(base, { [SHEET_PART]: { name: SHEET_PART, data: deflatedZeros(30 * MB), method: 8, statedSize: 5000 } });
    const limits = resolveLimits({ maxUncompressedBytes: 20 * MB, maxCompressionRatio: 1e9, ratioMinBytes: 1e9 });
    let err: unknown;
    try {
      guardZip(bytes, limits);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SheetError);
    expect((err as SheetError).code).toBe("zip_bomb");
    expect((err as SheetError).message).toMatch(/^The workbook expands to more than 20 MB when unzipped, although its ZIP directory claims \d+(\.\d)? KB; the limit is 20 MB\.$/);
  });

  it("a local header claiming 1.5 GB (what SheetJS would allocate) against an honest directory is refused", async () => {
    const xml = unzipSync(base)[SHEET_PART];
    const bytes = rezip(base, {
      [SHEET_PART]: { name: SHEET_PART, data: new Uint8Array(zlib.deflateRawSync(xml)), method: 8, statedSize: xml.length, localStatedSize: 1.5 * GB, crc: crc32(xml) },
    });
    await expectRefusal(bytes, "broken_file", /damaged or incomplete/);
  });

  it("both headers claiming 1.5 GB for a small entry are refused as a bomb (SheetJS would allocate it)", async () => {
    const xml = unzipSync(base)[SHEET_PART];
    const bytes = rezip(base, { [SHEET_PART]: { name: SHEET_PART, data: new Uint8Array(zlib.deflateRawSync(xml)), method: 8, statedSize: 1.5 * GB } });
    await expectRefusal(bytes, "zip_bomb", /expands to 1\.5 GB/);
  });

  it("sizes that lie a little (no bomb) make a broken file", async () => {
    const xml = unzipSync(base)[SHEET_PART];
    const bytes = rezip(base, { [SHEET_PART]: { name: SHEET_PART, data: new Uint8Array(zlib.deflateRawSync(xml)), method: 8, statedSize: xml.length - 10 } });
    const err = await expectRefusal(bytes, "broken_file", /damaged or incomplete/);
    expect(String(err.details.reason)).toMatch(/inflates to \d+ bytes, not the \d+ stated/);
  });

  it("a hidden second directory whose end record sits in the last 21 bytes (where SheetJS looks, a 64 KB-style scan does not) is refused", async () => {
    // SheetJS takes the LAST "PK\x05\x06" scanning back from 4 bytes before the end. Append a
    // second, different ZIP whose end record is cut to 21 bytes: a guard that started its scan
    // 22 bytes before the end would check the first directory while SheetJS read the second.
    const parts = unzipSync(base);
    const hiddenXml = new TextDecoder().decode(parts[SHEET_PART]).replace("A1</v>", "FROM-HIDDEN-DIRECTORY</v>");
    expect(hiddenXml).toContain("FROM-HIDDEN-DIRECTORY");
    const entries = Object.entries({ ...parts, [SHEET_PART]: new TextEncoder().encode(hiddenXml) }).map(([name, data]) => ({
      name,
      data: new Uint8Array(zlib.deflateRawSync(data)),
      method: 8 as const,
      statedSize: data.length,
      crc: crc32(data),
    }));
    const hidden = buildZip(entries, base.length).subarray(0, -1);
    const bytes = new Uint8Array(base.length + hidden.length);
    bytes.set(base);
    bytes.set(hidden, base.length);
    const err = await expectRefusal(bytes, "broken_file", /damaged or incomplete/);
    expect(err.details.reason).toBe("end of central directory missing");
  });

  it("too many entries in the ZIP", async () => {
    const parts: Record<string, Uint8Array> = { ...unzipSync(base) };
    for (let i = 0; i < 50; i++) parts[`xl/media/pad${i}.bin`] = new Uint8Array(1);
    await expectRefusal(zipSync(parts), "zip_bomb", /contains 60 files inside its ZIP container; the limit is 40/, { limits: { maxZipEntries: 40 } });
  });

  it("guard cost is paid once per file and the honest workbook passes it", () => {
    const r = guardZip(base, resolveLimits(), ["xl/workbook.xml"]);
    expect(r.entries.map((e) => e.name)).toContain(SHEET_PART);
    expect(new TextDecoder().decode(r.kept.get("xl/workbook.xml"))).toMatch(/<sheet /);
    expect(r.inflatedBytes).toBe(Object.values(unzipSync(base)).reduce((n, d) => n + d.length, 0));
  });
});

describe("broken, disguised and encrypted files", () => {
  it("a truncated xlsx (upload cut off) is a broken file", async () => {
    await expectRefusal(base.subarray(0, Math.floor(base.length / 2)), "broken_file", /damaged or incomplete.*cut off/, { filename: "serials.xlsx" });
    await expectRefusal(base.subarray(0, base.length - 10), "broken_file", /damaged or incomplete/, { filename: "serials.xlsx" });
  });

  it("corrupted deflate data inside an xlsx is a broken file", async () => {
    const xml = unzipSync(base)[SHEET_PART];
    const data = new Uint8Array(zlib.deflateRawSync(xml));
    data.fill(0xff, 10, 40);
    const bytes = rezip(base, { [SHEET_PART]: { name: SHEET_PART, data, method: 8, statedSize: xml.length } });
    await expectRefusal(bytes, "broken_file", /damaged/);
  });

  it("random bytes named .xlsx are a broken file; unnamed, an unsupported type", async () => {
    const junk = randomBytes(64 * 1024);
    await expectRefusal(junk, "broken_file", /named "upload\.xlsx" but its content is not a spreadsheet/, { filename: "upload.xlsx" });
    await expectRefusal(junk, "unsupported_type", /no known type/);
  });

  it("an image, an HTML page named .csv and a Word document are unsupported types", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0, 0, 0]);
    await expectRefusal(png, "unsupported_type", /^The file is a PNG image, not a spreadsheet\./, { filename: "serials.xlsx" });
    await expectRefusal(text("<html><body><script>alert(1)</script></body></html>"), "unsupported_type", /web page \(HTML\)/, { filename: "data.csv" });
    const docx = zipSync({ "[Content_Types].xml": strToU8("<Types/>"), "word/document.xml": strToU8("<w:document/>") });
    await expectRefusal(docx, "unsupported_type", /Word document/);
  });

  it("a ZIP entry flagged as encrypted", async () => {
    const xml = unzipSync(base)[SHEET_PART];
    const bytes = rezip(base, { [SHEET_PART]: { name: SHEET_PART, data: new Uint8Array(zlib.deflateRawSync(xml)), method: 8, statedSize: xml.length, flags: 1 } });
    await expectRefusal(bytes, "encrypted", /password-protected/);
  });

  it("a password-protected xlsx (OLE2 container with EncryptionInfo and EncryptedPackage)", async () => {
    const cfb = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(cfb, "/EncryptionInfo", new Uint8Array(200).fill(4));
    XLSX.CFB.utils.cfb_add(cfb, "/EncryptedPackage", new Uint8Array(5000).fill(7));
    const bytes = new Uint8Array(XLSX.CFB.write(cfb, { type: "array" }) as ArrayLike<number>);
    await expectRefusal(bytes, "encrypted", /^The workbook is password-protected\. Open it in Excel, remove the password/);
  });

  it("a password-protected xls (BIFF8 FilePass record after the first BOF)", async () => {
    const xls = workbookBytes({ S: [["GTIN"], ["4006381333931"]] }, "biff8");
    const cfb = XLSX.CFB.read(xls, { type: "array" });
    const entry = XLSX.CFB.find(cfb, "Workbook");
    const stream = Uint8Array.from(entry.content as ArrayLike<number>);
    const bofEnd = 4 + (stream[2] | (stream[3] << 8));
    // FilePass (0x002F), 6 bytes: wEncryptionType 0 (XOR obfuscation), key, verifier.
    const filePass = new Uint8Array([0x2f, 0x00, 0x06, 0x00, 0x00, 0x00, 0x34, 0x12, 0x78, 0x56]);
    const patched = new Uint8Array(stream.length + filePass.length);
    patched.set(stream.subarray(0, bofEnd));
    patched.set(filePass, bofEnd);
    patched.set(stream.subarray(bofEnd), bofEnd + filePass.length);
    entry.content = patched;
    entry.size = patched.length;
    const bytes = new Uint8Array(XLSX.CFB.write(cfb, { type: "array" }) as ArrayLike<number>);
    await expectRefusal(bytes, "encrypted", /password-protected/);
  });

  it("a CSV with a quote that never closes", async () => {
    await expectRefusal(text('GTIN,Note\n04012345678901,"open\n04012345678902,x\n'), "broken_file", /^The CSV file has a quote \(\"\) on line 2 that is never closed/);
  });

  it("empty files: no bytes, only blank lines, a workbook of empty sheets", async () => {
    await expectRefusal(new Uint8Array(0), "empty", /empty \(0 bytes\)/);
    await expectRefusal(text("\n\n ,, \n,,\n"), "empty", /no rows with values/);
    await expectRefusal(workbookBytes({ A: XLSX.utils.aoa_to_sheet([]), B: XLSX.utils.aoa_to_sheet([[""]]) }), "empty", /none of its sheets has any values/);
  });
});

describe("size limits", () => {
  it("a file over the byte limit", async () => {
    await expectRefusal(text("GTIN\n" + "04012345678901\n".repeat(200)), "too_large", /^The file is 2\.9 KB; the limit is 1000 bytes\.$/, { limits: { maxFileBytes: 1000 } });
  });

  it("a 5 MB cell in an xlsx and in a CSV", async () => {
    // Letters from a seeded generator: compresses like text, not like a run (which the ratio check would stop first).
    const huge = new TextDecoder().decode(randomBytes(5 * MB).map((b) => 97 + (b % 26)));
    // SheetJS refuses to write more than Excel's 32,767 characters, so the XML is patched.
    const small = workbookBytes({ Notes: [["GTIN", "Note"], ["4006381333931", "PLACEHOLDER"]] });
    const xml = new TextDecoder().decode(unzipSync(small)[SHEET_PART]);
    expect(xml).toContain("PLACEHOLDER");
    const patched = new TextEncoder().encode(xml.replace("PLACEHOLDER", huge));
    const bytes = rezip(small, { [SHEET_PART]: { name: SHEET_PART, data: new Uint8Array(zlib.deflateRawSync(patched)), method: 8, statedSize: patched.length } });
    await expectRefusal(bytes, "cell_too_long", /^Cell B2 on sheet "Notes" holds 5,242,880 characters; the limit is 32,767 \(Excel's own maximum\)\.$/);
    await expectRefusal(text(`GTIN;Note\n04012345678901;ok\n04012345678901;"${huge}"\n`), "cell_too_long", /^Cell B3 on sheet "notes" holds 5,242,880 characters/, { filename: "notes.csv" });
  });

  it("a cell at the limit is fine; one over a lowered limit is not", async () => {
    const atLimit = "y".repeat(32_767);
    const wb = await readWorkbook(workbookBytes({ S: [["Note"], [atLimit]] }));
    expect(wb.sheets[0].rows[0].values[0]).toHaveLength(32_767);
    await expectRefusal(text("Note\nabcdefghijk\n"), "cell_too_long", /Cell A2 .* holds 11 characters; the limit is 10\./, { limits: { maxCellChars: 10 } });
  });

  it("CSV rows: the limit exactly passes, one more fails (counted below the header)", async () => {
    const rows = (n: number) => text("Export of March\nGTIN,Serial\n" + Array.from({ length: n }, (_, i) => `04012345678901,S${i}`).join("\n") + "\n");
    expect((await readWorkbook(rows(1000), { limits: { maxRows: 1000 } })).sheets[0].rows).toHaveLength(1000);
    await expectRefusal(rows(1001), "too_many_rows", /^The file has 1,001 data rows; the limit is 1,000\./, { limits: { maxRows: 1000 } });
  });

  it("a CSV far over the row limit is stopped by the pre-scan, before csv-parse builds its rows", async () => {
    const csv = text("GTIN,Serial\n" + "04012345678901,S\n".repeat(100_000));
    await expectRefusal(csv, "too_many_rows", /^The file has more than 1,000 rows; the limit is 1,000\./, { limits: { maxRows: 1000 } });
  });

  it("xlsx rows: a sheet longer than the limit, and sheets that are too long together", async () => {
    const aoa = (n: number) => [["GTIN", "Serial"], ...Array.from({ length: n }, (_, i) => ["4006381333931", `S${i}`])];
    expect((await readWorkbook(workbookBytes({ S: aoa(100) }), { limits: { maxRows: 100 } })).sheets[0].rows).toHaveLength(100);
    await expectRefusal(workbookBytes({ S: aoa(150) }), "too_many_rows", /^Sheet "S" goes down to row 151; the limit is 100 data rows\./, { limits: { maxRows: 100 } });
    await expectRefusal(workbookBytes({ A: aoa(60), B: aoa(60) }), "too_many_rows", /^The workbook's 2 sheets have 120 data rows; the limit is 100\./, { limits: { maxRows: 100 } });
  });

  it("too many sheets: 51 in an xlsx (default limit 50), 4 in an xls against 3", async () => {
    const many: Record<string, unknown[][]> = {};
    for (let i = 1; i <= 51; i++) many[`S${i}`] = [["GTIN"], ["4006381333931"]];
    await expectRefusal(workbookBytes(many), "too_many_sheets", /^The workbook has 51 sheets; the limit is 50\./);
    const four = { A: [["x"]], B: [["x"]], C: [["x"]], D: [["x"]] };
    await expectRefusal(workbookBytes(four, "biff8"), "too_many_sheets", /has 4 sheets; the limit is 3/, { limits: { maxSheets: 3 } });
  });

  it("a CSV row with 20,000 columns (a line of commas) is refused before parsing", async () => {
    await expectRefusal(text("a" + ",a".repeat(20_000) + "\n"), "too_large", /^Row 1 has more than 16,384 columns; the limit is 16,384/);
  });
});

describe("mutated files never crash or hang the reader", () => {
  const xlsx = workbookBytes({ Serials: [["GTIN", "Serial", "Expiry"], ...Array.from({ length: 50 }, (_, i) => ["4006381333931", `S${i}`, new Date(Date.UTC(2027, 0, 1 + i))])] });
  const xls = workbookBytes({ Serials: [["GTIN", "Serial"], ...Array.from({ length: 50 }, (_, i) => ["4006381333931", `S${i}`])] }, "biff8");

  for (const [label, file] of [["xlsx", xlsx], ["xls", xls]] as const) {
    it(`${label}: 150 copies with random bytes overwritten give a workbook or a SheetError, never another error`, async () => {
      const noise = randomBytes(150 * 8, label === "xlsx" ? 7 : 11);
      const codes = new Map<string, number>();
      for (let i = 0; i < 150; i++) {
        const copy = file.slice();
        for (let k = 0; k < 4; k++) {
          const at = ((noise[i * 8 + k * 2] << 8) | noise[i * 8 + k * 2 + 1]) % copy.length;
          copy[at] = noise[(i * 8 + k * 3) % noise.length] ^ 0x5a;
        }
        let code = "ok";
        try {
          await readWorkbook(copy, { filename: `m.${label}` });
        } catch (err) {
          if (!(err instanceof SheetError)) throw new Error(`mutation ${i}: ${(err as Error).stack}`);
          code = err.code;
        }
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      // Most mutations break the file; some land in data and still read.
      expect(codes.get("broken_file") ?? 0).toBeGreaterThan(0);
    });
  }
});
