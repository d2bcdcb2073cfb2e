/**
 * Hostile e-mails, the way back out (issue 15 §3 "Hostile input"): a mail whose Subject and From
 * display name decode to CR LF + "Bcc: victim@…" files a ticket through POST /api/inbound/email;
 * then the desk writes to the requester for real — `ticket_received`, and an agent's public reply
 * posted through the comments route — through the job workers (mail.notify → outbox → mail.send → nodemailer) to a real SMTP server
 * on loopback (tests/helpers/smtp-sink.ts). Each message must reach the requester only: the SMTP
 * envelope, To, Cc and Bcc name no injected address, and the raw header block has no injected
 * `Bcc:` or `X-Evil:` line and no bare CR or LF inside a header. PGlite and, with DATABASE_URL,
 * PostgreSQL.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as inboundRoute from "@/app/api/inbound/email/route";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { mailNotifyJob } from "@/lib/mail/notify";
import { mailSendTask } from "@/lib/mail/send";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import { useTestDb } from "../../helpers/db";
import { makeActor, type Actor } from "../../helpers/fixtures";
import { call } from "../../helpers/http";
import { clearSinkMailEnv, useSinkForMail } from "../../helpers/mail-env";
import { startSmtpSink, type SinkMessage, type SmtpSink } from "../../helpers/smtp-sink";
import { useTestStorage } from "../../helpers/storage";

const t = useTestDb();
useTestStorage();
let agent: Actor;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
  useSinkForMail(sink, "Service Desk <desk@desk.test>");
  agent = await makeActor(t.db, "agent@corp.test", "agent", { teamSlug: "service-desk" });
  await startWorkers([mailNotifyJob], [mailSendTask]);
}, 120_000);

afterAll(async () => {
  await stopWorkers();
  await sink?.close();
  clearSinkMailEnv();
});

const b64word = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString("base64")}?=`;

/** File a ticket from a raw mail; returns its key. */
async function inbound(from: string, subject: string, body: string): Promise<string> {
  const raw =
    `From: ${from}\r\nTo: desk@desk.test\r\nSubject: ${subject}\r\nMessage-ID: <${crypto.randomUUID()}@hostile.test>\r\n` +
    `Date: Fri, 04 Dec 2026 04:30:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
  const r = await call(inboundRoute.POST, {
    path: "/api/inbound/email",
    method: "POST",
    key: agent.key,
    raw: new Uint8Array(Buffer.from(raw, "latin1")),
    headers: { "content-type": "message/rfc822" },
  });
  expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201);
  return r.body.ticketKey as string;
}

/** The message reached only the requester and its header block carries nothing injected. */
function expectClean(m: SinkMessage, requester: string): void {
  expect(m.envelope.to).toEqual([requester]);
  expect(m.to).toEqual([requester]);
  expect(m.cc).toEqual([]);
  expect(m.parsed.bcc).toBeUndefined();
  const raw = m.raw.toString("latin1");
  const headerBlock = raw.slice(0, raw.indexOf("\r\n\r\n"));
  if (process.env.HOSTILE_REPORT) console.log(`[hostile] outgoing to ${requester}:\n${headerBlock}`);
  // Unfold continuation lines, then no header may be Bcc or X-Evil, and nothing may name the victim.
  const headers = headerBlock.replace(/\r\n[ \t]+/g, " ").split("\r\n");
  expect(headers.filter((h) => /^(bcc|x-evil)\s*:/i.test(h))).toEqual([]);
  expect(headerBlock.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/); // no bare CR or LF inside a header
  expect(m.envelope.to.join(" ") + m.to.join(" ")).not.toContain("victim");
  expect(m.subject).not.toMatch(/[\r\n]/);
}

describe("hostile headers in, clean mail out over real SMTP", () => {
  it("an encoded-word Subject and From name with CR LF + Bcc: the requester's ticket_received and the agent's reply go to the requester only", async () => {
    const requester = "dana@customer.test";
    const subject = b64word("Printer jam\r\nBcc: victim@example.com\r\nX-Evil: 1");
    const from = `${b64word("Dana\r\nBcc: victim@example.com")} <${requester}>`;
    const key = await inbound(from, subject, "The printer on floor 3 jams on every page.");

    const received = await sink.waitFor((m) => m.envelope.to.includes(requester) && m.subject.includes(key), 60_000);
    expectClean(received, requester);
    // The injected text is inert: kept as words of the subject line, on one line.
    expect(received.subject).toContain("Printer jam Bcc: victim@example.com X-Evil: 1");

    const c = await call(commentsRoute.POST, {
      path: `/api/tickets/${key}/comments`,
      method: "POST",
      key: agent.key,
      params: { key },
      body: { body: "Hello Dana,\nwe replaced the fuser; please try again.", internal: false },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const reply = await sink.waitFor((m) => m.envelope.to.includes(requester) && m.subject.includes(`Re: Printer jam`), 60_000);
    expectClean(reply, requester);
    expect(reply.text).toContain("we replaced the fuser");

    // Nothing ever went to the injected address, and nothing twice.
    expect(sink.find((m) => m.envelope.to.some((a) => a.includes("victim")))).toEqual([]);
    const ids = sink.find((m) => m.subject.includes(key)).map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("a raw CR LF in the Subject and RTL, zero-width and emoji text: one clean subject line", async () => {
    const requester = "omar@customer.test";
    const title = "\u202Egpj.exe\u202C \u200Bنظام الطباعة معطل 🖨️";
    const key = await inbound(`Omar <${requester}>`, `${b64word(title)}\r\nBcc: victim@example.com`, "The print system is down.");
    const m = await sink.waitFor((x) => x.envelope.to.includes(requester) && x.subject.includes(key), 60_000);
    expectClean(m, requester);
    expect(m.subject).toContain("نظام الطباعة معطل 🖨️");
  });
});
