import { describe, expect, it } from "vitest";
import {
  CHARSET_82,
  checkCharset82Value,
  classifySerialHeader,
  expectedCheckDigit,
  gs1CheckDigit,
  hasValidCheckDigit,
  mapSerialColumns,
  normaliseBusinessStep,
  parseDigitalLink,
  parseElementString,
  parseEventTime,
  parseExpiry,
  parseGs1Code,
  parseGs1Date,
  parseSgtinUri,
  resolveGs1Year,
  validateGtin,
} from "@/lib/files/gs1";

const TODAY = new Date("2026-01-15T12:00:00Z");

describe("GS1 check digit (General Specifications §7.9.1)", () => {
  it.each([
    ["09506000134352", 14],
    ["4006381333931", 13],
    ["036000291452", 12],
    ["96385074", 8],
    ["80614141123458", 14],
    ["5901234123457", 13],
  ])("accepts the real GTIN %s", (gtin, length) => {
    const r = validateGtin(gtin);
    expect(r).toEqual({ ok: true, gtin14: gtin.padStart(14, "0"), length });
    expect(hasValidCheckDigit(gtin)).toBe(true);
  });

  it.each([
    ["09506000134353", 2],
    ["4006381333932", 1],
    ["036000291453", 2],
    ["96385075", 4],
  ])("rejects %s and names the expected digit %i", (gtin, expected) => {
    const r = validateGtin(gtin);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe("check_digit");
    expect(r.expectedCheckDigit).toBe(expected);
    expect(r.message).toBe(`GTIN ${gtin} has check digit ${gtin.at(-1)}; expected ${expected}`);
  });

  it("computes the digit from the right with weights 3,1,3,…", () => {
    expect(gs1CheckDigit("0950600013435")).toBe(2);
    expect(gs1CheckDigit("400638133393")).toBe(1);
    expect(gs1CheckDigit("12A")).toBe(-1);
    expect(gs1CheckDigit("")).toBe(-1);
    expect(expectedCheckDigit("7")).toBe(-1);
    // SSCC (18 digits) uses the same rule
    expect(hasValidCheckDigit("106141411234567897")).toBe(true);
  });

  it("rejects non-digits, wrong lengths and empty cells; a 13-digit Excel number is a GTIN-13", () => {
    expect(validateGtin("0950600013435X")).toMatchObject({ ok: false, reason: "not_digits" });
    expect(validateGtin("9506000134-352")).toMatchObject({ ok: false, reason: "not_digits" });
    expect(validateGtin("")).toMatchObject({ ok: false, reason: "empty" });
    expect(validateGtin("   ")).toMatchObject({ ok: false, reason: "empty" });
    for (const len of [7, 9, 10, 11, 15]) expect(validateGtin("1".repeat(len))).toMatchObject({ ok: false, reason: "length" });
    // 09506000134352 read from a numeric Excel cell loses its leading zero: same GTIN-14
    expect(validateGtin("9506000134352")).toMatchObject({ ok: true, gtin14: "09506000134352" });
    expect(validateGtin(" 4006381333931 ")).toMatchObject({ ok: true, gtin14: "04006381333931" });
  });
});

