/**
 * Finds the serial-tracking columns of a sheet from its header texts, tolerant of case,
 * spacing, punctuation and the usual synonyms ("Serial No.", "Batch/Lot", "Exp. date",
 * "bizStep", "Read point", "Digital Link", …).
 */

/** The fields a serial sheet can have. `code`: one column with an element string / Digital Link / EPC URI. */
export const SERIAL_FIELDS = ["gtin", "serial", "lot", "expiry", "code", "event", "eventTime", "location"] as const;
export type SerialField = (typeof SERIAL_FIELDS)[number];

/** Column index (0-based, into the header array) per field, null when absent; plus headers not used. */
export interface SerialColumnMap {
  columns: Record<SerialField, number | null>;
  /** Header texts that matched no field, or a field already taken by an earlier column. */
  unmapped: string[];
}

/** Lower-case words of a header: `"Product code (GTIN)"` → `["product","code","gtin"]`; camelCase split. */
function words(header: string): string[] {
  return header
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const CODE_WORDS = new Set(["barcode", "element", "elementstring", "link", "digitallink", "uri", "url", "datamatrix", "matrix", "epc", "sgtin", "qr", "2d"]);
const GTIN_WORDS = new Set(["gtin", "gtin14", "gtin13", "gtin12", "gtin8", "ean", "ean13", "upc", "ai01"]);
const EXPIRY_WORDS = new Set(["exp", "expiry", "expiration", "expires", "expire", "expiring", "bbd", "ai17"]);
const TIME_WORDS = new Set(["time", "timestamp", "date", "datetime"]);
const EVENT_WORDS = new Set(["event", "bizstep", "step", "scan", "read"]);
const SERIAL_WORDS = new Set(["serial", "serialnumber", "serialno", "sn", "ai21"]);
const LOT_WORDS = new Set(["lot", "batch", "lotnumber", "batchnumber", "ai10"]);
const LOCATION_WORDS = new Set(["location", "readpoint", "gln", "sgln", "bizlocation"]);

function hasAny(ws: string[], set: ReadonlySet<string>): boolean {
  for (const w of ws) if (set.has(w)) return true;
  return false;
}

/** A header's field and whether the match is strong (a weak one, e.g. "Status" or "Date", yields to a strong one). */
export interface HeaderMatch {
  field: SerialField;
  strong: boolean;
}

/**
 * The field a single header names, or null. Checked in this order so that compound headers
 * land right: expiry ("Exp. date", "Best before"), event time ("Event time", "Timestamp",
 * "Scan date"), code ("Barcode", "GS1", "Digital Link", "URI", "Data matrix", "Element
 * string"), GTIN ("GTIN-14", "Product code (GTIN)"), serial ("Serial No.", "SN", "S/N"),
 * lot ("Batch/Lot"), location ("Read point", "GLN"), event ("Event", "Business step",
 * "bizStep"). Weak matches: "Date"/"Time" alone → event time, "Code"/"Scan" alone → code,
 * "Product code"/"Item code" → GTIN, "Site" → location. "Status" and "Event type" are not
 * business steps (an EU FMD status such as "active", an EPCIS type such as "ObjectEvent") and
 * stay unmapped, so a registry's status column does not turn every row into a finding.
 */
export function classifySerialHeader(header: string): HeaderMatch | null {
  const ws = words(header);
  if (ws.length === 0) return null;
  const joined = ws.join("");
  const strong = (field: SerialField): HeaderMatch => ({ field, strong: true });
  const weak = (field: SerialField): HeaderMatch => ({ field, strong: false });
  if (hasAny(ws, EXPIRY_WORDS) || joined.startsWith("bestbefore") || joined.startsWith("useby")) return strong("expiry");
  const timeish = hasAny(ws, TIME_WORDS);
  if (timeish && (hasAny(ws, EVENT_WORDS) || joined === "timestamp" || joined === "datetime")) return strong("eventTime");
  if (hasAny(ws, CODE_WORDS) || joined === "gs1" || joined === "gs1code" || joined === "gs1string") return strong("code");
  if (hasAny(ws, GTIN_WORDS)) return strong("gtin");
  if (hasAny(ws, SERIAL_WORDS) || joined === "sn" || joined.startsWith("serial")) return strong("serial");
  if (hasAny(ws, LOT_WORDS)) return strong("lot");
  if (hasAny(ws, LOCATION_WORDS) || joined === "readpoint") return strong("location");
  if (joined === "event" || joined === "events" || joined === "businessstep" || joined === "bizstep" || joined === "step" || joined === "eventbizstep") {
    return strong("event");
  }
  if (timeish && ws.length === 1) return weak("eventTime");
  if (joined === "code" || joined === "scan" || joined === "scandata") return weak("code");
  if (joined === "productcode" || joined === "itemcode") return weak("gtin");
  if (joined === "site") return weak("location");
  return null;
}

/**
 * Maps header texts to serial fields (see {@link classifySerialHeader}): the first column with
 * a strong match for a field gets it, else the first weak match; later ones for the same
 * field, and headers naming none, are returned in `unmapped` (as written). Blank headers are
 * ignored. Pure.
 */
export function mapSerialColumns(headers: readonly string[]): SerialColumnMap {
  const columns: Record<SerialField, number | null> = {
    gtin: null, serial: null, lot: null, expiry: null, code: null, event: null, eventTime: null, location: null,
  };
  const matches = headers.map((h) => (h.trim() === "" ? null : classifySerialHeader(h)));
  for (const pass of [true, false]) {
    matches.forEach((m, i) => {
      if (m && m.strong === pass && columns[m.field] === null) columns[m.field] = i;
    });
  }
  const used = new Set(Object.values(columns));
  const unmapped = headers.filter((h, i) => h.trim() !== "" && !used.has(i));
  return { columns, unmapped };
}
