import { describe, expect, it } from "vitest";
import { cleanSubject, htmlToText, isForward, stripReply } from "@/lib/mail/inbound/strip";
import { messageIdsIn, normalizeMessageId } from "@/lib/mail/inbound/parse";
import { subjectTicketNumber } from "@/lib/mail/inbound/thread";

/*
 * Reply stripping (lib/mail/inbound/strip.ts): only what the sender wrote survives; quotes of
 * every common client and signatures go. Pure functions: no database.
 */

describe("stripReply", () => {
  it("cuts Gmail's attribution and the > quote", () => {
    const t = "Still broken after the restart.\n\nOn Tue, Dec 1, 2026 at 4:05 PM Service Desk <desk@desk.test> wrote:\n> Hello,\n> please restart it.\n";
    expect(stripReply(t)).toBe("Still broken after the restart.");
  });

  it("cuts an attribution Gmail wrapped over two lines", () => {
    const t = "Thanks!\n\nOn Tue, Dec 1, 2026 at 4:05 PM Service Desk <desk@desk.test>\nwrote:\n\n> Hello\n";
    expect(stripReply(t)).toBe("Thanks!");
  });

  it("cuts German and French attributions", () => {
    expect(stripReply("Danke, geht wieder.\n\nAm 01.12.2026 um 16:05 schrieb Service Desk <desk@desk.test>:\n> Hallo")).toBe("Danke, geht wieder.");
    expect(stripReply("Merci.\n\nLe mar. 1 déc. 2026 à 16:05, Service Desk <desk@desk.test> a écrit :\n> Bonjour")).toBe("Merci.");
  });

  it("cuts -----Original Message----- and what follows", () => {
    const t = "See the log attached.\r\n\r\n-----Original Message-----\r\nFrom: Service Desk\r\nSent: Tuesday\r\nTo: Dana\r\nSubject: x\r\n\r\nPlease send the log.";
    expect(stripReply(t)).toBe("See the log attached.");
  });

  it("cuts an Outlook From/Sent/To block with or without the rule above it", () => {
    const ruled = "Works now.\n\n________________________________\nFrom: Service Desk <desk@desk.test>\nSent: Tuesday, December 1, 2026 4:05 PM\nTo: Dana\nSubject: [T-5] x\n\nOld text";
    expect(stripReply(ruled)).toBe("Works now.");
    const bold = "Works now.\n\n*From:* Service Desk <desk@desk.test>\n*Sent:* Tuesday, December 1, 2026 4:05 PM\n*To:* Dana\n*Subject:* x\n\nOld";
    expect(stripReply(bold)).toBe("Works now.");
    const german = "Geht wieder.\n\nVon: Service Desk <desk@desk.test>\nGesendet: Dienstag, 1. Dezember 2026 16:05\nAn: Dana\nBetreff: x\n\nAlt";
    expect(stripReply(german)).toBe("Geht wieder.");
  });

  it("drops the rule (an <hr> as text) left above a cut quote, keeps rules inside the text", () => {
    const t = "Done.\n\n----------------------------------------\nFrom: Service Desk\nSent: Tuesday\nTo: Dana\nSubject: x\n\nold";
    expect(stripReply(t)).toBe("Done.");
    expect(stripReply("Table:\n-----\na | b")).toBe("Table:\n-----\na | b");
  });

  it("keeps a line that merely starts with From: in the new text", () => {
    const t = "From: the logs I see a timeout at 10:02.\nPlease check the proxy.";
    expect(stripReply(t)).toBe(t);
  });

  it("cuts the RFC 3676 signature and mobile footers", () => {
    expect(stripReply("Please reset my password.\n\n-- \nDana Requester\nFinance")).toBe("Please reset my password.");
    expect(stripReply("Please reset my password.\n\nSent from my iPhone")).toBe("Please reset my password.");
    expect(stripReply("Bitte zurücksetzen.\n\nVon meinem iPhone gesendet")).toBe("Bitte zurücksetzen.");
    expect(stripReply("Ok.\n\nGet Outlook for iOS")).toBe("Ok.");
  });

  it("keeps the answers of an interleaved reply", () => {
    const t = "On Tue, Dec 1, 2026 Service Desk <desk@desk.test> wrote:\n> Which model is it?\nHP LaserJet 4250\n> Which room?\nRoom 3.14\n";
    expect(stripReply(t)).toBe("HP LaserJet 4250\nRoom 3.14");
  });

  it("drops > lines and returns empty text for a reply that is all quote", () => {
    expect(stripReply("> only\n> quoted\n")).toBe("");
    expect(stripReply("On Mon, Ann wrote:\n> only quote")).toBe("");
  });

  it("leaves a message without quote or signature as it is, tidied", () => {
    expect(stripReply("  Line one  \r\n\r\n\r\n\r\nLine two\r\n")).toBe("Line one\n\nLine two");
  });
});

describe("htmlToText", () => {
  it("turns HTML into text without scripts, styles or images; blockquotes become > lines", () => {
    const t = htmlToText(
      "<html><head><style>p{}</style><script>alert(1)</script></head><body><p>Hi <b>team</b></p><img src=x onerror=alert(1)><a href='https://a.test/'>status</a><blockquote>old</blockquote></body></html>",
    );
    expect(t).toContain("Hi team");
    expect(t).toContain("status [https://a.test/]");
    expect(t).not.toMatch(/alert|<|p\{\}/);
    expect(t).toMatch(/^> old$/m);
  });
});

describe("subjects and ids", () => {
  it("cleanSubject drops reply and forward prefixes in several languages", () => {
    expect(cleanSubject("Re: Fwd: AW: WG: [T-12] Printer")).toBe("[T-12] Printer");
    expect(cleanSubject("RE[2]:  Printer   jams")).toBe("Printer jams");
    expect(cleanSubject("Return of the printer")).toBe("Return of the printer");
  });

  it("isForward: forward prefixes or a forwarded-message marker; replies and plain mail are not", () => {
    expect(isForward("FW: licence", "")).toBe(true);
    expect(isForward("WG: Lizenz", "")).toBe(true);
    expect(isForward("Licence", "FYI\n\n---------- Forwarded message ---------\nFrom: x")).toBe(true);
    expect(isForward("Licence", "FYI\n\nBegin forwarded message:\n\nFrom: x")).toBe(true);
    expect(isForward("Re: licence", "On Mon, Ann wrote:\n> x")).toBe(false);
    expect(isForward("Forward planning", "")).toBe(false);
  });

  it("subjectTicketNumber finds [T-n] anywhere", () => {
    expect(subjectTicketNumber("RE: [T-42] x")).toBe(42);
    expect(subjectTicketNumber("T-42 without brackets")).toBeNull();
    expect(subjectTicketNumber("[T-0]")).toBeNull();
  });

  it("normalises message ids and reads lists of them", () => {
    expect(normalizeMessageId(" <a@b> ")).toBe("<a@b>");
    expect(normalizeMessageId("a@b")).toBe("<a@b>");
    expect(normalizeMessageId("<>")).toBeNull();
    expect(messageIdsIn("<a@b>\r\n <c@d>")).toEqual(["<a@b>", "<c@d>"]);
    expect(messageIdsIn(["<a@b>", "<c@d>"])).toEqual(["<a@b>", "<c@d>"]);
    expect(messageIdsIn("a@b")).toEqual(["<a@b>"]);
  });
});
