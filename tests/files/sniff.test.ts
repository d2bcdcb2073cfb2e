import { strToU8, zipSync } from "fflate";
import * as XLSX from "xlsx";
import { describe, expect, it } from "vitest";

import { isAllowedFor, mimeMatches, sniffContent, type Sniffed } from "@/lib/files/sheets";
import { cfbEntryNames } from "@/lib/files/sheets/sniff";
import { windows1252, workbookBytes } from "../fixtures/sheets/build";

/** Bytes from numbers and binary strings ("\x89PNG"). */
const bytes = (...parts: (number | string)[]) => {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else for (const ch of p) out.push(ch.charCodeAt(0));
  }
  return new Uint8Array(out);
};
const padTo = (u: Uint8Array, n: number) => {
  const out = new Uint8Array(Math.max(n, u.length));
  out.set(u);
  return out;
};
const text = (s: string) => new TextEncoder().encode(s);

const PNG = padTo(bytes(0x89, "PNG\r\n\x1a\n", 0, 0, 0, 13, "IHDR", 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0), 64);
const JPEG = padTo(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, "JFIF", 0, 1, 1), 64);
const GIF = padTo(bytes("GIF89a", 1, 0, 1, 0, 0x80, 0, 0), 64);
const WEBP = padTo(bytes("RIFF", 0x24, 0, 0, 0, "WEBPVP8 ", 0x18, 0, 0, 0), 64);
const PDF = text("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n");
const ELF = padTo(bytes(0x7f, "ELF", 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0), 64);
const PE = padTo(bytes("MZ", 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff), 128);

const XLSX_BYTES = workbookBytes({ Serials: [["GTIN", "Serial"], ["04012345678901", "A1"]] });
const XLS_BYTES = workbookBytes({ Serials: [["GTIN", "Serial"], ["04012345678901", "A1"]] }, "biff8");

describe("sniffContent: binary types by content", () => {
  it.each([
    ["PNG", PNG, "image/png", "png", "image"],
    ["JPEG", JPEG, "image/jpeg", "jpg", "image"],
    ["GIF", GIF, "image/gif", "gif", "image"],
    ["WebP", WEBP, "image/webp", "webp", "image"],
    ["PDF", PDF, "application/pdf", "pdf", "pdf"],
    ["ELF executable", ELF, "application/x-elf", "elf", "other"],
    ["PE executable", PE, "application/x-msdownload", "exe", "other"],
  ])("%s", async (_label, head, mime, ext, family) => {
    expect(await sniffContent(head)).toEqual({ mime, ext, family });
  });

  it("an xlsx written by SheetJS is a sheet, whole or from its first 64 KB", async () => {
    const expected = { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ext: "xlsx", family: "sheet" };
    expect(await sniffContent(XLSX_BYTES)).toEqual(expected);
    expect(await sniffContent(XLSX_BYTES.subarray(0, 64 * 1024))).toEqual(expected);
  });

  it("an xlsx is an xlsx even when named .png or .csv (the name is only a hint for text)", async () => {
    expect((await sniffContent(XLSX_BYTES, { filename: "photo.png" }))?.ext).toBe("xlsx");
    expect((await sniffContent(XLSX_BYTES, { filename: "data.csv" }))?.ext).toBe("xlsx");
  });

  it("an xls (BIFF8 in an OLE2 compound file) is a sheet; so is BIFF5", async () => {
    expect(await sniffContent(XLS_BYTES)).toEqual({ mime: "application/vnd.ms-excel", ext: "xls", family: "sheet" });
    expect(cfbEntryNames(XLS_BYTES).has("Workbook")).toBe(true);
    const biff5 = workbookBytes({ S: [["a"]] }, "biff5");
    expect((await sniffContent(biff5))?.ext).toBe("xls");
  });

  it("a password-protected Office file (OLE2 with EncryptedPackage) is marked encrypted and not a sheet", async () => {
    const cfb = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(cfb, "/EncryptionInfo", new Uint8Array(200).fill(4));
    XLSX.CFB.utils.cfb_add(cfb, "/EncryptedPackage", new Uint8Array(5000).fill(7));
    const encrypted = new Uint8Array(XLSX.CFB.write(cfb, { type: "array" }) as ArrayLike<number>);
    const s = await sniffContent(encrypted);
    expect(s).toMatchObject({ family: "other", encrypted: true });
    expect(isAllowedFor("serials", s)).toBe(false);
    expect(isAllowedFor("attachment", s)).toBe(false);
  });

  it("a plain ZIP is an archive; a Word document or a Java archive in a ZIP is not", async () => {
    expect(await sniffContent(zipSync({ "notes.txt": strToU8("hello") }))).toEqual({ mime: "application/zip", ext: "zip", family: "archive" });
    const docx = zipSync({ "[Content_Types].xml": strToU8("<Types/>"), "word/document.xml": strToU8("<w:document/>") });
    expect(await sniffContent(docx)).toMatchObject({ ext: "docx", family: "other" });
    const jar = zipSync({ "META-INF/MANIFEST.MF": strToU8("Manifest-Version: 1.0\n"), "a/B.class": new Uint8Array([0xca, 0xfe, 0xba, 0xbe]) });
    expect(await sniffContent(jar)).toMatchObject({ ext: "jar", family: "other" });
  });

  it("a macro-enabled workbook (xl/vbaProject.bin) is xlsm and allowed nowhere", async () => {
    const xlsm = zipSync({ "xl/workbook.xml": strToU8("<workbook/>"), "xl/vbaProject.bin": new Uint8Array(10) });
    const s = await sniffContent(xlsm);
    expect(s).toMatchObject({ ext: "xlsm", family: "sheet" });
    expect(isAllowedFor("serials", s)).toBe(false);
    expect(isAllowedFor("attachment", s)).toBe(false);
  });

  it("empty input and unknown binary give null", async () => {
    expect(await sniffContent(new Uint8Array(0))).toBeNull();
    expect(await sniffContent(bytes(0, 1, 2, 3, 0, 0, 7, 9, 0, 250, 251))).toBeNull();
  });
});