describe("GS1 AI encodable character set 82 (§7.11)", () => {
  it("has exactly the 82 invariant ISO/IEC 646 characters", () => {
    expect(CHARSET_82.length).toBe(82);
    expect(new Set(CHARSET_82).size).toBe(82);
    for (const ch of ` #$@[\\]^\`{|}~`) expect(CHARSET_82.includes(ch)).toBe(false);
    const printable = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i));
    expect(printable.filter((c) => !CHARSET_82.includes(c)).join("")).toBe("#$@[\\]^`{|}~");
  });

  it("accepts 1–20 set-82 characters and rejects #, space, é, 21 characters", () => {
    expect(checkCharset82Value("A", 20, "Serial").ok).toBe(true);
    expect(checkCharset82Value(`!"%&'()*+,-./:;<=>?_`, 20, "Serial").ok).toBe(true);
    expect(checkCharset82Value("A".repeat(20), 20, "Serial").ok).toBe(true);
    expect(checkCharset82Value("A".repeat(21), 20, "Serial")).toMatchObject({ ok: false, reason: "too_long" });
    expect(checkCharset82Value("", 20, "Serial")).toMatchObject({ ok: false, reason: "empty" });
    expect(checkCharset82Value("AB#1", 20, "Serial")).toMatchObject({ ok: false, reason: "bad_char", index: 2 });
    const space = checkCharset82Value("AB 1", 20, "Serial");
    expect(space).toMatchObject({ ok: false, reason: "bad_char", index: 2 });
    expect(!space.ok && space.message).toContain("space at position 3");
    const accent = checkCharset82Value("CAFé1", 20, "Lot");
    expect(!accent.ok && accent.message).toContain("U+00E9");
  });
});

describe("expiry AI (17) and the century rule (§7.12)", () => {
  it("resolves the century from the difference to the current year", () => {
    expect(resolveGs1Year(26, TODAY)).toBe(2026);
    expect(resolveGs1Year(76, TODAY)).toBe(2076); // d = 50: current century
    expect(resolveGs1Year(77, TODAY)).toBe(1977); // d = 51: previous century
    expect(resolveGs1Year(0, TODAY)).toBe(2000);
    expect(resolveGs1Year(0, new Date("2099-06-01T00:00:00Z"))).toBe(2100); // d = -99: next century
    expect(resolveGs1Year(49, new Date("2099-06-01T00:00:00Z"))).toBe(2149); // d = -50: next century
    expect(resolveGs1Year(50, new Date("2099-06-01T00:00:00Z"))).toBe(2050); // d = -49: current
  });

  it("reads YYMMDD with day 00 as the last day of the month, leap years included", () => {
    expect(parseExpiry("270331", TODAY)).toMatchObject({ ok: true, date: "2027-03-31" });
    expect(parseExpiry("240200", TODAY)).toMatchObject({ ok: true, date: "2024-02-29" });
    expect(parseExpiry("250200", TODAY)).toMatchObject({ ok: true, date: "2025-02-28" });
    expect(parseExpiry("270400", TODAY)).toMatchObject({ ok: true, date: "2027-04-30" });
    expect(parseExpiry("241200", TODAY)).toMatchObject({ ok: true, date: "2024-12-31" });
    expect(parseExpiry("240229", TODAY)).toMatchObject({ ok: true, date: "2024-02-29" });
    expect(parseGs1Date("270331", TODAY)).toMatchObject({ ok: true, ms: Date.UTC(2027, 2, 31) });
  });

  it("rejects month 13, 31 February, 29 February outside leap years and malformed text", () => {
    expect(parseExpiry("261301", TODAY)).toMatchObject({ ok: false });
    expect(parseExpiry("260001", TODAY)).toMatchObject({ ok: false });
    expect(parseExpiry("260231", TODAY)).toMatchObject({ ok: false });
    expect(parseExpiry("250229", TODAY)).toMatchObject({ ok: false });
    expect(parseExpiry("260431", TODAY)).toMatchObject({ ok: false });
    expect(parseExpiry("2603", TODAY)).toMatchObject({ ok: false });
    expect(parseExpiry("26O331", TODAY)).toMatchObject({ ok: false });
    const lostZero = parseExpiry("90331", TODAY);
    expect(!lostZero.ok && lostZero.message).toContain("leading zero");
  });

  it("accepts ISO dates as the sheet reader writes Excel date cells", () => {
    expect(parseExpiry("2027-03-31", TODAY)).toMatchObject({ ok: true, date: "2027-03-31" });
    expect(parseExpiry("2027-03-31T00:00:00", TODAY)).toMatchObject({ ok: true, date: "2027-03-31" });
    expect(parseExpiry("2028-02", TODAY)).toMatchObject({ ok: true, date: "2028-02-29" });
    expect(parseExpiry("2027-02-29", TODAY)).toMatchObject({ ok: false });
    expect(parseExpiry("2027-13-01", TODAY)).toMatchObject({ ok: false });
    expect(parseExpiry("31.03.2027", TODAY)).toMatchObject({ ok: false });
    expect(parseExpiry("", TODAY)).toMatchObject({ ok: false });
  });
});

