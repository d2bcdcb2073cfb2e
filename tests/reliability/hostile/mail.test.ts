/**
 * Hostile e-mails, end to end (issue 15 §3 "Hostile input"), through POST /api/inbound/email (raw
 * RFC 822, agent API key) and, for the nested tree, the ingest function the IMAP poller calls:
 * a 20 MB attachment (base64 makes the message ~27 MB: over INBOUND_MAX_BYTES it is a 413; with
 * the limit raised, the ticket is filed with the attachment stored), a MIME tree nested 200 deep,
 * a broken charset with invalid UTF-8, and header injection (CRLF + Bcc in the Subject, an
 * encoded-word decoding to CR LF, a From with CRLF): the ticket title and requester carry no
 * CR/LF and no injected address, so a Subject built from them cannot carry a header. No
 * answer is a 5xx; a normal mail afterwards files a ticket. PGlite and, with DATABASE_URL, PostgreSQL.
 */
import crypto from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { tickets } from "@/db/schema";
import * as inboundRoute from "@/app/api/inbound/email/route";
import { ingestEmail } from "@/lib/mail/inbound/ingest";
import { useTestDb } from "../../helpers/db";
import { makeActor, type Actor } from "../../helpers/fixtures";
import { call, type CallResult } from "../../helpers/http";
import { useTestStorage } from "../../helpers/storage";
import { clearEnv, setEnv } from "../../triage/set-env";

const testDb = useTestDb();
useTestStorage();
let db: Db;
let agent: Actor;
const MB = 1024 * 1024;

beforeAll(async () => {
  db = testDb.db;
  setEnv({ MAIL_FROM: "Service Desk <desk@desk.test>" });
  agent = await makeActor(db, "agent@corp.test", "agent", { teamSlug: "service-desk" });
});

afterEach(() => clearEnv(["INBOUND_MAX_BYTES"]));

