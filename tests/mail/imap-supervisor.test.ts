import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { mailboxes } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/secrets";
import { resetEnvForTests } from "@/lib/env";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { ingestEmail } from "@/lib/mail/inbound/ingest";
import { loadMailboxConfigs, parseImapUrl } from "@/lib/mail/imap/config";
import { releaseLease, takeLease } from "@/lib/mail/imap/lease";
import { MailboxPoller } from "@/lib/mail/imap/poller";
import { createImapPollers, type ImapPollers } from "@/lib/mail/imap/worker";
import { useTestDb } from "../helpers/db";
import { useDovecot } from "../helpers/use-dovecot";

/*
 * Mailbox settings (IMAP_URL, the mailboxes table), the lease, the supervisor that follows admin
 * changes, and the worker wiring: against a private dovecot and the real ingestEmail.
 */

const testDb = useTestDb();
const dv = useDovecot({ leased: "leased-pw", admin: "admin-pw", envbox: "envbox-pw" });
let db: Db;

beforeAll(() => {
  db = testDb.db;
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function newTicketMail(subject: string): Buffer {
  const text = fs.readFileSync(path.join(__dirname, "../fixtures/mail/new-ticket.eml"), "utf8");
  return Buffer.from(text.replaceAll("{{ID}}", crypto.randomUUID()).replace(/^Subject: .*$/m, `Subject: ${subject}`));
}

const waitFor: typeof dv.server.waitFor = (what, fn, timeoutMs) => dv.server.waitFor(what, fn, timeoutMs);

const ticketTitled = async (title: string) => (await rows<{ key: string }>(db, sql`SELECT key FROM tickets WHERE title = ${title}`))[0]?.key ?? null;

describe("IMAP_URL parsing", () => {
  it("reads user, password, host, port, folder, action and TLS options", () => {
    const c = parseImapUrl("imaps://desk%40corp.test:p%40ss%3Aw@mail.corp.test/Help%20Desk?action=move&moveTo=Done&tlsInsecure=1");
    expect(c).toMatchObject({ key: "env", mailboxId: null, host: "mail.corp.test", port: 993, secure: true, tlsInsecure: true, user: "desk@corp.test", pass: "p@ss:w", folder: "Help Desk", action: "move", moveTo: "Done" });
    expect(c.label).toBe("desk@corp.test@mail.corp.test:993/Help Desk");
    expect(parseImapUrl("imap://u:p@localhost")).toMatchObject({ port: 143, secure: false, tlsInsecure: false, folder: "INBOX", action: "flag", moveTo: null });
    expect(parseImapUrl("imap://u:p@h/INBOX").fingerprint).not.toBe(parseImapUrl("imap://u:q@h/INBOX").fingerprint);
  });

  it.each([
    ["not a url", "not a URL"],
    ["https://u:p@h/INBOX", "imap:// or imaps://"],
    ["imaps://mail.corp.test/INBOX", "user and a password"],
    ["imaps://u:p@h/INBOX?action=delete", "flag or move"],
    ["imaps://u:p@h/INBOX?action=move", "needs moveTo"],
    ["imaps://u:p@h/INBOX?action=move&moveTo=INBOX", "differ from the polled folder"],
  ])("refuses %s with a clear message", (url, message) => {
    expect(() => parseImapUrl(url)).toThrow(message);
  });
});

describe("mailbox lease", () => {
  it("one owner at a time; renewable by its owner; free after release or expiry", async () => {
    expect(await takeLease(db, "t:lease", "a")).toBe(true);
    expect(await takeLease(db, "t:lease", "b")).toBe(false);
    expect(await takeLease(db, "t:lease", "a")).toBe(true);
    await releaseLease(db, "t:lease", "b"); // not b's: nothing happens
    expect(await takeLease(db, "t:lease", "b")).toBe(false);
    await releaseLease(db, "t:lease", "a");
    expect(await takeLease(db, "t:lease", "b")).toBe(true);
    await db.execute(sql`UPDATE mailbox_leases SET until = now() - interval '1 second' WHERE key = 't:lease'`);
    expect(await takeLease(db, "t:lease", "a")).toBe(true);
    const [r] = await rows<{ owner: string; secs: number }>(db, sql`SELECT owner, extract(epoch FROM until - now())::float8 AS secs FROM mailbox_leases WHERE key = 't:lease'`);
    expect(r.owner).toBe("a");
    expect(r.secs).toBeGreaterThan(60);
    expect(r.secs).toBeLessThanOrEqual(90);
  });

  it("two pollers of one mailbox: one reads it, the other waits and takes over when the first stops", async () => {
    const mb = parseImapUrl(dv.server.url("leased"), "t:leased");
    const a = new MailboxPoller(db, mb, { owner: "instance-a", ingest: ingestEmail, leaseS: 3 });
    a.start();
    cleanups.push(() => a.stop());
    await waitFor("a to connect", () => a.status.state === "connected");
    const b = new MailboxPoller(db, mb, { owner: "instance-b", ingest: ingestEmail, leaseS: 3 });
    b.start();
    cleanups.push(() => b.stop());
    await waitFor("b to wait for the lease", () => b.status.state === "waiting-lease");
    await dv.server.append("leased", newTicketMail("Leased mailbox one"));
    await waitFor("the first ticket", () => ticketTitled("Leased mailbox one"));
    expect(b.status.passes).toBe(0);
    await a.stop();
    await waitFor("b to take over", () => b.status.state === "connected", 10_000);
    await dv.server.append("leased", newTicketMail("Leased mailbox two"));
    await waitFor("the second ticket", () => ticketTitled("Leased mailbox two"));
    const [lease] = await rows<{ owner: string }>(db, sql`SELECT owner FROM mailbox_leases WHERE key = 't:leased'`);
    expect(lease.owner).toBe("instance-b");
  });
});

describe("supervisor: the mailbox list follows admin changes", () => {
  let pollers: ImapPollers;

  it("starts a poller for an active stored mailbox (sealed password), records lastPolledAt, restarts on a change, stops when deactivated", async () => {
    const [row] = await db
      .insert(mailboxes)
      .values({ name: "Support", host: dv.server.host, port: dv.server.port, secure: false, username: "admin", passwordCiphertext: encryptSecret("admin-pw"), folder: "INBOX" })
      .returning();
    pollers = createImapPollers(db, { imapUrl: "", ingest: ingestEmail, backoff: { minMs: 50, maxMs: 200 } });
    cleanups.push(() => pollers.stop());
    const cfg = await loadMailboxConfigs(db, "");
    expect(cfg.mailboxes.map((m) => m.key)).toEqual([`db:${row.id}`]);
    expect(cfg.mailboxes[0].pass).toBe("admin-pw");

    await pollers.sync();
    expect([...pollers.running().keys()]).toEqual([`db:${row.id}`]);
    await dv.server.append("admin", newTicketMail("From the admin mailbox"));
    await waitFor("the ticket", () => ticketTitled("From the admin mailbox"));
    const [src] = await rows<{ source: string }>(db, sql`SELECT source FROM inbound_messages WHERE subject = 'From the admin mailbox'`);
    expect(src.source).toBe(`imap:db:${row.id}`);
    const polled = await waitFor("lastPolledAt", async () => (await db.select().from(mailboxes).where(eq(mailboxes.id, row.id)))[0].lastPolledAt);
    expect(polled).toBeInstanceOf(Date);

    // A wrong password: the poller is restarted with the new settings and records the failure.
    const before = pollers.running().get(`db:${row.id}`);
    await db.update(mailboxes).set({ passwordCiphertext: encryptSecret("wrong") }).where(eq(mailboxes.id, row.id));
    await pollers.sync();
    expect(pollers.running().get(`db:${row.id}`)).not.toBe(before);
    expect(before?.status.state).toBe("stopped");
    const lastError = await waitFor("lastError", async () => (await db.select().from(mailboxes).where(eq(mailboxes.id, row.id)))[0].lastError);
    expect(lastError).toMatch(/auth/i);
    expect(lastError).not.toContain("wrong");

    // A password no key opens is reported on the row, and not polled.
    await db.update(mailboxes).set({ passwordCiphertext: "v1.deadbeef.x.y.z", lastError: null }).where(eq(mailboxes.id, row.id));
    await pollers.sync();
    expect(pollers.running().size).toBe(0);
    expect((await db.select().from(mailboxes).where(eq(mailboxes.id, row.id)))[0].lastError).toMatch(/password cannot be opened/);

    await db.update(mailboxes).set({ passwordCiphertext: encryptSecret("admin-pw"), active: false }).where(eq(mailboxes.id, row.id));
    await pollers.sync();
    expect(pollers.running().size).toBe(0);
  });

  it("the worker process polls IMAP_URL (flag) without any other setup", async () => {
    process.env.IMAP_URL = dv.server.url("envbox");
    resetEnvForTests();
    cleanups.push(async () => {
      await stopWorkers();
      delete process.env.IMAP_URL;
      resetEnvForTests();
    });
    await startWorkers();
    await dv.server.append("envbox", newTicketMail("Through IMAP_URL"));
    await waitFor("the ticket", () => ticketTitled("Through IMAP_URL"), 40_000);
    const [src] = await rows<{ source: string }>(db, sql`SELECT source FROM inbound_messages WHERE subject = 'Through IMAP_URL'`);
    expect(src.source).toBe("imap:env");
    await waitFor("the message flagged", async () => (await dv.server.list("envbox"))[0]?.flags.includes("$SwitchboardDone"));
  });
});