describe("element strings (§5.10, §7.8.5)", () => {
  const want = { ok: true, gtin: "09506000134352", serial: "ABC123", lot: "LOT1", expiry: "270331" };

  it("parses the bracketed form, with or without spaces", () => {
    expect(parseElementString("(01)09506000134352(21)ABC123(10)LOT1(17)270331")).toMatchObject(want);
    expect(parseElementString("(01) 09506000134352 (21) ABC123 (10) LOT1 (17) 270331")).toMatchObject(want);
    // a "(" inside a value stays part of it unless it opens a known AI
    expect(parseElementString("(01)09506000134352(21)A(B)1(10)LOT1")).toMatchObject({ ok: true, serial: "A(B)1", lot: "LOT1" });
  });

  it("parses the unbracketed form with GS separators, symbology identifiers and visible separators", () => {
    const GS = "\u001d";
    expect(parseElementString(`0109506000134352` + `21ABC123${GS}10LOT1${GS}17270331`)).toMatchObject(want);
    for (const id of ["]d2", "]C1", "]Q3", "]e0"]) {
      expect(parseElementString(`${id}0109506000134352` + `17270331` + `10LOT1${GS}21ABC123`)).toMatchObject(want);
    }
    expect(parseElementString(`]d2${GS}0109506000134352` + `21ABC123${GS}10LOT1${GS}17270331`)).toMatchObject(want);
    expect(parseElementString(`0109506000134352` + `21ABC123{GS}10LOT1<GS>17270331`)).toMatchObject(want);
    expect(parseElementString(`^0109506000134352` + `21ABC123^10LOT1^17270331`)).toMatchObject(want);
    // predefined-length AIs (01, 17) need no separator; the last value needs none either
    expect(parseElementString(`0109506000134352` + `1727033110LOT1`)).toMatchObject({ ok: true, lot: "LOT1", expiry: "270331" });
  });

  it("reports malformed element strings with a reason", () => {
    const bad = (s: string, re: RegExp) => {
      const r = parseElementString(s);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.message).toMatch(re);
    };
    bad("(9X)1", /not a GS1 Application Identifier/);
    bad("(12345)X", /not a GS1 Application Identifier/);
    bad("(01)09506000134352(23)X", /Unknown AI \(23\)/);
    bad("(01)09506000134352(21)", /no value/);
    bad("(01", /Unclosed/);
    bad("x(01)09506000134352", /Unknown AI at position 1/);
    bad("010950600013435", /needs 14 characters; found 13/);
    bad("0109506000134352" + "2312345", /Unknown AI at position 17/);
    bad("]d10109506000134352", /does not announce GS1/);
    bad("(21)A(21)B", /appears twice/);
    bad("", /empty/);
  });

  it("flags value format problems per element without failing the parse", () => {
    const r = parseElementString("(01)09506000134353(21)AB C(17)261301");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.elements.map((e) => e.error === null)).toEqual([false, false, false]);
    expect(r.elements[0].error).toContain("expected 2");
    // text that is not "(" + 2–4 digits + ")" stays in the value, where the format check catches it
    const glued = parseElementString("(01)09506000134352(9X)1");
    expect(glued.ok && glued.elements[0].error).toContain("digits only");
  });
});

