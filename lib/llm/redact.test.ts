import { describe, expect, it } from "vitest";
import { luhnValid, redact } from "./redact";

describe("redact", () => {
  it("replaces e-mails, phones, cards, IBANs and secrets", () => {
    const input = [
      "Hi, I'm jane.doe+it@corp.example.com, call me on +49 30 1234 5678 or (555) 123-4567.",
      "Card 4111 1111 1111 1111 was charged twice; refund to DE89 3704 0044 0532 0130 00.",
      "My password: Hunter2!x and the api key is sk-proj-abcdefghijklmnop1234567890.",
      "Token ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab, AWS AKIAIOSFODNN7EXAMPLE.",
      "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ].join("\n");
    const r = redact(input);
    for (const leaked of ["jane.doe", "1234 5678", "123-4567", "4111", "DE89", "Hunter2", "sk-proj", "ghp_", "AKIA", "eyJhbGci"]) {
      expect(r.text).not.toContain(leaked);
    }
    expect(r.counts.email).toBe(1);
    expect(r.counts.phone).toBe(2);
    expect(r.counts.card).toBe(1);
    expect(r.counts.iban).toBe(1);
    expect(r.counts.secret).toBeGreaterThanOrEqual(5);
    expect(r.text).toContain("password: [SECRET]");
  });

  it("keeps a date or an IP in parentheses", () => {
    expect(redact("expired (2024-11-30) on host (10.0.0.12)").text).toBe("expired (2024-11-30) on host (10.0.0.12)");
    expect(redact("call (030) 1234 5678").text).toContain("[PHONE]");
  });

  it("keeps ordinary ticket content: dates, versions, IPs, ticket keys, short numbers", () => {
    const text = "Since 2026-11-20 Outlook 16.0.1234 on 10.0.0.12 crashes (ticket T-123, room 4, 3 users, order 98765).";
    expect(redact(text).text).toBe(text);
  });

  it("does not redact a 16-digit number that fails the Luhn check as a card", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(redact("serial 4111 1111 1111 1112").counts.card).toBe(0);
  });
});
