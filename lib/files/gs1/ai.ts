/**
 * The GS1 Application Identifiers this library understands, with their value formats.
 *
 * Sources: GS1 General Specifications, section 3 (AI definitions: format N = digits,
 * X = set-82 characters, `..n` = up to n) and section 7.8.5 (element strings with a
 * predefined length, which need no FNC1 separator after them: AIs starting 00–04, 11–20,
 * 31–36 and 41). The table holds the AIs seen on trade items, logistic units and in
 * healthcare (incl. the national healthcare reimbursement numbers 710–715), not all ~500 AIs;
 * an AI missing here is reported as unknown instead of being split wrongly.
 */
import { expectedCheckDigit, isAllDigits } from "./check-digit";
import { checkCharset82Value } from "./charset82";
import { parseGs1Date } from "./expiry";

/** One AI: its digits, short title, value format, length bounds and whether its length is predefined (§7.8.5). */
export interface AiSpec {
  ai: string;
  title: string;
  /** `N`: ASCII digits only; `X`: GS1 AI encodable character set 82. */
  format: "N" | "X";
  minLength: number;
  maxLength: number;
  /** Predefined length (§7.8.5 table): no FNC1 separator follows it in an element string. */
  predefined: boolean;
  /** Last digit is a GS1 check digit (§7.9.1). */
  checkDigit?: boolean;
  /** Value is a YYMMDD date (§7.12 century rule; day 00 allowed). */
  date?: boolean;
}

/** Two-digit prefixes whose element strings have a predefined length (§7.8.5), with that data length. */
const PREDEFINED: Record<string, number> = {
  "00": 18, "01": 14, "02": 14, "03": 14, "04": 16,
  "11": 6, "12": 6, "13": 6, "14": 6, "15": 6, "16": 6, "17": 6, "18": 6, "19": 6, "20": 2,
  "31": 6, "32": 6, "33": 6, "34": 6, "35": 6, "36": 6, "41": 13,
};

const TABLE = new Map<string, AiSpec>();

function def(ai: string, title: string, format: "N" | "X", minLength: number, maxLength: number, extra?: Partial<AiSpec>): void {
  TABLE.set(ai, { ai, title, format, minLength, maxLength, predefined: ai.slice(0, 2) in PREDEFINED, ...extra });
}

