import { describe, expect, it } from "vitest";
import { isOptionalMailKind, MAIL_KINDS, type MailKind } from "@/lib/mail/kinds";
import { renderMail, type MailData } from "@/lib/mail/render";

const ticket = { key: "T-42", title: "VPN <script>alert('x')</script> & drops", url: "https://desk.test/requests/T-42" };
const body = "First line of the reply\nSecond line <b>not bold</b>\n\nFourth line";

/** Sample data of every kind, with user content that must be escaped. */
const SAMPLES: { [K in MailKind]: MailData[K] } = {
  ticket_received: { ticket },
  agent_reply: { ticket, author: "Ann Agent", body },
  waiting_on_you: { ticket, message: body },
  resolved: { ticket, resolution: "Replaced the <token>", reopenUrl: "https://desk.test/requests/T-42", reopenWindowDays: 7 },
  reopened: { ticket },
  assigned: { ticket: { ...ticket, url: "https://desk.test/tickets/T-42" }, assigneeName: "Pat", reason: "matched: vpn; load 1/8; in hours", by: null, roundRobin: false },
  team_new_ticket: { ticket: { ...ticket, url: "https://desk.test/tickets/T-42" }, teamName: "Network", requester: "bob@corp.test", priority: "high", description: body },
  watcher_message: { ticket, author: "bob@corp.test", body },
  confirmation: { ticket, confirmUrl: "https://desk.test/confirm/abc", ttlDays: 7 },
  bounce: { originalSubject: "Help <me>", reason: "this desk accepts requests only from known addresses", deskUrl: "https://desk.test" },
  invitation: { name: "Frank <Admin>", teamName: "Network", deskUrl: "https://desk.test", setPasswordUrl: "https://desk.test/invite/abc", ttlHours: 168 },
  account_invite: { name: "Frank <Admin>", invitedBy: "Ada", role: "agent", setPasswordUrl: "https://desk.test/invite/abc", ttlHours: 168 },
  password_reset: { name: "Frank <Admin>", resetUrl: "https://desk.test/reset-password/abc", ttlMinutes: 60 },
  sla_warning: { ticket: { ...ticket, url: "https://desk.test/tickets/T-42" }, target: "first response", policy: "P1 <critical>", priority: "P1", dueAt: "2026-12-02T10:00:00.000Z", dueLabel: "Wed 2 Dec 11:00 CET", remaining: "3 min of business time left" },
  sla_breach: { ticket: { ...ticket, url: "https://desk.test/tickets/T-42" }, target: "resolution", policy: "P1 <critical>", priority: "P1", dueAt: "2026-12-02T10:00:00.000Z", dueLabel: "Wed 2 Dec 11:00 CET", overdue: "overdue by 1 min", actions: ["priority raised P2 → P1", "reassigned to <Lead>"] },
  odata_report: { sourceName: "SAP <PM> notifications", status: "succeeded", fetched: 12, created: 3, updated: 1, skipped: 8, errorCount: 1, errors: ["HTTP 503 <Service Unavailable>"], runUrl: "https://desk.test/admin/odata/1" },
};

describe("renderMail", () => {
  for (const kind of MAIL_KINDS) {
    it(`${kind}: HTML and text parts, escaped user content, subject with the key`, async () => {
      const unsubscribeUrl = isOptionalMailKind(kind) ? `https://desk.test/unsubscribe/tok-${kind}` : null;
      const r = await renderMail(kind, SAMPLES[kind] as never, { unsubscribeUrl });
      expect(r.html).toMatch(/^<!DOCTYPE html/);
      expect(r.html).toContain("</html>");
      expect(r.text.length).toBeGreaterThan(20);
      expect(r.text).not.toMatch(/<(p|div|table|td|span|br)\b/i); // the text part is text, not markup
      // No raw markup from user content reaches the HTML.
      expect(r.html).not.toContain("<script>");
      expect(r.html).not.toContain("<b>not bold</b>");
      expect(r.html).not.toContain("<token>");
      expect(r.html).not.toContain("<me>");
      expect(r.html).not.toContain("<Admin>");
      expect(r.subject).not.toMatch(/[\r\n]/);
      if ("ticket" in SAMPLES[kind]) {
        expect(r.subject.startsWith("[T-42] ")).toBe(true);
        expect(r.html).toContain("&lt;script&gt;");
        expect(r.text).toContain("<script>alert('x')</script>");
      }
      if (unsubscribeUrl) {
        expect(r.html).toContain(`href="${unsubscribeUrl}"`);
        expect(r.text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
      } else {
        expect(r.html).not.toMatch(/unsubscribe/i);
        expect(r.text).not.toMatch(/unsubscribe/i);
      }
    });
  }

  it("keeps the line breaks of a comment body in both parts", async () => {
    const r = await renderMail("agent_reply", SAMPLES.agent_reply, { unsubscribeUrl: null });
    expect(r.text).toContain("First line of the reply\nSecond line <b>not bold</b>\n\nFourth line");
    expect(r.html).toContain("First line of the reply<br/>");
    expect(r.html).toContain("Second line &lt;b&gt;not bold&lt;/b&gt;<br/>");
  });

  it("the resolved mail links to the portal page to reopen; the assigned mail carries the reason and the desk link", async () => {
    const resolved = await renderMail("resolved", SAMPLES.resolved, { unsubscribeUrl: null });
    expect(resolved.text).toContain("Reopen: https://desk.test/requests/T-42");
    expect(resolved.text).toContain("Rate: https://desk.test/requests/T-42#rate");
    expect(resolved.html).toContain('href="https://desk.test/requests/T-42"');
    const assigned = await renderMail("assigned", SAMPLES.assigned, { unsubscribeUrl: null });
    expect(assigned.subject).toBe("[T-42] Assigned to you: VPN <script>alert('x')</script> & drops");
    expect(assigned.text).toContain("Why you: matched: vpn; load 1/8; in hours");
    expect(assigned.text).toContain("https://desk.test/tickets/T-42");
  });

  it("a title with line breaks or a huge length still gives a one-line subject of at most 300 characters", async () => {
    const r = await renderMail("ticket_received", { ticket: { ...ticket, title: `a\r\nBcc: evil@x.test\n${"x".repeat(400)}` } }, { unsubscribeUrl: null });
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.subject.length).toBeLessThanOrEqual(300);
    expect(r.subject.startsWith("[T-42] We received your request: a Bcc: evil@x.test")).toBe(true);
  });
});
