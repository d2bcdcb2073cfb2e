import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { inboundMessages, mailOutbox, ticketComments, ticketWatchers, tickets, uploads } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { readObject } from "@/lib/files/storage/s3";
import { ingestEmail } from "@/lib/mail/inbound/ingest";
import { replayInbound } from "@/lib/mail/inbound/replay";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { useTestStorage } from "../helpers/storage";
import { clearEnv, setEnv } from "../triage/set-env";

/*
 * Inbound e-mail (issue #9 §2): ingestEmail turns realistic .eml fixtures (tests/fixtures/mail)
 * into tickets and comments, with threading, stripping, loop protection, bounces, the rate
 * limit, size limit, attachments through the real S3 server, exactly-once under concurrency,
 * and replay. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */

const testDb = useTestDb();
useTestStorage();
let db: Db;
let agent: Actor;

const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "mail");

/** A fixture with its {{ID}}, {{KEY}}, {{PARENT}} placeholders filled (bytes kept: latin1 round trip). */
function eml(name: string, vars: Record<string, string> = {}): Buffer {
  let s = fs.readFileSync(path.join(FIXTURES, name)).toString("latin1");
  const all = { ID: crypto.randomUUID(), KEY: "T-0", PARENT: "<none@nowhere.test>", ...vars };
  for (const [k, v] of Object.entries(all)) s = s.replaceAll(`{{${k}}}`, v);
  return Buffer.from(s, "latin1");
}

/** A small message built in the test. */
function mail(h: { from: string; subject: string; body: string; id?: string; extra?: string }): Buffer {
  return Buffer.from(
    `From: ${h.from}\r\nTo: desk@desk.test\r\nSubject: ${h.subject}\r\nMessage-ID: <${h.id?.includes("@") ? h.id : `${h.id ?? crypto.randomUUID()}@test.local`}>\r\n${h.extra ?? ""}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${h.body}\r\n`,
  );
}

async function ticket(key: string) {
  const [t] = await db.select().from(tickets).where(eq(tickets.key, key));
  return t;
}

