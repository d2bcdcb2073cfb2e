import { describe, expect, it } from "vitest";
import { SERIAL_FINDING_CODES, type SheetRow } from "@/lib/files/types";
import { SerialChecker, SerialSheetError, serialKey, type SerialCheckerOptions } from "@/lib/files/gs1";

const TODAY = new Date("2026-01-15T12:00:00Z");
const G = "09506000134352"; // valid GTIN-14
const G2 = "04006381333931"; // valid GTIN-13 as GTIN-14

/** Runs a sheet (header row 1, data rows from 2) through the checker. */
function check(headers: string[], rows: string[][], options: SerialCheckerOptions = {}) {
  const c = new SerialChecker("Sheet1", headers, { today: TODAY, ...options });
  rows.forEach((values, i) => c.addRow({ row: i + 2, values }));
  return c.finish();
}

const codes = (r: ReturnType<typeof check>) => r.findings.map((f) => `${f.row}:${f.code}`);

describe("SerialChecker: formats", () => {
  it("accepts a clean registry sheet and returns the commissioned identities", () => {
    const r = check(
      ["GTIN", "Serial", "Lot", "Expiry"],
      [
        [G, "ABC1", "L1", "270331"],
        ["9506000134352", "ABC2", "L1", "2027-03-31"], // Excel lost the leading zero
        [G2.slice(1), "ABC1", "", ""],
      ],
    );
    expect(r.findings).toEqual([]);
    expect(r.summary).toEqual({ rows: 3, valid: 3, findings: Object.fromEntries(SERIAL_FINDING_CODES.map((c) => [c, 0])) });
    expect(r.identities).toEqual([
      { gtin14: G, serial: "ABC1", lot: "L1", expiry: "2027-03-31", row: 2 },
      { gtin14: G, serial: "ABC2", lot: "L1", expiry: "2027-03-31", row: 3 },
      { gtin14: G2, serial: "ABC1", lot: null, expiry: null, row: 4 },
    ]);
    expect(r.events).toEqual([]);
  });

  it("reports each format problem with its code, column, value and a readable message", () => {
    const r = check(
      ["Product code (GTIN)", "Serial No.", "Batch/Lot", "Exp. date"],
      [
        ["09506000134353", "S1", "L1", "270331"],
        ["1234567890", "S2", "L1", "270331"],
        ["", "S3", "", ""],
        [G, "A".repeat(21), "", ""],
        [G, "AB#1", "", ""],
        [G, "", "", ""],
        [G, "S7", "LOT 1", ""],
        [G, "S8", "", "261301"],
        [G, "S9", "", "260231"],
      ],
    );
    expect(codes(r)).toEqual([
      "2:invalid_gtin", "3:invalid_gtin", "4:invalid_gtin",
      "5:invalid_serial", "6:invalid_serial", "7:invalid_serial",
      "8:invalid_lot", "9:invalid_expiry", "10:invalid_expiry",
    ]);
    expect(r.findings[0]).toEqual({
      sheet: "Sheet1", row: 2, column: "Product code (GTIN)", code: "invalid_gtin", severity: "error",
      message: "GTIN 09506000134353 has check digit 3; expected 2", value: "09506000134353",
    });
    expect(r.findings[2]).toMatchObject({ message: "GTIN is missing", value: null });
    expect(r.findings[3]).toMatchObject({ column: "Serial No.", message: expect.stringContaining("at most 20") });
    expect(r.findings[4].message).toContain('"#"');
    expect(r.findings[6]).toMatchObject({ column: "Batch/Lot", value: "LOT 1" });
    expect(r.findings[7]).toMatchObject({ column: "Exp. date", value: "261301", message: expect.stringContaining("month 13") });
    expect(r.summary).toMatchObject({ rows: 9, valid: 0 });
    expect(r.summary.findings).toMatchObject({ invalid_gtin: 3, invalid_serial: 3, invalid_lot: 1, invalid_expiry: 2 });
    expect(r.identities.map((i) => i.row)).toEqual([]);
  });

  it("counts a row with several findings once in `valid` and skips blank rows", () => {
    const r = check(["GTIN", "Serial", "Lot"], [["x", "", "a b"], ["", "  ", ""], [G, "S1", "L"], []]);
    expect(r.summary.rows).toBe(2);
    expect(r.summary.valid).toBe(1);
    expect(r.findings.filter((f) => f.row === 2).map((f) => f.code)).toEqual(["invalid_gtin", "invalid_serial", "invalid_lot"]);
  });

  it("reads GTIN, serial, lot and expiry from a code column (element string, Digital Link, EPC URI)", () => {
    const r = check(
      ["Data Matrix", "Note"],
      [
        ["]d2010950600013435221S1\u001d10L1\u001d17270331", ""],
        ["(01)09506000134352(21)S2(10)L1(17)270300", ""],
        ["https://id.example.com/01/09506000134352/10/L1/21/S%2F3?17=270331", ""],
        ["urn:epc:id:sgtin:0614141.812345.6789", ""],
        ["(01)09506000134353(21)S5", ""],
        ["(01)09506000134352(21)S6(99)", ""],
        ["(01)09506000134352(10)L1", ""],
      ],
    );
    expect(r.identities.map((i) => [i.gtin14, i.serial, i.lot, i.expiry])).toEqual([
      [G, "S1", "L1", "2027-03-31"],
      [G, "S2", "L1", "2027-03-31"],
      [G, "S/3", "L1", "2027-03-31"],
      ["80614141123458", "6789", null, null],
    ]);
    expect(codes(r)).toEqual(["6:invalid_gtin", "7:invalid_gtin", "8:invalid_serial"]);
    expect(r.findings[0]).toMatchObject({ column: "Data Matrix", message: expect.stringContaining("expected 2") });
    expect(r.findings[1].message).toContain("Cannot read the code");
    expect(r.findings[2].message).toBe("Serial is missing");
  });

  it("flags a code that disagrees with the GTIN or serial column", () => {
    const r = check(["GTIN", "Serial", "Barcode"], [[G, "S1", "(01)04006381333931(21)S1"], [G, "S2", "(01)09506000134352(21)S9"], [G, "S3", "(01)09506000134352(21)S3"], ["", "", "(01)09506000134352(21)S4"]]);
    expect(codes(r)).toEqual(["2:invalid_gtin", "3:invalid_serial"]);
    expect(r.findings[1].message).toBe(`Serial column has "S2" but the code has "S9"`);
    expect(r.identities.map((i) => i.serial)).toEqual(["S3", "S4"]);
  });
});

