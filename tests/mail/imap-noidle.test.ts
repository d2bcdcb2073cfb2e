import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { ingestEmail } from "@/lib/mail/inbound/ingest";
import { parseImapUrl } from "@/lib/mail/imap/config";
import { DONE_KEYWORD, MailboxPoller } from "@/lib/mail/imap/poller";
import { useTestDb } from "../helpers/db";
import { useDovecot } from "../helpers/use-dovecot";

/*
 * A server that does not offer IDLE (Dovecot with IDLE left out of its capabilities): the poller
 * falls back to a pass every IMAP_POLL_INTERVAL_S.
 */

const testDb = useTestDb();
const dv = useDovecot({ plain: "plain-pw" }, "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS MOVE NAMESPACE");

describe("IMAP poller on a server without IDLE", () => {
  it("polls every interval and picks up new mail", async () => {
    const db = testDb.db;
    const server = dv.server;
    const p = new MailboxPoller(db, parseImapUrl(server.url("plain"), "test-noidle"), { owner: "test-noidle", ingest: ingestEmail, pollIntervalS: 1 });
    p.start();
    try {
      await server.waitFor("the poller to connect", () => p.status.state === "connected" && p.status.passes >= 1);
      expect(p.status.idle).toBe(false);
      const passes = p.status.passes;
      await server.waitFor("two more interval passes", () => p.status.passes >= passes + 2);
      const raw = fs.readFileSync(path.join(__dirname, "../fixtures/mail/new-ticket.eml"), "utf8").replaceAll("{{ID}}", crypto.randomUUID()).replace(/^Subject: .*$/m, "Subject: No IDLE here");
      await server.append("plain", raw);
      await server.waitFor("the ticket", async () => (await rows<{ key: string }>(db, sql`SELECT key FROM tickets WHERE title = 'No IDLE here'`))[0]);
      await server.waitFor("the message flagged", async () => (await server.list("plain"))[0]?.flags.includes(DONE_KEYWORD));
    } finally {
      await p.stop();
    }
  });
});