async function count(table: "tickets" | "ticket_comments" | "inbound_messages"): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`);
  return r.n;
}

async function inbound(id: number) {
  const [r] = await db.select().from(inboundMessages).where(eq(inboundMessages.id, id));
  return r;
}

/** Record an outgoing mail of ours about a ticket (what the notifier writes), returning its Message-ID. */
async function outgoing(ticketId: number, to: string): Promise<string> {
  const messageId = `<${crypto.randomUUID()}@desk.test>`;
  await db.insert(mailOutbox).values({ handler: "test.notify", ticketId, toAddress: to, subject: "x", textBody: "x", messageId, kind: "agent_reply", status: "sent" });
  return messageId;
}

function agentPrincipal(): Principal {
  return { kind: "user", id: agent.id, role: "agent", userId: agent.id, email: agent.email, label: "agent" };
}

async function newFromFixture(): Promise<{ key: string; id: number; messageId: string }> {
  const id = crypto.randomUUID();
  const r = await ingestEmail(db, eml("new-ticket.eml", { ID: id }), { source: "api" });
  expect(r).toMatchObject({ status: "processed", action: "created", duplicate: false });
  const t = await ticket(r.ticketKey!);
  return { key: r.ticketKey!, id: Number(t.id), messageId: `<${id}@mail.customer.test>` };
}

beforeAll(async () => {
  db = testDb.db;
  setEnv({ MAIL_FROM: "Service Desk <desk@desk.test>" });
  agent = await makeActor(db, "agent@corp.test", "agent", { teamSlug: "service-desk" });
});

afterEach(() => {
  clearEnv(["PUBLIC_SUBMISSIONS", "INBOUND_RATE_PER_HOUR", "INBOUND_MAX_BYTES", "REOPEN_WINDOW_DAYS"]);
});

describe("new tickets", () => {
  it("a new mail becomes a ticket: title from the subject, the stripped text, source email, the sender as requester, Cc as watchers", async () => {
    const before = await count("tickets");
    const { key, id } = await newFromFixture();
    expect(await count("tickets")).toBe(before + 1);
    const t = await ticket(key);
    expect(t.title).toBe("Printer on 3rd floor jams on every print job");
    expect(t.source).toBe("email");
    expect(t.requesterEmail).toBe("dana@customer.test");
    expect(t.requesterVerified).toBe(true);
    expect(t.description).toContain("jams on every print\njob since this morning");
    expect(t.description.endsWith("Thanks,\nDana")).toBe(true);
    expect(t.description).not.toContain("Finance"); // the signature after "-- " is gone
    const w = await db.select({ email: ticketWatchers.email }).from(ticketWatchers).where(eq(ticketWatchers.ticketId, id));
    expect(w.map((x) => x.email)).toEqual(["carl@customer.test"]); // not our own address
    const [row] = await db.select().from(inboundMessages).where(eq(inboundMessages.ticketId, id));
    expect(row).toMatchObject({ status: "processed", action: "created", source: "api", fromAddress: "dana@customer.test" });
    expect(row.raw.toString("utf8")).toContain("Customer Ltd., Example Street 1"); // raw kept whole
  });

  it("an HTML-only mail: the HTML converted to text, never stored", async () => {
    const r = await ingestEmail(db, eml("html-only.eml"), { source: "imap:env" });
    expect(r).toMatchObject({ status: "processed", action: "created" });
    const t = await ticket(r.ticketKey!);
    expect(t.title).toBe("VPN drops every 10 minutes");
    expect(t.description).toContain("my VPN connection drops every 10 minutes since the update to version 5.2");
    expect(t.description).toContain("the status page [https://status.vpn.test/]");
    expect(t.description).not.toMatch(/<|alert|color:red|pixel/);
  });

  it("ISO-8859-1 text and subject with umlauts, a PDF attachment stored and linked, an .exe refused", async () => {
    const r = await ingestEmail(db, eml("latin1-attachment.eml"), { source: "api" });
    expect(r).toMatchObject({ status: "processed", action: "created" });
    const t = await ticket(r.ticketKey!);
    expect(t.title).toBe("Drucker im Büro druckt Streifen");
    expect(t.requesterEmail).toBe("juergen@kunde.test");
    expect(t.description).toContain("der Drucker im Büro für Übersetzungen druckt nur noch Streifen.");
    expect(t.description).toContain("Mit freundlichen Grüßen");
    expect(t.description).toContain("[Not attached: tool.exe: this type of file cannot be attached]");
    const ups = await db.select().from(uploads).where(eq(uploads.ticketId, Number(t.id)));
    expect(ups).toHaveLength(1);
    expect(ups[0]).toMatchObject({ filename: "Fehlerprotokoll.pdf", kind: "attachment", status: "done", contentType: "application/pdf", commentId: null, ownerLabel: "juergen@kunde.test" });
    const stored = Buffer.from(await readObject(ups[0].storageKey));
    expect(stored.subarray(0, 8).toString()).toBe("%PDF-1.4");
    expect(stored.length).toBe(ups[0].sizeBytes);
  });

  it("a forwarded mail keeps the forwarded message: it is the request, not quoted history", async () => {
    const r = await ingestEmail(db, eml("forward-outlook.eml"), { source: "api" });
    const t = await ticket(r.ticketKey!);
    expect(t.title).toBe("Your licence for CAD Suite expires in 3 days");
    expect(t.description).toMatch(/^Can you renew this for our team please\?/);
    expect(t.description).toContain("Licence key ABCD-1234 for 5 seats expires on 4 December 2026.");
  });

  it("windows-1252 quoted-printable: euro sign and typographic quotes", async () => {
    const r = await ingestEmail(db, eml("windows-1252.eml"), { source: "api" });
    const t = await ticket(r.ticketKey!);
    expect(t.description).toContain("„Der Kostenvoranschlag über 120 €“ fehlt.");
  });

  it("a mail without subject or text still makes a valid ticket", async () => {
    const r = await ingestEmail(db, mail({ from: "quiet@customer.test", subject: "", body: "" }), { source: "api" });
    expect(r).toMatchObject({ status: "processed", action: "created" });
    const t = await ticket(r.ticketKey!);
    expect(t.title).toBe("(no subject)");
    expect(t.description).toBe("(no subject)");
  });
});

describe("replies", () => {
  it("In-Reply-To naming our outgoing mail: a comment with only the new text, reopening the resolved ticket", async () => {
    const { key, id } = await newFromFixture();
    await updateTicket(db, key, { status: "resolved", resolution: "Replaced the roller" }, agentPrincipal());
    const parent = await outgoing(id, "dana@customer.test");
    const before = await count("tickets");
    const r = await ingestEmail(db, eml("reply-gmail.eml", { KEY: key, PARENT: parent }), { source: "imap:env" });
    expect(r).toMatchObject({ status: "processed", action: "commented", ticketKey: key, duplicate: false });
    expect(await count("tickets")).toBe(before);
    const cs = await db.select().from(ticketComments).where(eq(ticketComments.ticketId, id));
    expect(cs).toHaveLength(1);
    expect(cs[0]).toMatchObject({ body: "It is jamming again, same paper tray. Please reopen.", authorRole: "requester", internal: false, authorLabel: "dana@customer.test" });
    expect((await ticket(key)).status).toBe("open");
    expect((await inbound(r.inboundId!)).commentId).toBe(Number(cs[0].id));
  });

  it("References naming an earlier inbound message of the ticket thread into it", async () => {
    const { key, id, messageId } = await newFromFixture();
    const r = await ingestEmail(
      db,
      mail({ from: "Dana <dana@customer.test>", subject: "Re: Printer", body: "One more detail: it is tray 2.\n\n> old", extra: `References: ${messageId}\r\n` }),
      { source: "api" },
    );
    expect(r).toMatchObject({ action: "commented", ticketKey: key });
    const [c] = await db.select().from(ticketComments).where(eq(ticketComments.ticketId, id));
    expect(c.body).toBe("One more detail: it is tray 2.");
  });

  it("[T-n] in the subject from the requester (Outlook quote, no threading headers) → a comment", async () => {
    const { key, id } = await newFromFixture();
    const r = await ingestEmail(db, eml("reply-outlook.eml", { KEY: key }), { source: "api" });
    expect(r).toMatchObject({ action: "commented", ticketKey: key });
    const [c] = await db.select().from(ticketComments).where(eq(ticketComments.ticketId, id));
    expect(c.body).toBe("Thanks, the new toner fixed it. You can close the ticket.\n\nBest regards\nDana");
  });

  it("[T-n] from a watcher (Cc of the first mail) → a comment by the watcher", async () => {
    const { key, id } = await newFromFixture();
    const r = await ingestEmail(db, mail({ from: "Carl <carl@customer.test>", subject: `Re: [${key}] Printer`, body: "Same on the 4th floor." }), { source: "api" });
    expect(r).toMatchObject({ action: "commented", ticketKey: key });
    const [c] = await db.select().from(ticketComments).where(eq(ticketComments.ticketId, id));
    expect(c).toMatchObject({ body: "Same on the 4th floor.", authorLabel: "carl@customer.test", authorRole: "requester" });
  });

  it("[T-n] from a stranger → a new ticket, not a comment on T-n", async () => {
    const { key, id } = await newFromFixture();
    const r = await ingestEmail(db, mail({ from: "mallory@elsewhere.test", subject: `Re: [${key}] Printer`, body: "Let me in on this ticket please." }), { source: "api" });
    expect(r).toMatchObject({ status: "processed", action: "created" });
    expect(r.ticketKey).not.toBe(key);
    expect(await db.select().from(ticketComments).where(eq(ticketComments.ticketId, id))).toHaveLength(0);
  });

  it("a reply from an agent's address is an agent's public reply (first response)", async () => {
    const { key, id } = await newFromFixture();
    const r = await ingestEmail(db, mail({ from: "Agent <agent@corp.test>", subject: `RE: [${key}] Printer`, body: "We will send a technician." }), { source: "api" });
    expect(r).toMatchObject({ action: "commented" });
    const [c] = await db.select().from(ticketComments).where(eq(ticketComments.ticketId, id));
    expect(c).toMatchObject({ authorRole: "agent", authorId: agent.id });
    const t = await ticket(key);
    expect(t.firstResponseAt).not.toBeNull();
    expect(t.status).toBe("open");
  });

  it("a requester's reply to a closed ticket files a follow-up", async () => {
    const { key, id } = await newFromFixture();
    await updateTicket(db, key, { status: "closed", resolution: "Done" }, agentPrincipal());
    const parent = await outgoing(id, "dana@customer.test");
    const r = await ingestEmail(db, eml("reply-gmail.eml", { KEY: key, PARENT: parent }), { source: "api" });
    expect(r).toMatchObject({ status: "processed", action: "follow_up" });
    const f = await ticket(r.ticketKey!);
    expect(f.followUpOfId).toBe(id);
    expect(f.description).toBe("It is jamming again, same paper tray. Please reopen.");
  });

  it("an HTML reply with a screenshot: the comment has the new text, the screenshot is linked to the comment, the signature logo is skipped", async () => {
    const { key, id } = await newFromFixture();
    const r = await ingestEmail(db, eml("reply-html-screenshot.eml", { KEY: key }), { source: "api" });
    expect(r).toMatchObject({ action: "commented", ticketKey: key });
    const [c] = await db.select().from(ticketComments).where(eq(ticketComments.ticketId, id));
    expect(c.body).toBe("Here is a screenshot of the error.\n\nDana");
    const ups = await db.select().from(uploads).where(eq(uploads.ticketId, id));
    expect(ups.map((u) => [u.filename, u.contentType, u.commentId])).toEqual([["screenshot.png", "image/png", Number(c.id)]]);
  });

  it("a reply that is all quote is ignored (nothing to add)", async () => {
    const { key } = await newFromFixture();
    const r = await ingestEmail(db, mail({ from: "dana@customer.test", subject: `Re: [${key}] x`, body: "On Mon, Desk wrote:\n> hello" }), { source: "api" });
    expect(r).toMatchObject({ status: "ignored", reason: "empty_reply" });
  });
});

describe("loop protection", () => {
  it("auto-replies, Precedence bulk, robots and our own Message-IDs are ignored; nothing is created or sent", async () => {
    const { key, id } = await newFromFixture();
    const parent = await outgoing(id, "dana@customer.test");
    const t0 = await count("tickets");
    const c0 = await count("ticket_comments");
    const o0 = (await db.select().from(mailOutbox)).length;
    const auto = await ingestEmail(db, eml("auto-reply.eml", { KEY: key, PARENT: parent }), { source: "api" });
    expect(auto).toMatchObject({ status: "ignored", reason: "auto_submitted" });
    expect(await ingestEmail(db, eml("bulk.eml"), { source: "api" })).toMatchObject({ status: "ignored", reason: "precedence_bulk" });
    expect(await ingestEmail(db, mail({ from: "MAILER-DAEMON@mx.test", subject: "Undelivered", body: "failed" }), { source: "api" })).toMatchObject({ status: "ignored", reason: "mailer_daemon" });
    expect(await ingestEmail(db, mail({ from: "no-reply@saas.test", subject: "Your invoice", body: "hello there" }), { source: "api" })).toMatchObject({ status: "ignored", reason: "no_reply_sender" });
    expect(await ingestEmail(db, mail({ from: "desk@desk.test", subject: "loop", body: "hello there" }), { source: "api" })).toMatchObject({ status: "ignored", reason: "own_address" });
    const own = await ingestEmail(db, mail({ from: "dana@customer.test", subject: "x", body: "our mail came back", id: parent.slice(1, -1) }), { source: "api" });
    expect(own).toMatchObject({ status: "ignored", reason: "own_message" });
    expect(await ingestEmail(db, mail({ from: "dana@customer.test", subject: "x", body: "real mail", extra: "Auto-Submitted: no\r\n" }), { source: "api" })).toMatchObject({ status: "processed" });
    expect(await count("tickets")).toBe(t0 + 1); // only the Auto-Submitted: no mail
    expect(await count("ticket_comments")).toBe(c0);
    expect((await db.select().from(mailOutbox)).length).toBe(o0);
  });

  it("more than INBOUND_RATE_PER_HOUR messages from one sender in an hour → rate_limited", async () => {
    setEnv({ INBOUND_RATE_PER_HOUR: "3" });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await ingestEmail(db, mail({ from: "chatty@customer.test", subject: `Problem ${i}`, body: "Something is broken here." }), { source: "api" }));
    expect(results.map((r) => r.status)).toEqual(["processed", "processed", "processed", "rate_limited", "rate_limited"]);
    expect(results[3].reason).toContain("more than 3 messages");
    // another sender is not affected
    expect((await ingestEmail(db, mail({ from: "calm@customer.test", subject: "One", body: "Just one problem." }), { source: "api" })).status).toBe("processed");
  });
});

describe("bounces", () => {
  it("an unknown sender with public submissions off gets a bounce; nothing is created", async () => {
    setEnv({ PUBLIC_SUBMISSIONS: "false" });
    const t0 = await count("tickets");
    const id = crypto.randomUUID();
    const r = await ingestEmail(db, mail({ from: "Stranger <stranger@unknown.test>", subject: "Please help", body: "My laptop is broken.", id }), { source: "api" });
    expect(r).toMatchObject({ status: "bounced", reason: "unknown_sender", duplicate: false });
    expect(await count("tickets")).toBe(t0);
    const out = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "stranger@unknown.test"));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: "bounce", inReplyTo: `<${id}@test.local>`, ticketId: null });
    expect(out[0].subject).toContain("Please help");
    expect(out[0].headers["Auto-Submitted"]).toBe("auto-replied");
    // the same message again: no second bounce
    expect(await ingestEmail(db, mail({ from: "stranger@unknown.test", subject: "Please help", body: "x", id }), { source: "api" })).toMatchObject({ duplicate: true, status: "bounced" });
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "stranger@unknown.test"))).toHaveLength(1);
  });

  it("with public submissions off, a known user still files tickets, and looping mail is never bounced", async () => {
    setEnv({ PUBLIC_SUBMISSIONS: "false" });
    await makeActor(db, "known@corp.test", "requester");
    expect(await ingestEmail(db, mail({ from: "known@corp.test", subject: "Monitor flickers", body: "Since Monday." }), { source: "api" })).toMatchObject({ action: "created" });
    const auto = await ingestEmail(db, mail({ from: "robot@unknown.test", subject: "Out of office", body: "away", extra: "Auto-Submitted: auto-replied\r\n" }), { source: "api" });
    expect(auto.status).toBe("ignored");
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "robot@unknown.test"))).toHaveLength(0);
  });
});

describe("replies with public submissions off", () => {
  it("participants without an account may still reply; a stranger answering our mail is bounced", async () => {
    const { key, id } = await newFromFixture();
    setEnv({ PUBLIC_SUBMISSIONS: "false" });
    const watcher = await ingestEmail(db, mail({ from: "carl@customer.test", subject: `Re: [${key}] Printer`, body: "Still jammed here too." }), { source: "api" });
    expect(watcher).toMatchObject({ status: "processed", action: "commented", ticketKey: key });
    const parent = await outgoing(id, "dana@customer.test");
    const stranger = await ingestEmail(db, mail({ from: "eve@elsewhere.test", subject: "Re: Printer", body: "Forwarded to me, I have the same.", extra: `In-Reply-To: ${parent}\r\n` }), { source: "api" });
    expect(stranger).toMatchObject({ status: "bounced", reason: "unknown_sender" });
    expect(await db.select().from(ticketComments).where(eq(ticketComments.ticketId, id))).toHaveLength(1);
  });

  it("with public submissions on, someone the conversation was forwarded to becomes a watcher by answering our mail", async () => {
    const { key, id } = await newFromFixture();
    const parent = await outgoing(id, "dana@customer.test");
    const r = await ingestEmail(db, mail({ from: "Fiona <fiona@customer.test>", subject: "Re: Printer", body: "I see it on the 5th floor too.", extra: `In-Reply-To: ${parent}\r\n` }), { source: "api" });
    expect(r).toMatchObject({ action: "commented", ticketKey: key });
    const w = await db.select({ email: ticketWatchers.email }).from(ticketWatchers).where(eq(ticketWatchers.ticketId, id));
    expect(w.map((x) => x.email).sort()).toEqual(["carl@customer.test", "fiona@customer.test"]);
  });
});

describe("exactly once", () => {
  it("the same message twice (in sequence) makes one ticket", async () => {
    const raw = eml("new-ticket.eml");
    const t0 = await count("tickets");
    const a = await ingestEmail(db, raw, { source: "imap:env" });
    const b = await ingestEmail(db, raw, { source: "imap:env" });
    expect(a).toMatchObject({ duplicate: false, action: "created" });
    expect(b).toMatchObject({ duplicate: true, status: "processed", action: "created", ticketKey: a.ticketKey, inboundId: a.inboundId });
    expect(await count("tickets")).toBe(t0 + 1);
  });

  it("the same message in parallel (two pollers) makes one ticket and one comment", async () => {
    const raw = eml("new-ticket.eml");
    const t0 = await count("tickets");
    const rs = await Promise.all([1, 2, 3].map(() => ingestEmail(db, raw, { source: "imap:env" })));
    expect(rs.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(rs.map((r) => r.ticketKey)).size).toBe(1);
    expect(await count("tickets")).toBe(t0 + 1);

    const key = rs[0].ticketKey!;
    const reply = mail({ from: "dana@customer.test", subject: `Re: [${key}] Printer`, body: "Any news?" });
    const c0 = await count("ticket_comments");
    const cs = await Promise.all([1, 2].map(() => ingestEmail(db, reply, { source: "api" })));
    expect(cs.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(await count("ticket_comments")).toBe(c0 + 1);
  });

  it("a message without Message-ID gets a stable id from its bytes", async () => {
    const raw = Buffer.from("From: idless@customer.test\r\nTo: desk@desk.test\r\nSubject: No id\r\n\r\nMy mail client sends no Message-ID.\r\n");
    const a = await ingestEmail(db, raw, { source: "api" });
    const b = await ingestEmail(db, raw, { source: "api" });
    expect(b).toMatchObject({ duplicate: true, inboundId: a.inboundId });
    expect((await inbound(a.inboundId!)).messageId).toBe(`<${crypto.createHash("sha256").update(raw).digest("hex")}@inbound.invalid>`);
  });
});

describe("limits, bad input and replay", () => {
  it("a message over INBOUND_MAX_BYTES is stored as ignored with its headers only", async () => {
    setEnv({ INBOUND_MAX_BYTES: "2048" });
    const raw = mail({ from: "big@customer.test", subject: "Huge log", body: "x".repeat(5000) });
    const r = await ingestEmail(db, raw, { source: "imap:env" });
    expect(r).toMatchObject({ status: "ignored", duplicate: false });
    expect(r.reason).toMatch(/^too_large/);
    const row = await inbound(r.inboundId!);
    expect(row.sizeBytes).toBe(raw.length);
    expect(row.raw.length).toBeLessThan(500);
    expect(row.raw.toString()).toContain("Subject: Huge log");
    expect(row).toMatchObject({ fromAddress: "big@customer.test", subject: "Huge log" });
    expect((await ingestEmail(db, raw, { source: "imap:env" })).duplicate).toBe(true);
    // a poller that fetched only the first bytes passes the real size
    const cutOff = mail({ from: "big@customer.test", subject: "Cut off", body: "x".repeat(100) });
    const c = await ingestEmail(db, cutOff, { source: "imap:env", sizeBytes: 9_000_000 });
    expect(c.reason).toMatch(/^too_large: 9000000 bytes/);
    expect((await inbound(c.inboundId!)).sizeBytes).toBe(9_000_000);
  });

  it("garbage bytes are stored as failed with the error, never thrown", async () => {
    const raw = crypto.randomBytes(3000);
    const r = await ingestEmail(db, raw, { source: "api" });
    expect(r.status).toBe("failed");
    expect(r.error).toMatchObject({ code: "unprocessable", status: 422 });
    const row = await inbound(r.inboundId!);
    expect(row.status).toBe("failed");
    expect(row.error).toContain("no valid sender");
    expect(Buffer.compare(row.raw, raw)).toBe(0);
    // replaying it fails again, the same way
    expect(await replayInbound(db, r.inboundId!)).toMatchObject({ status: "failed", duplicate: false });
  });

  it("replay re-processes a failed row from its raw bytes, once", async () => {
    const raw = eml("new-ticket.eml");
    const [row] = await db
      .insert(inboundMessages)
      .values({ messageId: `<${crypto.randomUUID()}@crash.test>`, source: "imap:env", status: "failed", error: "Error: connection reset", raw, sizeBytes: raw.length })
      .returning({ id: inboundMessages.id });
    const r = await replayInbound(db, Number(row.id));
    expect(r).toMatchObject({ inboundId: Number(row.id), status: "processed", action: "created", duplicate: false });
    const after = await inbound(Number(row.id));
    expect(after).toMatchObject({ status: "processed", error: null, fromAddress: "dana@customer.test" });
    await expect(replayInbound(db, Number(row.id))).rejects.toMatchObject({ status: 409 });
    await expect(replayInbound(db, 987654321)).rejects.toMatchObject({ status: 404 });
  });

  it("a re-delivery of a failed message retries it", async () => {
    const raw = eml("new-ticket.eml");
    const messageId = raw.toString().match(/Message-ID: (<[^>]+>)/)![1];
    await db.insert(inboundMessages).values({ messageId, source: "imap:env", status: "failed", error: "boom", raw, sizeBytes: raw.length });
    const r = await ingestEmail(db, raw, { source: "imap:env" });
    expect(r).toMatchObject({ status: "processed", action: "created", duplicate: false });
  });
});