describe("SerialChecker: duplicates", () => {
  it("reports each extra commissioning of the same (GTIN-14, serial), whatever the GTIN length", () => {
    const r = check(
      ["GTIN", "Serial"],
      [
        [G, "S1"],
        [G, "S1"],
        ["9506000134352", "S1"],
        [G, "s1"], // serials are case-sensitive
        [G2, "S1"], // other GTIN
      ],
    );
    expect(codes(r)).toEqual(["3:duplicate_serial", "4:duplicate_serial"]);
    expect(r.findings[0]).toMatchObject({ column: "Serial", value: "S1", message: `GTIN ${G} serial "S1" is already commissioned in row 2` });
    expect(r.summary.findings.duplicate_serial).toBe(2);
    expect(r.identities.map((i) => i.row)).toEqual([2, 5, 6]);
  });

  it("does not count event rows of the same pack as duplicates", () => {
    const r = check(
      ["GTIN", "Serial", "Event", "Event time"],
      [
        [G, "S1", "commissioning", "2026-01-01T08:00:00Z"],
        [G, "S1", "shipping", "2026-01-02T08:00:00Z"],
        [G, "S1", "", ""], // blank event: a registry row, i.e. another commissioning
      ],
    );
    expect(codes(r)).toEqual(["4:duplicate_serial"]);
  });

  it("reports serials commissioned by earlier uploads (known set), but not their later events", () => {
    const known = new Set([serialKey(G, "OLD1")]);
    const r = check(
      ["GTIN", "Serial", "Event", "Event time"],
      [
        [G, "OLD1", "commissioned", "2026-01-01T00:00:00Z"],
        [G, "OLD1", "shipped", "2026-01-02T00:00:00Z"],
        [G, "NEW1", "commissioned", "2026-01-01T00:00:00Z"],
      ],
      { knownSerials: known },
    );
    expect(codes(r)).toEqual(["2:duplicate_serial"]);
    expect(r.findings[0].message).toContain("earlier upload");
    expect(r.identities.map((i) => i.serial)).toEqual(["NEW1"]);
    expect(r.events.map((e) => [e.serial, e.event])).toEqual([["OLD1", "shipped"], ["NEW1", "commissioned"]]);
  });

  it("takes earlier uploads at finish, after the caller looked up serialKeys()", () => {
    const c = new SerialChecker("S", ["GTIN", "Serial"], { today: TODAY });
    [[G, "A1"], ["9506000134352", "A2"], [G, "A2"], ["bad", "A3"]].forEach((values, i) => c.addRow({ row: i + 2, values }));
    expect(c.serialKeys()).toEqual([serialKey(G, "A1"), serialKey(G, "A2")]);
    const asked: string[] = [];
    const r = c.finish({
      knownSerials: (gtin14, serial) => {
        asked.push(serial);
        return serial === "A2";
      },
    });
    expect(asked.sort()).toEqual(["A1", "A2"]);
    expect(codes(r)).toEqual(["3:duplicate_serial", "4:duplicate_serial", "5:invalid_gtin"]);
    expect(r.findings[0].message).toContain("earlier upload");
    expect(r.findings[1].message).toContain("already commissioned in row 3");
    expect(r.summary).toMatchObject({ rows: 4, valid: 1 });
    expect(r.identities.map((i) => i.serial)).toEqual(["A1"]);
  });
});

