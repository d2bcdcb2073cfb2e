import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import { ingestEmail } from "@/lib/mail/inbound/ingest";
import { parseImapUrl, type MailboxConfig } from "@/lib/mail/imap/config";
import { MailboxPoller, pollOnce, DONE_KEYWORD, type IngestFn } from "@/lib/mail/imap/poller";
import { useTestDb } from "../helpers/db";
import { useDovecot } from "../helpers/use-dovecot";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { useTestStorage } from "../helpers/storage";

/*
 * The IMAP way in against a real Dovecot on loopback (tests/helpers/dovecot.ts) and the real
 * ingestEmail: each test reads its own mailbox (one dovecot user per test).
 */

const testDb = useTestDb();
useTestStorage();
const USERS = ["new", "move", "thread", "auto", "twice", "race", "latin1", "html", "recover", "failing"] as const;
const dv = useDovecot(Object.fromEntries(USERS.map((u) => [u, `${u}-pw`])));
let db: Db;
let agent: Actor;

beforeAll(async () => {
  db = testDb.db;
  ({ agent } = await makeDeskActors(db));
});

const running: MailboxPoller[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

/** A fixture of tests/fixtures/mail with its placeholders filled. */
function fixture(name: string, vars: { id?: string; key?: string; parent?: string } = {}): Buffer {
  const text = fs.readFileSync(path.join(__dirname, "../fixtures/mail", name), "latin1");
  return Buffer.from(
    text
      .replaceAll("{{ID}}", vars.id ?? crypto.randomUUID())
      .replaceAll("{{KEY}}", vars.key ?? "T-0")
      .replaceAll("{{PARENT}}", vars.parent ?? "<none@none.test>"),
    "latin1",
  );
}

function mailbox(user: (typeof USERS)[number], params?: Record<string, string>): MailboxConfig {
  return parseImapUrl(dv.server.url(user, undefined, "INBOX", params), `test-${user}`);
}

const waitFor: typeof dv.server.waitFor = (what, fn, timeoutMs) => dv.server.waitFor(what, fn, timeoutMs);

interface InboundRow extends Record<string, unknown> {
  message_id: string;
  source: string;
  status: string;
  action: string | null;
  reason: string | null;
  ticket_key: string | null;
}
const inbound = (source: string) =>
  rows<InboundRow>(
    db,
    sql`SELECT i.message_id, i.source, i.status, i.action, i.reason, t.key AS ticket_key
        FROM inbound_messages i LEFT JOIN tickets t ON t.id = i.ticket_id WHERE i.source = ${source} ORDER BY i.id`,
  );
const ticket = async (key: string) =>
  (await rows<{ title: string; description: string; status: string; requester_email: string; source: string }>(db, sql`SELECT title, description, status::text, requester_email, source::text FROM tickets WHERE key = ${key}`))[0];
const comments = (key: string) =>
  rows<{ body: string; internal: boolean }>(db, sql`SELECT c.body, c.internal FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id WHERE t.key = ${key} ORDER BY c.id`);
const ticketCount = async () => (await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM tickets`))[0].n;

describe("IMAP poller (dovecot)", () => {
  it("turns a new mail into a ticket and flags it \\Seen and $SwitchboardDone; the next pass finds nothing", async () => {
    const id = crypto.randomUUID();
    await dv.server.append("new", fixture("new-ticket.eml", { id }));
    const mb = mailbox("new");
    expect(await pollOnce(db, mb, ingestEmail)).toEqual({ found: 1, processed: 1, failed: 0, error: null });
    const [row] = await inbound("imap:test-new");
    expect(row).toMatchObject({ message_id: `<${id}@mail.customer.test>`, status: "processed", action: "created" });
    const t = await ticket(row.ticket_key!);
    expect(t).toMatchObject({ title: "Printer on 3rd floor jams on every print job", requester_email: "dana@customer.test", source: "email" });
    expect(t.description).toContain("jams on every print");
    expect(await dv.server.list("new")).toEqual([{ uid: 1, flags: [DONE_KEYWORD, "\\Seen"], subject: "Printer on 3rd floor jams on every print job" }]);
    expect(await pollOnce(db, mb, ingestEmail)).toMatchObject({ found: 0, processed: 0 });
    expect(await inbound("imap:test-new")).toHaveLength(1);
  });

  it("moves processed mail to moveTo (creating the folder), and a message read by hand is left alone", async () => {
    await dv.server.append("move", fixture("new-ticket.eml"), "INBOX", ["\\Seen"]);
    await dv.server.append("move", fixture("html-only.eml"));
    const mb = mailbox("move", { action: "move", moveTo: "Processed" });
    expect(await dv.server.list("move", "Processed")).toEqual([]);
    expect(await pollOnce(db, mb, ingestEmail)).toMatchObject({ found: 1, processed: 1 });
    expect((await dv.server.list("move")).map((m) => m.subject)).toEqual(["Printer on 3rd floor jams on every print job"]);
    expect(await dv.server.list("move", "Processed")).toEqual([{ uid: 1, flags: [DONE_KEYWORD, "\\Seen"], subject: "Fwd: VPN drops every 10 minutes" }]);
    expect((await inbound("imap:test-move")).map((r) => r.action)).toEqual(["created"]);
  });

  it("a running poller (IDLE) picks up a new mail at once, then a reply threads into the ticket and reopens it when resolved", async () => {
    // A poll interval of an hour: only IDLE's EXISTS announcement can start the later passes.
    const p = new MailboxPoller(db, mailbox("thread"), { owner: "test-thread", ingest: ingestEmail, pollIntervalS: 3600 });
    running.push(p);
    p.start();
    await waitFor("the poller to connect", async () => p.status.state === "connected" && p.status.passes >= 1);
    expect(p.status.idle).toBe(true);

    const rootId = `<${crypto.randomUUID()}@mail.customer.test>`;
    await dv.server.append("thread", fixture("new-ticket.eml", { id: rootId.slice(1, -1 - "@mail.customer.test".length) }));
    const [created] = await waitFor("the ticket", async () => {
      const r = await inbound("imap:test-thread");
      return r.length === 1 && r[0].ticket_key ? r : null;
    });
    expect(created.message_id).toBe(rootId);
    const key = created.ticket_key!;

    const resolved = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { status: "resolved" } });
    expect(resolved.status).toBe(200);
    expect((await ticket(key)).status).toBe("resolved");

    await dv.server.append("thread", fixture("reply-gmail.eml", { key, parent: rootId }));
    const r = await waitFor("the reply", async () => {
      const list = await inbound("imap:test-thread");
      return list.length === 2 && list[1].status !== "received" ? list[1] : null;
    });
    expect(r).toMatchObject({ status: "processed", action: "commented", ticket_key: key });
    const c = await comments(key);
    expect(c.at(-1)?.body).toContain("It is jamming again, same paper tray. Please reopen.");
    expect(c.at(-1)?.body).not.toContain("we replaced the roller");
    expect(c.at(-1)?.internal).toBe(false);
    expect((await ticket(key)).status).toBe("open");
    await waitFor("both messages flagged", async () => (await dv.server.list("thread")).every((m) => m.flags.includes(DONE_KEYWORD)));
  });

  it("ignores an auto-reply (Auto-Submitted) and still marks it processed", async () => {
    const before = await ticketCount();
    await dv.server.append("auto", fixture("auto-reply.eml"));
    await dv.server.append("auto", fixture("bulk.eml"));
    expect(await pollOnce(db, mailbox("auto"), ingestEmail)).toMatchObject({ found: 2, processed: 2, failed: 0 });
    const list = await inbound("imap:test-auto");
    expect(list.map((r) => r.status)).toEqual(["ignored", "ignored"]);
    expect(list.every((r) => r.ticket_key === null)).toBe(true);
    expect(await ticketCount()).toBe(before);
    expect((await dv.server.list("auto")).map((m) => m.flags)).toEqual([
      [DONE_KEYWORD, "\\Seen"],
      [DONE_KEYWORD, "\\Seen"],
    ]);
  });

  it("the same message delivered twice (same Message-ID) makes one ticket", async () => {
    const id = crypto.randomUUID();
    const before = await ticketCount();
    await dv.server.append("twice", fixture("new-ticket.eml", { id }));
    await dv.server.append("twice", fixture("new-ticket.eml", { id }));
    expect(await pollOnce(db, mailbox("twice"), ingestEmail)).toMatchObject({ found: 2, processed: 2 });
    expect(await ticketCount()).toBe(before + 1);
    expect(await inbound("imap:test-twice")).toHaveLength(1);
    // A later copy (another delivery after the first was processed) changes nothing either.
    await dv.server.append("twice", fixture("new-ticket.eml", { id }));
    expect(await pollOnce(db, mailbox("twice"), ingestEmail)).toMatchObject({ found: 1, processed: 1 });
    expect(await ticketCount()).toBe(before + 1);
    expect((await dv.server.list("twice")).every((m) => m.flags.includes(DONE_KEYWORD))).toBe(true);
  });

  it("two pollers at once on one mailbox (no lease between them) make one ticket per message", async () => {
    const before = await ticketCount();
    for (let i = 0; i < 4; i++) await dv.server.append("race", fixture("new-ticket.eml"));
    // Both passes see all four messages before either marks one: the ingest waits for the other's.
    let entered = 0;
    let release!: () => void;
    const bothIn = new Promise<void>((r) => (release = r));
    const gated: IngestFn = async (d, raw, o) => {
      if (++entered === 2) release();
      await bothIn;
      return ingestEmail(d, raw, o);
    };
    const mb = mailbox("race");
    const [a, b] = await Promise.all([pollOnce(db, mb, gated), pollOnce(db, mb, gated)]);
    expect(a.found).toBe(4);
    expect(b.found).toBe(4);
    expect(a.failed + b.failed).toBe(0);
    expect(await ticketCount()).toBe(before + 4);
    expect(await inbound("imap:test-race")).toHaveLength(4);
    expect((await dv.server.list("race")).every((m) => m.flags.includes(DONE_KEYWORD))).toBe(true);
  });

  it("a mail with an ISO-8859-1 body and a PDF attachment", async () => {
    await dv.server.append("latin1", fixture("latin1-attachment.eml"));
    expect(await pollOnce(db, mailbox("latin1"), ingestEmail)).toMatchObject({ found: 1, processed: 1 });
    const [row] = await inbound("imap:test-latin1");
    expect(row).toMatchObject({ status: "processed", action: "created" });
    const t = await ticket(row.ticket_key!);
    expect(t.title).toBe("Drucker im Büro druckt Streifen");
    expect(t.description).toContain("der Drucker im Büro für Übersetzungen druckt nur noch Streifen.");
    const files = await rows<{ filename: string }>(
      db,
      sql`SELECT u.filename FROM uploads u JOIN tickets t ON t.id = u.ticket_id WHERE t.key = ${row.ticket_key} ORDER BY u.filename`,
    );
    expect(files.map((f) => f.filename)).toEqual(["Fehlerprotokoll.pdf"]);
  });

  it("an HTML-only mail becomes a ticket with text, no markup or script", async () => {
    await dv.server.append("html", fixture("html-only.eml"));
    expect(await pollOnce(db, mailbox("html"), ingestEmail)).toMatchObject({ found: 1, processed: 1 });
    const [row] = await inbound("imap:test-html");
    const t = await ticket(row.ticket_key!);
    expect(t.description).toContain("connection drops every 10");
    expect(t.description).not.toMatch(/<p>|<script|alert\(/);
  });

  it("recovers when the server goes down and comes back, and picks up mail delivered meanwhile", async () => {
    const p = new MailboxPoller(db, mailbox("recover"), { owner: "test-recover", ingest: ingestEmail, pollIntervalS: 3600, backoff: { minMs: 50, maxMs: 300 } });
    running.push(p);
    p.start();
    await waitFor("the poller to connect", async () => p.status.state === "connected" && p.status.passes >= 1);
    await dv.server.stop();
    await waitFor("the poller to notice the server is gone", async () => p.status.failures >= 2);
    expect(p.status.lastError).toBeTruthy();
    const id = crypto.randomUUID();
    dv.server.deliver("recover", fixture("new-ticket.eml", { id }));
    await dv.server.start();
    const [row] = await waitFor("the mail delivered while the server was down", async () => {
      const r = await inbound("imap:test-recover");
      return r.length === 1 && r[0].ticket_key ? r : null;
    });
    expect(row.message_id).toBe(`<${id}@mail.customer.test>`);
    expect(p.status.failures).toBe(0);
    await waitFor("the message flagged", async () => (await dv.server.list("recover"))[0]?.flags.includes(DONE_KEYWORD));
  });

  it("a message whose ingest throws stays unmarked and is retried on the next pass; the others go on", async () => {
    await dv.server.append("failing", fixture("new-ticket.eml"));
    await dv.server.append("failing", fixture("html-only.eml"));
    let fail = true;
    const flaky: IngestFn = async (d, raw, o) => {
      if (fail && raw.includes("Printer on 3rd floor")) throw new Error("database unreachable");
      return ingestEmail(d, raw, o);
    };
    const mb = mailbox("failing");
    expect(await pollOnce(db, mb, flaky)).toEqual({ found: 2, processed: 1, failed: 1, error: "database unreachable" });
    expect((await dv.server.list("failing")).map((m) => m.flags)).toEqual([[], [DONE_KEYWORD, "\\Seen"]]);
    fail = false;
    expect(await pollOnce(db, mb, flaky)).toMatchObject({ found: 1, processed: 1, failed: 0 });
    expect((await inbound("imap:test-failing")).map((r) => r.action)).toEqual(["created", "created"]);
  });
});
