import { describe, expect, it } from "vitest";
import { normalizeTicketText, BODY_DROP } from "./normalize";

describe("normalizeTicketText", () => {
  it("lower-cases, strips punctuation, digits and body stopwords, title first", () => {
    const out = normalizeTicketText({
      title: "Laptop screen flickering!!",
      description: "Hi team,\n\nMy laptop (Dell 5520) screen is flickering since the update on 12/03. Can you please check it?\n\nThanks",
    });
    expect(out).toBe("laptop screen flickering hi team laptop dell screen flickering since update can you please check thanks");
  });

  it("removes URLs and e-mail addresses", () => {
    const out = normalizeTicketText({
      description: "Please see https://intranet.example.com/wiki/Printers?id=4 and write to helpdesk@example.com or www.example.org/x",
    });
    expect(out).toBe("please see write or");
  });

  it("drops quoted replies ('On ... wrote:' and '>' lines) and the original-message block", () => {
    const raw = [
      "Still cannot access the shared drive.",
      "",
      "On Mon, 3 Jun 2024 at 10:02, Jane Doe <jane@corp.com> wrote:",
      "> Have you tried restarting?",
      "> Regards, Jane",
    ].join("\n");
    expect(normalizeTicketText({ description: raw })).toBe("still cannot access shared drive");
    const fwd = "Need a new mouse\n-----Original Message-----\nFrom: Bob\nSent: Monday\nSubject: old stuff about payroll";
    expect(normalizeTicketText({ description: fwd })).toBe("need new mouse");
  });

  it("keeps closing formulas but drops the signature name", () => {
    const raw = "Please reset my password.\n\nBest regards,\nJohn Smith\nSenior Engineer";
    expect(normalizeTicketText({ description: raw })).toBe("please reset password best regards senior engineer");
    expect(normalizeTicketText({ description: "Printer jammed again. Thanks, Maria" })).toBe("printer jammed again thanks");
  });

  it("stops at a '-- ' signature delimiter", () => {
    expect(normalizeTicketText({ description: "VPN drops every hour\n--\nACME Corp | +44 20 1234 5678" })).toBe("vpn drops every hour");
  });

  it("folds accents and keeps title stopwords like the corpus does", () => {
    expect(normalizeTicketText({ title: "Accès refusé to the Café server", description: "Résumé attached." })).toBe(
      "acces refuse to the cafe server resume attached",
    );
  });

  it("is idempotent and leaves corpus-style text unchanged", () => {
    const corpus = "access request for a list or library friday pm library requesting library links";
    expect(normalizeTicketText({ description: corpus })).toBe(corpus);
    const once = normalizeTicketText({ title: "Can't log in", description: "I can't log in to Outlook since Monday!" });
    expect(normalizeTicketText({ description: once })).toBe(once);
  });

  it("returns an empty string for empty / symbol-only input", () => {
    expect(normalizeTicketText({ description: "" })).toBe("");
    expect(normalizeTicketText({ title: "!!!", description: "123 456 ... :)" })).toBe("");
  });

  it("body stopword list matches the corpus derivation", () => {
    for (const w of ["the", "to", "is", "in", "i", "my"]) expect(BODY_DROP.has(w)).toBe(true);
    for (const w of ["please", "for", "with", "you", "can"]) expect(BODY_DROP.has(w)).toBe(false);
  });
});