describe("SerialChecker: EPCIS event order and expiry", () => {
  const H = ["GTIN", "Serial", "Expiry", "Business step", "Event time", "Read point"];

  it("accepts a clean full history and returns its events in row order", () => {
    const r = check(H, [
      [G, "S1", "270331", "urn:epcglobal:cbv:bizstep:commissioning", "2026-01-01T08:00:00Z", "4012345000009"],
      [G, "S1", "", "packing", "2026-01-01T09:00:00Z", ""],
      [G, "S1", "", "Shipping", "2026-01-02T09:00:00+01:00", ""],
      [G, "S1", "", "receiving", "2026-01-03T09:00:00Z", ""],
      [G, "S1", "", "dispensed", "2026-01-04T09:00:00Z", "Pharmacy 1"],
      [G, "S1", "", "decommissioning", "2026-01-05T09:00:00Z", ""],
    ]);
    expect(r.findings).toEqual([]);
    expect(r.summary).toMatchObject({ rows: 6, valid: 6 });
    expect(r.identities).toEqual([{ gtin14: G, serial: "S1", lot: null, expiry: "2027-03-31", row: 2 }]);
    expect(r.events.map((e) => e.event)).toEqual(["commissioned", "packed", "shipped", "received", "dispensed", "decommissioned"]);
    expect(r.events[0]).toEqual({ gtin14: G, serial: "S1", event: "commissioned", eventTime: "2026-01-01T08:00:00.000Z", location: "4012345000009", row: 2 });
    expect(r.events[2].eventTime).toBe("2026-01-02T08:00:00.000Z");
  });

  it("sorts by event time, not by row", () => {
    const r = check(H, [
      [G, "S1", "", "dispensed", "2026-01-04T00:00:00Z", ""],
      [G, "S1", "", "shipped", "2026-01-02T00:00:00Z", ""],
      [G, "S1", "", "commissioned", "2026-01-01T00:00:00Z", ""],
    ]);
    expect(r.findings).toEqual([]);
  });

  it("flags dispensing with no earlier shipping", () => {
    const r = check(H, [
      [G, "S1", "", "commissioned", "2026-01-01T00:00:00Z", ""],
      [G, "S1", "", "dispensed", "2026-01-02T00:00:00Z", ""],
      [G, "S1", "", "shipped", "2026-01-03T00:00:00Z", ""],
    ]);
    expect(codes(r)).toEqual(["3:illegal_transition", "4:illegal_transition"]);
    expect(r.findings[0]).toMatchObject({ column: "Business step", value: "dispensed", message: expect.stringContaining("no earlier shipping") });
    expect(r.findings[1].message).toContain("after the dispensing");
    expect(r.summary).toMatchObject({ rows: 3, valid: 1 });
    expect(r.events.map((e) => e.row)).toEqual([2]);
  });

  it("flags any event after decommissioning, and events before the commissioning", () => {
    const r = check(H, [
      [G, "S1", "", "shipped", "2026-01-01T00:00:00Z", ""],
      [G, "S1", "", "commissioned", "2026-01-02T00:00:00Z", ""],
      [G, "S1", "", "decommissioned", "2026-01-03T00:00:00Z", ""],
      [G, "S1", "", "received", "2026-01-04T00:00:00Z", ""],
      [G, "S1", "", "decommissioned", "2026-01-05T00:00:00Z", ""],
    ]);
    expect(codes(r)).toEqual(["2:illegal_transition", "5:illegal_transition", "6:illegal_transition"]);
    expect(r.findings[0].message).toContain("before the commissioning on 2026-01-02 00:00 UTC (row 3)");
    expect(r.findings[1].message).toContain("after the decommissioning");
    expect(r.summary.findings.illegal_transition).toBe(3);
  });

  it("reports an unknown business step or unreadable event time as illegal_transition", () => {
    const r = check(H, [
      [G, "S1", "", "sold", "2026-01-01T00:00:00Z", ""],
      [G, "S2", "", "shipped", "yesterday", ""],
      [G, "S3", "", "shipped", "", ""],
    ]);
    expect(codes(r)).toEqual(["2:illegal_transition", "3:illegal_transition", "4:illegal_transition"]);
    expect(r.findings[0]).toMatchObject({ column: "Business step", value: "sold", message: expect.stringContaining("Unknown business step") });
    expect(r.findings[1]).toMatchObject({ column: "Event time", value: "yesterday" });
    expect(r.findings[2].message).toContain("missing");
  });

  it("flags shipping or dispensing after the expiry day (the expiry day itself is fine)", () => {
    const r = check(H, [
      [G, "S1", "260100", "commissioned", "2025-12-01T00:00:00Z", ""],
      [G, "S1", "", "shipped", "2026-01-31T23:59:59Z", ""],
      [G, "S2", "260131", "commissioned", "2025-12-01T00:00:00Z", ""],
      [G, "S2", "", "shipped", "2026-02-01T00:00:00Z", ""],
      [G, "S2", "", "dispensed", "2026-02-03T00:00:00+01:00", ""],
      [G, "S3", "2026-01-31", "commissioned", "2025-12-01T00:00:00Z", ""],
      [G, "S3", "", "received", "2026-02-02T00:00:00Z", ""],
    ]);
    expect(codes(r)).toEqual(["5:expired_shipped", "6:expired_shipped"]);
    expect(r.findings[0]).toMatchObject({ column: "Event time", message: `GTIN ${G} serial "S2" was shipped on 2026-02-01, after its expiry 2026-01-31` });
    expect(r.summary.findings.expired_shipped).toBe(2);
  });

  it("continues the order checks from earlier uploads (prior history)", () => {
    const prior = new Map([
      [serialKey(G, "P1"), { event: "shipped" as const, time: "2026-01-01T00:00:00Z" }],
      [serialKey(G, "P2"), { event: "decommissioned" as const, time: "2026-01-01T00:00:00Z" }],
      [serialKey(G, "P3"), { event: "commissioned" as const, time: "2026-01-01T00:00:00Z" }],
      [serialKey(G, "P4"), { event: "received" as const, time: "2026-01-01T00:00:00Z", expiry: "2026-01-05" }],
      [serialKey(G, "P5"), { event: "dispensed" as const, time: "2026-01-10T00:00:00Z" }],
    ]);
    const r = check(
      H,
      [
        [G, "P1", "", "dispensed", "2026-01-02T00:00:00Z", ""], // shipped before: fine
        [G, "P2", "", "shipped", "2026-01-02T00:00:00Z", ""], // after decommissioning
        [G, "P3", "", "dispensed", "2026-01-02T00:00:00Z", ""], // never shipped
        [G, "P4", "", "dispensed", "2026-01-07T00:00:00Z", ""], // after expiry known from the registry
        [G, "P5", "", "received", "2026-01-02T00:00:00Z", ""], // older than the prior event: back-filled, fine
      ],
      { priorHistory: prior },
    );
    expect(codes(r)).toEqual(["3:illegal_transition", "4:illegal_transition", "5:expired_shipped"]);
    expect(r.findings[0].message).toContain("earlier upload");
  });

  it("orders events by row when the sheet has no event-time column", () => {
    const r = check(["GTIN", "Serial", "Event"], [[G, "S1", "commissioned"], [G, "S1", "decommissioned"], [G, "S1", "shipped"]]);
    expect(codes(r)).toEqual(["4:illegal_transition"]);
    expect(r.events.map((e) => e.eventTime)).toEqual([null, null]);
  });
});