def("00", "SSCC", "N", 18, 18, { checkDigit: true });
def("01", "GTIN", "N", 14, 14, { checkDigit: true });
def("02", "CONTENT", "N", 14, 14, { checkDigit: true });
def("10", "BATCH/LOT", "X", 1, 20);
for (const [ai, title] of [["11", "PROD DATE"], ["12", "DUE DATE"], ["13", "PACK DATE"], ["15", "BEST BEFORE"], ["16", "SELL BY"], ["17", "USE BY OR EXPIRY"]]) {
  def(ai, title, "N", 6, 6, { date: true });
}
def("20", "VARIANT", "N", 2, 2);
def("21", "SERIAL", "X", 1, 20);
def("22", "CPV", "X", 1, 20);
def("235", "TPX", "X", 1, 28);
def("240", "ADDITIONAL ID", "X", 1, 30);
def("241", "CUST. PART No.", "X", 1, 30);
def("242", "MTO VARIANT", "N", 1, 6);
def("243", "PCN", "X", 1, 20);
def("250", "SECONDARY SERIAL", "X", 1, 30);
def("251", "REF. TO SOURCE", "X", 1, 30);
def("254", "GLN EXTENSION COMPONENT", "X", 1, 20);
def("30", "VAR. COUNT", "N", 1, 8);
def("37", "COUNT", "N", 1, 8);
for (const p of ["310", "311", "312", "313", "314", "315", "316", "320", "321", "322", "323", "324", "325", "326", "327", "328", "329",
  "330", "331", "332", "333", "334", "335", "336", "337", "340", "341", "342", "343", "344", "345", "346", "347", "348", "349",
  "350", "351", "352", "353", "354", "355", "356", "357", "360", "361", "362", "363", "364", "365", "366", "367", "368", "369"]) {
  for (let d = 0; d <= 9; d++) def(`${p}${d}`, "TRADE MEASURE", "N", 6, 6);
}
for (const p of ["390", "392"]) for (let d = 0; d <= 9; d++) def(`${p}${d}`, p === "390" ? "AMOUNT" : "PRICE", "N", 1, 15);
def("400", "ORDER NUMBER", "X", 1, 30);
def("401", "GINC", "X", 1, 30);
def("402", "GSIN", "N", 17, 17, { checkDigit: true });
def("403", "ROUTE", "X", 1, 30);
for (const ai of ["410", "411", "412", "413", "414", "415", "416", "417"]) def(ai, "GLN", "N", 13, 13, { checkDigit: true });
def("420", "SHIP TO POST", "X", 1, 20);
def("422", "ORIGIN", "N", 3, 3);
def("7003", "EXPIRY TIME", "N", 10, 10);
def("7004", "ACTIVE POTENCY", "N", 1, 4);
def("7006", "FIRST FREEZE DATE", "N", 6, 6, { date: true });
for (const [ai, country] of [["710", "DE"], ["711", "FR"], ["712", "ES"], ["713", "BR"], ["714", "PT"], ["715", "US"]]) {
  def(ai, `NHRN ${country}`, "X", 1, 20);
}
def("7240", "PROTOCOL", "X", 1, 20);
def("8003", "GRAI", "X", 15, 30);
def("8004", "GIAI", "X", 1, 30);
def("8006", "ITIP", "N", 18, 18);
def("8010", "CPID", "X", 1, 30);
def("8011", "CPID SERIAL", "N", 1, 12);
def("8012", "VERSION", "X", 1, 20);
def("8013", "GMN", "X", 1, 25);
def("8017", "GSRN - PROVIDER", "N", 18, 18, { checkDigit: true });
def("8018", "GSRN - RECIPIENT", "N", 18, 18, { checkDigit: true });
def("8020", "REF No.", "X", 1, 25);
def("8200", "PRODUCT URL", "X", 1, 70);
def("90", "INTERNAL", "X", 1, 30);
for (let d = 1; d <= 9; d++) def(`9${d}`, "INTERNAL", "X", 1, 90);

/** The spec of an AI given as its digits ("01", "7003"), or undefined when not in the table. */
export function getAi(ai: string): AiSpec | undefined {
  return TABLE.get(ai);
}

/**
 * The AI at `start` in `s`: GS1 AIs are prefix-free, so the 2-, 3- then 4-digit prefix that is
 * in the table wins. Undefined when none is (an unknown AI).
 */
export function matchAiAt(s: string, start: number): AiSpec | undefined {
  for (let len = 2; len <= 4; len++) {
    if (start + len > s.length) return undefined;
    const spec = TABLE.get(s.slice(start, start + len));
    if (spec) return spec;
  }
  return undefined;
}

/** Data length of an element string starting with `ai` when it is predefined (§7.8.5), else 0. */
export function predefinedLength(ai: string): number {
  return PREDEFINED[ai.slice(0, 2)] ?? 0;
}

/**
 * Checks `value` against the format of `spec`: digits or set 82, the length bounds, the check
 * digit and YYMMDD dates. Returns a message for people, or null when the value is fine.
 */
export function checkAiValue(spec: AiSpec, value: string, today?: Date): string | null {
  const label = `AI (${spec.ai}) ${spec.title}`;
  if (spec.format === "N") {
    if (!isAllDigits(value)) return `${label} "${value}" must contain digits only`;
  } else {
    const r = checkCharset82Value(value, spec.maxLength, label);
    if (!r.ok) return r.message;
  }
  if (value.length < spec.minLength || value.length > spec.maxLength) {
    const want = spec.minLength === spec.maxLength ? `${spec.minLength}` : `${spec.minLength}–${spec.maxLength}`;
    return `${label} "${value}" has ${value.length} characters; expected ${want}`;
  }
  if (spec.checkDigit) {
    const expected = expectedCheckDigit(value);
    const actual = value.charCodeAt(value.length - 1) - 48;
    if (expected !== actual) return `${label} ${value} has check digit ${actual}; expected ${expected}`;
  }
  if (spec.date) {
    const d = parseGs1Date(value, today);
    if (!d.ok) return `${label}: ${d.message}`;
  }
  return null;
}