describe("sniffContent: text", () => {
  it("CSV by delimiter structure (comma, semicolon, tab, pipe)", async () => {
    for (const d of [",", ";", "\t", "|"]) {
      const csv = text(["GTIN", "Serial", "Lot"].join(d) + "\n" + ["04012345678901", "A1", "L1"].join(d) + "\n");
      expect(await sniffContent(csv)).toEqual({ mime: "text/csv", ext: "csv", family: "text" });
    }
  });

  it("Latin-1 (Windows-1252) CSV is text, not binary", async () => {
    const csv = windows1252("Name;Ort;Betrag\nMüller;Köln;12 €\nCafé;Zürich;3\n");
    expect(await sniffContent(csv)).toEqual({ mime: "text/csv", ext: "csv", family: "text" });
  });

  it("a CSV starting with BM or MZ is text, not a bitmap or a program (weak 2-byte magics lose to text)", async () => {
    expect((await sniffContent(text("BMW;Model\nX5;2024\n")))?.ext).toBe("csv");
    expect((await sniffContent(text("MZ-Nummer,Menge\n1,2\n")))?.ext).toBe("csv");
  });

  it("prose is txt; the file name is a hint between text flavours", async () => {
    const prose = text("The scanner in hall 3 stopped working this morning.\nPlease send someone.\n");
    expect(await sniffContent(prose)).toEqual({ mime: "text/plain", ext: "txt", family: "text" });
    expect(await sniffContent(prose, { filename: "scanner.log" })).toEqual({ mime: "text/plain", ext: "log", family: "text" });
    expect(await sniffContent(text("04012345678901\n04012345678902\n"), { filename: "gtins.csv" })).toMatchObject({ ext: "csv" });
  });

  it("a log with bracketed timestamps is not JSON; a JSON document is", async () => {
    expect((await sniffContent(text("[2025-03-01 08:00:01] INFO start\n[2025-03-01 08:00:02] WARN slow\n")))?.ext).not.toBe("json");
    expect(await sniffContent(text('{"serials":["A1","A2"]}'))).toEqual({ mime: "application/json", ext: "json", family: "text" });
  });

  it("beyond the sniffed head: a long JSON array is JSON, a long bracketed log is not, a long CSV is CSV", async () => {
    const bigJson = text(JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ serial: `S${i}` }))));
    expect(bigJson.length).toBeGreaterThan(64 * 1024);
    expect((await sniffContent(bigJson))?.ext).toBe("json");
    const bigLog = text("[2025-03-01 08:00:01] INFO scanner ok\n".repeat(5000));
    expect((await sniffContent(bigLog))?.ext).toBe("txt");
    const bigCsv = text("GTIN;Serial\n" + "04012345678901;S1\n".repeat(10_000));
    expect((await sniffContent(bigCsv))?.ext).toBe("csv");
  });

  it("HTML, SVG and XML are 'other' (script risk), even named .txt or .png", async () => {
    const html = text("  <!DOCTYPE html><html><body><script>alert(1)</script></body></html>");
    expect(await sniffContent(html, { filename: "notes.txt" })).toEqual({ mime: "text/html", ext: "html", family: "other" });
    expect((await sniffContent(text("<script>fetch('/api')</script>")))?.ext).toBe("html");
    const svg = text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(await sniffContent(svg, { filename: "logo.png" })).toEqual({ mime: "image/svg+xml", ext: "svg", family: "other" });
    expect(await sniffContent(text('<?xml version="1.0"?><order/>'))).toMatchObject({ ext: "xml", family: "other" });
  });

  it("UTF-16 text with a BOM (Excel's 'Unicode Text') is text", async () => {
    const s = "GTIN\tSerial\n04012345678901\tA1\n";
    const utf16 = new Uint8Array(2 + s.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < s.length; i++) utf16[2 + i * 2] = s.charCodeAt(i);
    expect(await sniffContent(utf16)).toMatchObject({ family: "text", ext: "csv" });
  });
});

