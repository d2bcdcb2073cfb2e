/**
 * Content sniffing: what an uploaded file IS, from its bytes, never from its name or the
 * Content-Type the client sent. Binary formats by magic numbers (file-type 21) and, for ZIP and
 * OLE2/CFB containers, by the names of the entries inside; text by encoding checks, with the
 * file name only as a hint between text flavours (csv/txt/log/json).
 *
 * HTML, SVG and XML come out as family "other": a browser can run script in them, so they are
 * never accepted, whatever the upload kind. The download route should still send
 * `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff` for every file.
 */
import { fileTypeFromBuffer } from "file-type";

import type { UploadKind } from "../types";
import { decodeWindows1252, detectDelimiter, detectTextEncoding, type TextEncodingName } from "./text";
import { readZipDirectory } from "./zip-guard";

export type FileFamily = "image" | "pdf" | "sheet" | "text" | "archive" | "other";

/**
 * A sniffed type: the canonical MIME type, the usual extension (no dot) and the family.
 * `encrypted` marks a password-protected Office file (an OLE2 container holding an
 * `EncryptedPackage`): it cannot be read, so it is not allowed for any kind.
 */
export interface Sniffed {
  mime: string;
  ext: string;
  family: FileFamily;
  encrypted?: boolean;
}

/** Bytes to pass as `head`: enough for ZIP entry names and the first CFB directory sectors. */
export const SNIFF_HEAD_BYTES = 64 * 1024;

export const MIME = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xlsm: "application/vnd.ms-excel.sheet.macroenabled.12",
  xls: "application/vnd.ms-excel",
  csv: "text/csv",
  txt: "text/plain",
  json: "application/json",
  zip: "application/zip",
  pdf: "application/pdf",
  html: "text/html",
  svg: "image/svg+xml",
  xml: "application/xml",
  cfb: "application/x-cfb",
} as const;

const SHEET = (ext: "xlsx" | "xls" | "xlsm"): Sniffed => ({ mime: MIME[ext], ext, family: "sheet" });

/**
 * ZIP entry names: from the central directory when the whole file is there (`complete`), else
 * by walking the local headers inside the head as far as they go.
 */
function zipEntryNames(head: Uint8Array): { names: string[]; complete: boolean } {
  try {
    return { names: readZipDirectory(head).map((e) => e.name), complete: true };
  } catch {
    const names: string[] = [];
    const dec = new TextDecoder();
    let p = 0;
    while (p + 30 <= head.length && head[p] === 0x50 && head[p + 1] === 0x4b && head[p + 2] === 3 && head[p + 3] === 4) {
      const flags = head[p + 6] | (head[p + 7] << 8);
      const csz = (head[p + 18] | (head[p + 19] << 8) | (head[p + 20] << 16) | (head[p + 21] << 24)) >>> 0;
      const nameLen = head[p + 26] | (head[p + 27] << 8);
      const extraLen = head[p + 28] | (head[p + 29] << 8);
      if (p + 30 + nameLen > head.length) break;
      names.push(dec.decode(head.subarray(p + 30, p + 30 + nameLen)));
      if (flags & 8) break; // sizes follow the data: cannot skip to the next header
      p += 30 + nameLen + extraLen + csz;
    }
    return { names, complete: false };
  }
}

/**
 * Classifies a ZIP by its entries (ECMA-376 part names, Java archives) and file-type's verdict
 * (which reads `[Content_Types].xml` when it is within reach). With the whole directory an xlsx
 * needs `xl/workbook.xml`; from a head, any `xl/` part will do.
 */
