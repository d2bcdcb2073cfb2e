import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { ingestEmail } from "@/lib/mail/inbound/ingest";
import { parseImapUrl } from "@/lib/mail/imap/config";
import { MailboxPoller, DONE_KEYWORD, type IngestFn } from "@/lib/mail/imap/poller";
import { useTestDb } from "../../helpers/db";
import { useDovecot } from "../../helpers/use-dovecot";
import { useTestStorage } from "../../helpers/storage";
import { TcpProxy } from "../../helpers/tcp-proxy";

/*
 * Fault: the IMAP server is down. A MailboxPoller (the worker's reader) reaches a real dovecot
 * through a TcpProxy; `down()` is the server going away (open connections cut, new ones
 * refused). Messages are appended straight into dovecot meanwhile. Polling fails (the poller's
 * status records it, nothing crashes), recovers when the proxy is back, and each message
 * becomes exactly one ticket (one inbound row per Message-ID). A second case cuts the
 * connection in the middle of a pass over several messages.
 */

const t = useTestDb();
useTestStorage();
const dv = useDovecot({ down: "down-pw", cut: "cut-pw" });
let proxy: TcpProxy;
const running: MailboxPoller[] = [];
const figures: string[] = [];

beforeAll(async () => {
  proxy = new TcpProxy({ host: dv.server.host, port: dv.server.port });
  await proxy.up();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await proxy?.down();
  console.log(`[faults:imap]\n${figures.join("\n")}`);
});

const mail = (user: string, n: number, id: string) =>
  [
    `From: Requester ${n} <req${n}.${user}@customer.test>`,
    `To: desk@corp.test`,
    `Subject: Laptop ${n} will not boot (${user})`,
    `Message-ID: <${id}@customer.test>`,
    `Date: Tue, 01 Dec 2026 10:00:00 +0000`,
    "",
    `Laptop number ${n} shows a black screen since this morning and does not boot.`,
  ].join("\r\n");

/** The mailbox as the poller sees it: dovecot's URL with the proxy's port. */
function mailbox(user: "down" | "cut") {
  const u = new URL(dv.server.url(user, undefined, "INBOX"));
  u.port = String(proxy.port);
  return parseImapUrl(u.toString(), `fault-${user}`);
}

/** Inbound rows of a mailbox: Message-ID, status and ticket. */
const inbound = (source: string) =>
  rows<{ message_id: string; status: string; ticket_key: string | null }>(
    t.db,
    sql`SELECT i.message_id, i.status::text AS status, k.key AS ticket_key FROM inbound_messages i LEFT JOIN tickets k ON k.id = i.ticket_id WHERE i.source = ${source} ORDER BY i.id`,
  );
const waitFor: typeof dv.server.waitFor = (what, fn, timeoutMs) => dv.server.waitFor(what, fn, timeoutMs ?? 90_000);

/** Each id has exactly one inbound row with its own ticket; each ticket made by one message. */
async function expectOneTicketEach(source: string, ids: string[]) {
  const r = await inbound(source);
  expect(r.map((x) => x.message_id).sort()).toEqual(ids.map((id) => `<${id}@customer.test>`).sort());
  expect(r.every((x) => x.ticket_key)).toBe(true);
  expect(new Set(r.map((x) => x.ticket_key)).size).toBe(ids.length);
  const [n] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM tickets WHERE key IN (SELECT k.key FROM inbound_messages i JOIN tickets k ON k.id = i.ticket_id WHERE i.source = ${source})`);
  expect(n.n).toBe(ids.length);
}

describe("IMAP server down", () => {
  it("polling fails while it is down (recorded, no crash), recovers, and the 5 messages appended meanwhile become 5 tickets", async () => {
    const p = new MailboxPoller(t.db, mailbox("down"), { owner: "fault-down", ingest: ingestEmail, pollIntervalS: 3600, backoff: { minMs: 100, maxMs: 500 } });
    running.push(p);
    p.start();
    await waitFor("the poller to connect", async () => p.status.state === "connected" && p.status.passes >= 1);
    const connectionsBefore = proxy.connections;
    await proxy.down();
    await waitFor("the poller to record the failures", async () => p.status.failures >= 3);
    expect(p.status.lastError).toBeTruthy();
    const failures = p.status.failures;
    const lastError = p.status.lastError;
    const ids = Array.from({ length: 5 }, () => crypto.randomUUID());
    for (const [i, id] of ids.entries()) await dv.server.append("down", mail("down", i, id));
    expect(await inbound("imap:fault-down")).toEqual([]);

    await proxy.up();
    await waitFor("all 5 messages ingested", async () => {
      const r = await inbound("imap:fault-down");
      return r.length >= 5 && r.every((x) => x.ticket_key);
    });
    await waitFor("all 5 messages flagged", async () => (await dv.server.list("down")).every((m) => m.flags.includes(DONE_KEYWORD)));
    expect(p.status.failures).toBe(0);
    await expectOneTicketEach("imap:fault-down", ids);
    figures.push(
      `down: ${failures}+ failed connection attempts recorded (lastError "${lastError}"), ${proxy.connections - connectionsBefore} reconnections after it returned, 5 appended → 5 tickets, 0 lost, 0 doubled`,
    );
  });

  it("the connection cut in the middle of a pass over 6 messages: after recovery each is one ticket, none lost or doubled", async () => {
    const ids = Array.from({ length: 6 }, () => crypto.randomUUID());
    for (const [i, id] of ids.entries()) await dv.server.append("cut", mail("cut", i, id));
    let seen = 0;
    let cut = false;
    // The real ingest; after the 3rd message is stored, the server goes away before the pass marks it.
    const ingest: IngestFn = async (db, raw, opts) => {
      const r = await ingestEmail(db, raw, opts);
      if (++seen === 3 && !cut) {
        cut = true;
        await proxy.down();
        setTimeout(() => void proxy.up(), 1500);
      }
      return r;
    };
    const p = new MailboxPoller(t.db, mailbox("cut"), { owner: "fault-cut", ingest, pollIntervalS: 3600, backoff: { minMs: 100, maxMs: 500 } });
    running.push(p);
    p.start();
    await waitFor("all 6 messages flagged", async () => {
      const l = await dv.server.list("cut");
      return l.length === 6 && l.every((m) => m.flags.includes(DONE_KEYWORD));
    });
    expect(cut).toBe(true);
    await expectOneTicketEach("imap:fault-cut", ids);
    figures.push(`cut mid-pass after 3 of 6 messages: ${seen} ingest calls (re-delivery deduplicated by Message-ID), 6 tickets, 0 lost, 0 doubled`);
  });
});