describe("SerialChecker: columns", () => {
  it("throws SerialSheetError missing_columns with the headers found", () => {
    let err: unknown;
    try {
      new SerialChecker("Sheet1", ["Name", "Quantity", "Lot"]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SerialSheetError);
    const e = err as SerialSheetError;
    expect(e.code).toBe("missing_columns");
    expect(e.headers).toEqual(["Name", "Quantity", "Lot"]);
    expect(e.missing).toEqual(["gtin", "serial"]);
    expect(e.message).toContain('"Quantity"');
    expect(() => new SerialChecker("S", ["GTIN", "Lot"])).toThrow(/no serial column/);
    expect(() => new SerialChecker("S", ["Digital Link"])).not.toThrow();
  });

  it("cannot be used after finish", () => {
    const c = new SerialChecker("S", ["GTIN", "Serial"]);
    c.finish();
    expect(() => c.addRow({ row: 2, values: [G, "S1"] })).toThrow();
    expect(() => c.finish()).toThrow();
  });
});

describe("SerialChecker: performance", () => {
  it("checks 100,000 rows quickly", () => {
    const headers = ["GTIN", "Serial", "Lot", "Expiry", "Event", "Event time", "Location"];
    const rows: SheetRow[] = [];
    for (let i = 0; i < 100_000; i++) {
      const serial = `SN${String(i).padStart(8, "0")}`;
      rows.push({ row: i + 2, values: [G, serial, `LOT${i % 50}`, "270331", "commissioning", `2026-01-${String((i % 28) + 1).padStart(2, "0")}T10:00:00Z`, "4012345000009"] });
    }
    rows[500].values[1] = rows[400].values[1]; // one duplicate
    const t0 = performance.now();
    const c = new SerialChecker("Sheet1", headers, { today: TODAY });
    for (const r of rows) c.addRow(r);
    const res = c.finish();
    const ms = performance.now() - t0;
    console.log(`SerialChecker: 100,000 rows in ${ms.toFixed(0)} ms`);
    expect(res.summary.rows).toBe(100_000);
    expect(res.summary.findings.duplicate_serial).toBe(1);
    expect(res.summary.valid).toBe(99_999);
  });
});