describe("GS1 Digital Link URIs", () => {
  it("reads path qualifiers, query attributes, any domain and path prefix", () => {
    expect(parseDigitalLink("https://id.example.com/01/09506000134352/21/ABC123?10=LOT1&17=270331")).toMatchObject({
      ok: true, kind: "digital_link", gtin: "09506000134352", serial: "ABC123", lot: "LOT1", expiry: "270331",
    });
    expect(parseDigitalLink("https://brand.example/products/dl/01/09506000134352/10/LOT1/21/ABC123?17=270331&linkType=gs1:pip")).toMatchObject({
      ok: true, serial: "ABC123", lot: "LOT1", expiry: "270331",
    });
    expect(parseDigitalLink("http://x.y/gtin/09506000134352/lot/L1/ser/S1?exp=270331")).toMatchObject({ ok: true, lot: "L1", serial: "S1", expiry: "270331" });
    expect(parseDigitalLink("https://d.example/01/9506000134352/21/S1")).toMatchObject({ ok: true, gtin: "9506000134352" });
  });

  it("percent-decodes values", () => {
    const r = parseDigitalLink("https://id.example.com/01/09506000134352/21/A%2FB%25%21?10=L%201");
    expect(r).toMatchObject({ ok: true, serial: "A/B%!", lot: "L 1" });
    expect(r.ok && r.elements.find((e) => e.ai === "10")?.error).toContain("space");
    expect(parseDigitalLink("https://id.example.com/01/09506000134352/21/A%ZZ")).toMatchObject({ ok: false });
  });

  it("flags a wrong check digit and rejects links without a GTIN or with bad qualifiers", () => {
    const r = parseDigitalLink("https://id.example.com/01/09506000134353/21/X1");
    expect(r.ok && r.elements[0].error).toContain("expected 2");
    expect(parseDigitalLink("https://id.example.com/00/106141411234567897")).toMatchObject({ ok: false });
    expect(parseDigitalLink("https://id.example.com/01/09506000134352/17/270331")).toMatchObject({ ok: false });
    expect(parseDigitalLink("https://id.example.com/01/09506000134352/21/S1/10/L1")).toMatchObject({ ok: false });
    expect(parseDigitalLink("https://id.example.com/01/09506000134352?9999=1")).toMatchObject({ ok: false });
    expect(parseDigitalLink("ftp://id.example.com/01/09506000134352")).toMatchObject({ ok: false });
  });
});

describe("parseGs1Code and SGTIN EPC URIs", () => {
  it("dispatches by notation", () => {
    expect(parseGs1Code("https://id.example.com/01/09506000134352/21/S1")).toMatchObject({ ok: true, kind: "digital_link" });
    expect(parseGs1Code("(01)09506000134352(21)S1")).toMatchObject({ ok: true, kind: "element_string" });
    expect(parseGs1Code("4006381333931")).toMatchObject({ ok: true, kind: "gtin", gtin: "4006381333931", serial: null });
    expect(parseGs1Code("urn:epc:id:sgtin:0614141.812345.6789")).toMatchObject({ ok: true, kind: "epc_uri", gtin: "80614141123458", serial: "6789" });
    expect(parseGs1Code("  ")).toMatchObject({ ok: false });
  });

  it("rejects malformed SGTIN URIs", () => {
    expect(parseSgtinUri("urn:epc:id:sgtin:0614141.81234.6789")).toMatchObject({ ok: false });
    expect(parseSgtinUri("urn:epc:id:sgtin:0614141.812345")).toMatchObject({ ok: false });
    expect(parseSgtinUri("urn:epc:id:sscc:0614141.1234567890")).toMatchObject({ ok: false });
  });
});