describe("isAllowedFor", () => {
  const s = (ext: string, family: Sniffed["family"], mime = "x/y"): Sniffed => ({ ext, family, mime });
  it.each([
    ["serials", s("xlsx", "sheet"), true],
    ["compliance", s("xls", "sheet"), true],
    ["employees", s("csv", "text"), true],
    ["serials", s("txt", "text"), false],
    ["serials", s("png", "image"), false],
    ["serials", s("zip", "archive"), false],
    ["serials", s("pdf", "pdf"), false],
    ["attachment", s("png", "image"), true],
    ["attachment", s("jpg", "image"), true],
    ["attachment", s("gif", "image"), true],
    ["attachment", s("webp", "image"), true],
    ["attachment", s("pdf", "pdf"), true],
    ["attachment", s("txt", "text"), true],
    ["attachment", s("log", "text"), true],
    ["attachment", s("json", "text"), true],
    ["attachment", s("csv", "text"), true],
    ["attachment", s("xlsx", "sheet"), true],
    ["attachment", s("xls", "sheet"), true],
    ["attachment", s("zip", "archive"), true],
    ["attachment", s("bmp", "image"), false],
    ["attachment", s("html", "other"), false],
    ["attachment", s("svg", "other"), false],
    ["attachment", s("exe", "other"), false],
    ["attachment", s("elf", "other"), false],
    ["attachment", s("xlsm", "sheet"), false],
    ["attachment", s("7z", "archive"), false],
  ] as const)("%s accepts %o: %s", (kind, sniffed, allowed) => {
    expect(isAllowedFor(kind, sniffed)).toBe(allowed);
  });

  it("null (unknown content) is never allowed", () => {
    expect(isAllowedFor("attachment", null)).toBe(false);
  });

  it("works on real sniffed files end to end", async () => {
    expect(isAllowedFor("serials", await sniffContent(XLSX_BYTES))).toBe(true);
    expect(isAllowedFor("serials", await sniffContent(PNG))).toBe(false);
    expect(isAllowedFor("attachment", await sniffContent(PNG))).toBe(true);
    expect(isAllowedFor("attachment", await sniffContent(text("<html><script>x()</script></html>")))).toBe(false);
    expect(isAllowedFor("attachment", await sniffContent(ELF))).toBe(false);
  });
});

describe("mimeMatches", () => {
  const csv: Sniffed = { mime: "text/csv", ext: "csv", family: "text" };
  const jpeg: Sniffed = { mime: "image/jpeg", ext: "jpg", family: "image" };
  const xlsx: Sniffed = { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ext: "xlsx", family: "sheet" };
  const xls: Sniffed = { mime: "application/vnd.ms-excel", ext: "xls", family: "sheet" };
  const zip: Sniffed = { mime: "application/zip", ext: "zip", family: "archive" };

  it.each([
    ["text/csv", csv, true],
    ["text/plain", csv, true],
    ["text/csv; charset=utf-8", csv, true],
    ["application/vnd.ms-excel", csv, true],
    ["application/octet-stream", csv, true],
    ["", csv, true],
    ["image/png", csv, false],
    ["image/jpeg", jpeg, true],
    ["image/jpg", jpeg, true],
    ["image/png", jpeg, false],
    ["application/octet-stream", jpeg, true],
    ["APPLICATION/VND.OPENXMLFORMATS-OFFICEDOCUMENT.SPREADSHEETML.SHEET", xlsx, true],
    ["application/vnd.ms-excel", xlsx, true],
    ["application/zip", xlsx, true],
    ["text/csv", xlsx, false],
    ["application/vnd.ms-excel", xls, true],
    ["application/x-msexcel", xls, true],
    ["application/pdf", xls, false],
    ["application/x-zip-compressed", zip, true],
    ["image/png", zip, false],
  ] as const)("declared %s vs sniffed %o: %s", (declared, sniffed, ok) => {
    expect(mimeMatches(declared, sniffed)).toBe(ok);
  });
});