async function post(raw: Buffer | string): Promise<CallResult<any>> {
  const r = await call(inboundRoute.POST, {
    path: "/api/inbound/email",
    method: "POST",
    key: agent.key,
    raw: new Uint8Array(typeof raw === "string" ? Buffer.from(raw, "latin1") : raw),
    headers: { "content-type": "message/rfc822" },
  });
  expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBeLessThan(500);
  if (r.status >= 400) {
    expect(r.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(r.body.error.message).not.toMatch(/internal|\n\s+at /i);
  }
  return r;
}

async function ticket(key: string) {
  const [t] = await db.select().from(tickets).where(eq(tickets.key, key));
  return t;
}

const mid = () => `<${crypto.randomUUID()}@hostile.test>`;
const head = (subject: string, extra = "") =>
  `From: Dana <dana@customer.test>\r\nTo: desk@desk.test\r\nSubject: ${subject}\r\nMessage-ID: ${mid()}\r\nDate: Fri, 04 Dec 2026 00:50:00 +0000\r\nMIME-Version: 1.0\r\n${extra}`;

/** A multipart/mixed mail with one text part and one attachment of `bytes` (base64, 76-char lines). */
function withAttachment(bytes: Buffer, name: string, type: string): Buffer {
  const b64 = bytes.toString("base64").replace(/.{76}/g, "$&\r\n");
  return Buffer.from(
    head("Logs from the crashed server", 'Content-Type: multipart/mixed; boundary="b1"\r\n') +
      "\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe server crashed overnight; the full log is attached.\r\n" +
      `--b1\r\nContent-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b1--\r\n`,
    "latin1",
  );
}

/** A log-like text file of `size` bytes (an allowed attachment type). */
function logBytes(size: number): Buffer {
  const line = "2026-12-04T00:00:00Z server-7 kernel: watchdog: BUG: soft lockup - CPU#3 stuck for 22s\n";
  return Buffer.from(line.repeat(Math.ceil(size / line.length)).slice(0, size));
}

describe("hostile e-mails through POST /api/inbound/email", () => {
  it("a 20 MB attachment: the ~27 MB message is over INBOUND_MAX_BYTES (25 MB) → 413 payload_too_large, no ticket", async () => {
    const raw = withAttachment(logBytes(20 * MB), "server.log", "text/plain");
    expect(raw.length).toBeGreaterThan(25 * MB);
    const [before] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM tickets`);
    const r = await post(raw);
    expect([r.status, r.body.error?.code]).toEqual([413, "payload_too_large"]);
    expect(r.body.error.details).toMatchObject({ maxBytes: 25 * MB });
    const [after] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM tickets`);
    expect(after.n).toBe(before.n);
  }, 180_000);

  it("with INBOUND_MAX_BYTES raised to 40 MB the same mail files a ticket with the 20 MB file stored (≤ UPLOAD_MAX_BYTES 50 MB)", async () => {
    setEnv({ INBOUND_MAX_BYTES: String(40 * MB) });
    const r = await post(withAttachment(logBytes(20 * MB), "server.log", "text/plain"));
    expect(r.status).toBe(201);
    const t = await ticket(r.body.ticketKey);
    const files = await rows<{ filename: string; size: number; status: string }>(
      db,
      sql`SELECT filename, size_bytes::float8 AS size, status FROM uploads WHERE ticket_id = ${t.id}`,
    );
    expect(files).toEqual([{ filename: "server.log", size: 20 * MB, status: "done" }]);
    expect(t.description).not.toContain("[Not attached");
  }, 180_000);

  it("an attachment over UPLOAD_MAX_BYTES is left off with a clear note in the ticket", async () => {
    setEnv({ UPLOAD_MAX_BYTES: String(1 * MB) });
    try {
      const r = await post(withAttachment(logBytes(2 * MB), "big.log", "text/plain"));
      expect(r.status).toBe(201);
      const t = await ticket(r.body.ticketKey);
      expect(t.description).toContain("[Not attached: big.log: 2 MB is over the 1 MB limit]");
      const [{ n }] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM uploads WHERE ticket_id = ${t.id}`);
      expect(n).toBe(0);
    } finally {
      clearEnv(["UPLOAD_MAX_BYTES"]);
    }
  }, 180_000);

  it("a MIME tree nested 200 deep: no 500, no hang; the text part at the bottom becomes the ticket", async () => {
    const depth = 200;
    let body = "";
    for (let i = 0; i < depth; i++) body += `--n${i}\r\nContent-Type: multipart/mixed; boundary="n${i + 1}"\r\n\r\n`;
    body += `--n${depth}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe VPN drops every ten minutes since the update.\r\n--n${depth}--\r\n`;
    for (let i = depth - 1; i >= 0; i--) body += `--n${i}--\r\n`;
    const raw = head("VPN drops", 'Content-Type: multipart/mixed; boundary="n0"\r\n') + "\r\n" + body;
    const t0 = Date.now();
    const r = await post(raw);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const t = await ticket(r.body.ticketKey);
    expect(t.title).toBe("VPN drops");
    expect(t.description).toContain("The VPN drops every ten minutes");
    // The same tree through the ingest function the IMAP poller uses.
    const again = await ingestEmail(db, Buffer.from(raw.replace(/Message-ID: <[^>]+>/, `Message-ID: ${mid()}`), "latin1"), { source: "imap" });
    expect(again).toMatchObject({ status: "processed", action: "created" });
  }, 180_000);

  it("a broken charset (x-unknown-garbage, invalid UTF-8 bytes) files a ticket with readable text, not a 500", async () => {
    const raw = Buffer.concat([
      Buffer.from(head("Caf\xe9 machine broken", "Content-Type: text/plain; charset=x-unknown-garbage\r\nContent-Transfer-Encoding: 8bit\r\n") + "\r\n", "latin1"),
      Buffer.from([0x54, 0x68, 0x65, 0x20, 0xc3, 0x28, 0xff, 0xfe, 0x20, 0x6d, 0x61, 0x63, 0x68, 0x69, 0x6e, 0x65, 0x20, 0xe9, 0x20, 0x6c, 0x65, 0x61, 0x6b, 0x73, 0x2e, 0x0d, 0x0a]),
    ]);
    const r = await post(raw);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const t = await ticket(r.body.ticketKey);
    if (process.env.HOSTILE_REPORT) console.log(`[hostile] ${JSON.stringify({ title: t.title, description: t.description })}`);
    expect(t.description).toMatch(/^The .* machine .* leaks\.$/);
    expect(t.title).toMatch(/^Caf. machine broken$/);
    expect(t.title + t.description).not.toContain("\u0000");
  });

  it("header injection: CRLF + Bcc in the Subject, an encoded-word decoding to CR LF, a From with CRLF", async () => {
    // 1. A raw CRLF in the Subject ends the header: "Bcc:" becomes a header of the inbound mail, not part of the title.
    const a = await post(head("Printer jam\r\nBcc: victim@example.com") + "Content-Type: text/plain\r\n\r\nThe printer jams.\r\n");
    expect(a.status).toBe(201);
    // 2. An encoded-word that decodes to "Printer jam\r\nBcc: victim@example.com".
    const word = `=?UTF-8?B?${Buffer.from("Printer jam\r\nBcc: victim@example.com\r\nX-Evil: 1").toString("base64")}?=`;
    const b = await post(head(word) + "Content-Type: text/plain\r\n\r\nThe printer jams again.\r\n");
    expect(b.status).toBe(201);
    // 3. A From whose display name is an encoded-word with CRLF.
    const from = `=?UTF-8?B?${Buffer.from("Dana\r\nBcc: victim@example.com").toString("base64")}?= <dana@customer.test>`;
    const c = await post(head("Scanner offline").replace(/^From: .*\r\n/, `From: ${from}\r\n`) + "Content-Type: text/plain\r\n\r\nThe scanner is offline.\r\n");
    expect(c.status).toBe(201);

    for (const r of [a, b, c]) {
      const t = await ticket(r.body.ticketKey);
      if (process.env.HOSTILE_REPORT) console.log(`[hostile] ${JSON.stringify({ title: t.title, requester: t.requesterEmail })}`);
      expect(t.title).not.toMatch(/[\r\n]/);
      expect(t.requesterEmail).toBe("dana@customer.test");
      expect(t.requesterEmail).not.toMatch(/victim|[\r\n]/);
    }
    // The raw CRLF ended the Subject (the Bcc line was a header of the inbound mail, ignored);
    // the decoded CR LF of the encoded-word became spaces.
    expect((await ticket(a.body.ticketKey)).title).toBe("Printer jam");
    expect((await ticket(b.body.ticketKey)).title).toBe("Printer jam Bcc: victim@example.com X-Evil: 1");
  });

  it("a normal mail afterwards files a ticket", async () => {
    const r = await post(head("Monitor flickers") + "Content-Type: text/plain; charset=utf-8\r\n\r\nMy second monitor flickers since Monday.\r\n");
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "processed", action: "created" });
    const t = await ticket(r.body.ticketKey);
    expect(t).toMatchObject({ title: "Monitor flickers", source: "email", requesterEmail: "dana@customer.test" });
  });
});