describe("EPCIS business steps (CBV 2.0 §7.2) and event times", () => {
  it("accepts steps, CBV verbs, URNs and URIs in any case", () => {
    expect(normaliseBusinessStep("shipped")).toBe("shipped");
    expect(normaliseBusinessStep("Shipping")).toBe("shipped");
    expect(normaliseBusinessStep("urn:epcglobal:cbv:bizstep:shipping")).toBe("shipped");
    expect(normaliseBusinessStep("URN:EPCGLOBAL:CBV:BIZSTEP:DECOMMISSIONING")).toBe("decommissioned");
    expect(normaliseBusinessStep("https://ref.gs1.org/cbv/BizStep-receiving")).toBe("received");
    expect(normaliseBusinessStep(" Commissioning ")).toBe("commissioned");
    expect(normaliseBusinessStep("de-commissioned")).toBe("decommissioned");
    expect(normaliseBusinessStep("packing")).toBe("packed");
    expect(normaliseBusinessStep("dispense")).toBe("dispensed");
    expect(normaliseBusinessStep("sold")).toBeNull();
    expect(normaliseBusinessStep("")).toBeNull();
  });

  it("parses ISO 8601 event times to UTC and rejects others", () => {
    expect(parseEventTime("2026-03-01T10:00:00Z")).toMatchObject({ ok: true, iso: "2026-03-01T10:00:00.000Z" });
    expect(parseEventTime("2026-03-01T10:00:00.1234+02:00")).toMatchObject({ ok: true, iso: "2026-03-01T08:00:00.123Z" });
    expect(parseEventTime("2026-03-01 10:00")).toMatchObject({ ok: true, iso: "2026-03-01T10:00:00.000Z" });
    expect(parseEventTime("2026-03-01T10:00:00-0500")).toMatchObject({ ok: true, iso: "2026-03-01T15:00:00.000Z" });
    expect(parseEventTime("2026-03-01")).toMatchObject({ ok: true, iso: "2026-03-01T00:00:00.000Z" });
    for (const bad of ["", "01/03/2026", "2026-02-30T10:00", "2026-03-01T25:00", "2026-03-01T10:00Zx", "2026-03-01T10", "2026-03-01T10:00+99:00"]) {
      expect(parseEventTime(bad).ok, bad).toBe(false);
    }
  });
});

describe("mapSerialColumns", () => {
  it("maps the usual header spellings", () => {
    const cases: Record<string, string> = {
      GTIN: "gtin", "Product code (GTIN)": "gtin", "GTIN-14": "gtin", "Item GTIN": "gtin",
      "Serial No.": "serial", "Serial number": "serial", SN: "serial", Serial: "serial", "S/N": "serial",
      Batch: "lot", Lot: "lot", "Batch/Lot": "lot",
      "Exp. date": "expiry", Expiry: "expiry", "Expiry (YYMMDD)": "expiry", "Expiration date": "expiry", "Best before": "expiry",
      Event: "event", "Business step": "event", bizStep: "event",
      "Event time": "eventTime", "Event date": "eventTime", Timestamp: "eventTime",
      Location: "location", "Read point": "location", GLN: "location",
      Barcode: "code", "Element string": "code", GS1: "code", "Digital Link": "code", URI: "code", "Data matrix": "code",
    };
    for (const [header, field] of Object.entries(cases)) expect(classifySerialHeader(header)?.field, header).toBe(field);
    expect(classifySerialHeader("Comment")).toBeNull();
    expect(classifySerialHeader("Quantity")).toBeNull();
    expect(classifySerialHeader("Status")).toBeNull();
    expect(classifySerialHeader("Event type")).toBeNull();
  });

  it("gives each field to its first strong column and lists the rest as unmapped", () => {
    const m = mapSerialColumns(["Status", "GTIN", " serial  number ", "Business step", "EAN", "", "Notes", "Date", "Event time"]);
    expect(m.columns).toMatchObject({ gtin: 1, serial: 2, event: 3, eventTime: 8, lot: null, code: null });
    expect(m.unmapped).toEqual(["Status", "EAN", "Notes", "Date"]);
    expect(mapSerialColumns(["Status", "Date"]).columns).toMatchObject({ event: null, eventTime: 1 });
  });
});
