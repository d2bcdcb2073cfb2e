import { describe, expect, it } from "vitest";
import { findSerialMentions } from "@/lib/files/gs1";

const G = "09506000134352";

describe("findSerialMentions", () => {
  it("finds a bracketed element string with its pair", () => {
    expect(findSerialMentions("Scanned (01)09506000134352(21)ABC123(17)270331 at the pharmacy.")).toEqual({
      gtins: [G], serials: ["ABC123"], pairs: [{ gtin14: G, serial: "ABC123" }],
    });
    expect(findSerialMentions("HRI: (01) 09506000134352 (21) ABC123").pairs).toEqual([{ gtin14: G, serial: "ABC123" }]);
  });

  it("finds unbracketed scans, Digital Links and EPC URIs", () => {
    const text = [
      "scan ]d20109506000134352" + "21XYZ9\u001d10L1",
      "link https://id.example.com/01/04006381333931/21/Q%2F7?17=270331.",
      "epc urn:epc:id:sgtin:0614141.812345.6789",
    ].join("\n");
    const m = findSerialMentions(text);
    expect(m.pairs).toEqual([
      { gtin14: "04006381333931", serial: "Q/7" },
      { gtin14: "80614141123458", serial: "6789" },
      { gtin14: G, serial: "XYZ9" },
    ]);
  });

  it("pairs keyword serials with the one GTIN named in the text", () => {
    const m = findSerialMentions("GTIN 4006381333931, serial ABC123 and SN: X1 are blocked.");
    expect(m.gtins).toEqual(["04006381333931"]);
    expect(m.serials).toEqual(["ABC123", "X1"]);
    expect(m.pairs).toEqual([
      { gtin14: "04006381333931", serial: "ABC123" },
      { gtin14: "04006381333931", serial: "X1" },
    ]);
    expect(findSerialMentions("Serial numbers: A1, A2, B3").serials).toEqual(["A1", "A2", "B3"]);
    expect(findSerialMentions('S/N "77-AB".').serials).toEqual(["77-AB"]);
  });

  it("does not pair serials when several GTINs are named", () => {
    const m = findSerialMentions("Packs 4006381333931 and 09506000134352, serial no. 55A");
    expect(m.gtins).toHaveLength(2);
    expect(m.serials).toEqual(["55A"]);
    expect(m.pairs).toEqual([]);
  });

  it("keeps false positives low", () => {
    const text = [
      "Ticket T-123 is about serial T-456 and the serial number is missing.",
      "Call +4930123456789 or 4006381333932 (wrong check digit).",
      "Order 12345678, version 4006381333931.2, date 2026-01-15, amount 1,234,567,890,123.",
      "sn is not set; snapshot SN-less; serial #",
    ].join("\n");
    expect(findSerialMentions(text)).toEqual({ gtins: [], serials: [], pairs: [] });
  });

  it("accepts an 8-digit GTIN only after GTIN/EAN/UPC", () => {
    expect(findSerialMentions("order 96385074").gtins).toEqual([]);
    expect(findSerialMentions("EAN-8 96385074").gtins).toEqual(["00000096385074"]);
    expect(findSerialMentions("GTIN: 96385074").gtins).toEqual(["00000096385074"]);
  });
});