function classifyZip({ names, complete }: { names: string[]; complete: boolean }, found: { ext: string; mime: string } | undefined): Sniffed {
  const fileTypeExt = found?.ext;
  const has = (n: string) => names.includes(n);
  const some = (prefix: string) => names.some((n) => n.startsWith(prefix));
  const macro = some("xl/vbaProject") || fileTypeExt === "xlsm";
  if (has("xl/workbook.bin")) return { mime: "application/vnd.ms-excel.sheet.binary.macroenabled.12", ext: "xlsb", family: "other" };
  if (has("xl/workbook.xml") || fileTypeExt === "xlsx" || fileTypeExt === "xlsm" || (!complete && some("xl/"))) return SHEET(macro ? "xlsm" : "xlsx");
  if (some("word/") || fileTypeExt === "docx") return { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ext: "docx", family: "other" };
  if (some("ppt/") || fileTypeExt === "pptx") return { mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation", ext: "pptx", family: "other" };
  if (found && found.ext !== "zip") return { mime: found.mime, ext: found.ext, family: "other" };
  if (has("META-INF/MANIFEST.MF") || names.some((n) => /^classes\d*\.dex$/.test(n))) return { mime: "application/java-archive", ext: "jar", family: "other" };
  return { mime: MIME.zip, ext: "zip", family: "archive" };
}

/**
 * Names in an OLE2/CFB container (MS-CFB 2.6), found by scanning 128-byte-aligned slots for
 * directory entries (name length ≤ 64 bytes, UTF-16LE name ending in NUL, object type storage,
 * stream or root, colour red/black). Works on a head without following FAT chains.
 */
export function cfbEntryNames(b: Uint8Array): Set<string> {
  const names = new Set<string>();
  for (let o = 512; o + 128 <= b.length; o += 128) {
    const len = b[o + 64] | (b[o + 65] << 8);
    const type = b[o + 66];
    if (len < 4 || len > 64 || len % 2 || (type !== 1 && type !== 2 && type !== 5) || b[o + 67] > 1) continue;
    if (b[o + len - 2] !== 0 || b[o + len - 1] !== 0) continue;
    let name = "";
    let ok = true;
    for (let i = 0; i < len - 2; i += 2) {
      const cu = b[o + i] | (b[o + i + 1] << 8);
      if (cu === 0) {
        ok = false;
        break;
      }
      name += String.fromCharCode(cu);
    }
    if (ok) names.add(name);
  }
  return names;
}

function classifyCfb(b: Uint8Array): Sniffed {
  const names = cfbEntryNames(b);
  if (names.has("EncryptedPackage") || names.has("EncryptionInfo")) return { mime: MIME.cfb, ext: "cfb", family: "other", encrypted: true };
  if (names.has("Workbook") || names.has("Book")) return SHEET("xls");
  if (names.has("WordDocument")) return { mime: "application/msword", ext: "doc", family: "other" };
  if (names.has("PowerPoint Document")) return { mime: "application/vnd.ms-powerpoint", ext: "ppt", family: "other" };
  return { mime: MIME.cfb, ext: "cfb", family: "other" };
}

/**
 * Markup a browser would render: the WHATWG MIME Sniffing Standard's HTML patterns (§7.1,
 * "rules for identifying an unknown MIME type"), plus SVG and other XML.
 */
function classifyMarkup(text: string): Sniffed | null {
  const t = text.replace(/^[\uFEFF\s]+/, "");
  if (!t.startsWith("<")) return null;
  const head = t.slice(0, 4096).toLowerCase();
  if (/^<svg[\s>/]/.test(head) || (/^<(\?xml|!doctype svg|!--)/.test(head) && /<svg[\s>/]/.test(head))) return { mime: MIME.svg, ext: "svg", family: "other" };
  if (/^<(!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p)[\s>]/.test(head) || /^<!--/.test(head) || /<html[\s>]/.test(head)) {
    return { mime: MIME.html, ext: "html", family: "other" };
  }
  return { mime: MIME.xml, ext: "xml", family: "other" };
}

const extOf = (filename?: string) => (filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? "");

function classifyText(head: Uint8Array, encoding: TextEncodingName, filename?: string): Sniffed {
  const text = encoding === "windows-1252" ? decodeWindows1252(head) : new TextDecoder(encoding).decode(head);
  const markup = classifyMarkup(text);
  if (markup) return markup;
  const ext = extOf(filename);
  const truncated = head.length >= SNIFF_HEAD_BYTES;
  const trimmed = text.trim();
  if (/^[[{]/.test(trimmed)) {
    // Whole: it must parse. Cut off: an object with a key or an array of objects/arrays
    // (a log line "[2025-03-01 08:00] …" is neither).
    let json = ext === "json" || (truncated && /^(\{\s*"[^"\n]*"\s*:|\[\s*[[{])/.test(trimmed));
    if (!json && !truncated) {
      try {
        JSON.parse(trimmed);
        json = true;
      } catch {
        json = false;
      }
    }
    if (json) return { mime: MIME.json, ext: "json", family: "text" };
  }
  if (ext === "csv" || ext === "tsv") return { mime: MIME.csv, ext: "csv", family: "text" };
  if (ext === "log") return { mime: MIME.txt, ext: "log", family: "text" };
  if (ext !== "txt" && detectDelimiter(text, truncated)) return { mime: MIME.csv, ext: "csv", family: "text" };
  return { mime: MIME.txt, ext: "txt", family: "text" };
}

/** Families of file-type results that are not containers or markup. */
function familyOfMime(mime: string): FileFamily {
  if (mime.startsWith("image/")) return "image";
  if (["application/x-7z-compressed", "application/gzip", "application/x-tar", "application/x-rar-compressed", "application/x-bzip2", "application/x-xz"].includes(mime)) return "archive";
  return "other";
}

/**
 * Sniffs a file's type from its first bytes (pass the whole file or at least its first
 * `SNIFF_HEAD_BYTES`; for an xlsx whose `[Content_Types].xml` is stored last, as SheetJS writes
 * it, only the whole file tells xlsx from a plain ZIP when the entry names are beyond the head).
 * `opts.filename` is a hint between text flavours only (csv/tsv, log, txt, json); it never turns
 * binary into text or text into a workbook.
 *
 * Returns null for empty input and for binary content of no known type. Text wins over weak
 * 2-byte magics (a CSV starting "BM…" is not a bitmap, one starting "MZ…" not a program): a head
 * without NULs that decodes as text is text, except for PDF, PNG, JPEG, GIF and WebP magics.
 */
export async function sniffContent(head: Uint8Array, opts: { filename?: string } = {}): Promise<Sniffed | null> {
  if (head.length === 0) return null;
  // Text is judged on the first SNIFF_HEAD_BYTES, the same whether the caller passes a head or
  // the whole file (and a 50 MB CSV is not decoded twice).
  const textHead = head.length > SNIFF_HEAD_BYTES ? head.subarray(0, SNIFF_HEAD_BYTES) : head;
  const encoding = detectTextEncoding(textHead);
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (found?.ext === "pdf") return { mime: MIME.pdf, ext: "pdf", family: "pdf" };
  // Magics of 3+ specific bytes win even over text-looking bytes.
  if (found && ["png", "gif", "webp"].includes(found.ext)) return { mime: found.mime, ext: found.ext, family: "image" };
  if (found?.ext === "jpg") return { mime: "image/jpeg", ext: "jpg", family: "image" };
  if (encoding) return classifyText(textHead, encoding, opts.filename);
  if (!found) return null;
  if (found.mime === MIME.zip || found.mime.startsWith("application/vnd.openxmlformats") || found.ext === "xlsm" || found.ext === "docm" || found.ext === "pptm") {
    return classifyZip(zipEntryNames(head), found);
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) return classifyZip(zipEntryNames(head), found);
  if (found.ext === "cfb" || found.ext === "msi") return classifyCfb(head);
  if (found.ext === "xml") return { mime: MIME.xml, ext: "xml", family: "other" };
  return { mime: found.mime, ext: found.ext, family: familyOfMime(found.mime) };
}

const ATTACHMENT_EXTS = new Set(["png", "jpg", "gif", "webp", "pdf", "txt", "csv", "json", "log", "xlsx", "xls", "zip"]);
const SHEET_EXTS = new Set(["xlsx", "xls", "csv"]);

/**
 * Whether a sniffed type may be uploaded as `kind`. Sheet kinds (serials, compliance,
 * employees) take xlsx, xls and csv only; attachments take PNG, JPEG, GIF, WebP, PDF, plain
 * text (txt, csv, json, log), xlsx, xls and ZIP. Never HTML, SVG, XML, executables,
 * macro-enabled workbooks (xlsm) or password-protected files. Null (unknown) is never allowed.
 */
export function isAllowedFor(kind: UploadKind, sniffed: Sniffed | null): boolean {
  if (!sniffed || sniffed.encrypted || sniffed.family === "other") return false;
  return kind === "attachment" ? ATTACHMENT_EXTS.has(sniffed.ext) : SHEET_EXTS.has(sniffed.ext);
}

/** Declared types that say nothing ("send me bytes"): accepted for any sniffed type. */
const GENERIC = new Set(["", "application/octet-stream", "binary/octet-stream", "application/binary", "application/unknown", "application/x-unknown-content-type"]);

/** Other names browsers and operating systems give each sniffed extension. */
const ALIASES: Record<string, readonly string[]> = {
  jpg: ["image/jpeg", "image/jpg", "image/pjpeg"],
  png: ["image/png", "image/x-png", "image/apng"],
  gif: ["image/gif"],
  webp: ["image/webp"],
  pdf: ["application/pdf", "application/x-pdf", "application/acrobat"],
  // Windows registers .csv as Excel's, so Chrome/Edge on Windows declare a CSV as application/vnd.ms-excel.
  csv: ["text/csv", "application/csv", "text/x-csv", "application/x-csv", "text/comma-separated-values", "text/x-comma-separated-values", "text/tab-separated-values", "application/vnd.ms-excel"],
  json: ["application/json", "text/json", "application/x-json"],
  xlsx: [MIME.xlsx, "application/vnd.ms-excel", "application/zip", "application/x-zip-compressed"],
  xlsm: [MIME.xlsm, "application/vnd.ms-excel.sheet.macroenabled", MIME.xlsx, "application/vnd.ms-excel"],
  xls: [MIME.xls, "application/msexcel", "application/x-msexcel", "application/x-ms-excel", "application/x-excel", "application/excel", "application/xls", "application/x-xls"],
  zip: ["application/zip", "application/x-zip-compressed", "application/x-zip", "multipart/x-zip"],
};

/**
 * Whether the Content-Type a client declared fits the sniffed content. Parameters
 * (`; charset=…`) and case are ignored. Fits: a generic type (application/octet-stream, empty);
 * the same type or a known alias (image/jpg for JPEG, application/x-zip-compressed for ZIP,
 * application/vnd.ms-excel for a CSV — what Windows browsers send); any `text/*` for text
 * content. Does not fit: another concrete type (declared image/png, sniffed JPEG).
 */
export function mimeMatches(declared: string, sniffed: Sniffed): boolean {
  const d = declared.split(";")[0].trim().toLowerCase();
  if (GENERIC.has(d)) return true;
  if (d === sniffed.mime.toLowerCase()) return true;
  if (ALIASES[sniffed.ext]?.includes(d)) return true;
  return sniffed.family === "text" && d.startsWith("text/");
}
