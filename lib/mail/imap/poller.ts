import "server-only";
import { eq, sql } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import type { Db } from "@/db/client";
import { mailboxes } from "@/db/schema";
import { env } from "@/lib/env";
import { logger, scrubMessage } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import type { MailboxConfig } from "./config";
import { LEASE_S, releaseLease, takeLease } from "./lease";

/*
 * The IMAP way in: read one mailbox with imapflow and hand each new message to ingestEmail.
 *
 * Which messages: those without \Seen and without our keyword `$SwitchboardDone` (SEARCH UNSEEN
 * UNKEYWORD $SwitchboardDone). Unseen, because that is what "new" means in a mailbox: mail that
 * was already in it (read) when the desk was connected does not turn into a flood of tickets,
 * and a person may look into the mailbox with a mail client (that marks what they open as read,
 * so the desk mailbox should be one nobody reads by hand, as with every help desk). The keyword,
 * because a processed message someone marks unread again must not be fetched again; servers
 * that do not accept keywords (no `\*` in PERMANENTFLAGS) still get \Seen, which suffices.
 *
 * Per message: download the source (BODY.PEEK, so it stays unseen until we are done; at most
 * INBOUND_MAX_BYTES + 1 bytes, so an oversized message is refused by ingestEmail without being
 * held in memory whole) → ingestEmail → mark it: `flag` adds \Seen and $SwitchboardDone;
 * `move` adds them too (they travel with it) and moves it to moveTo (created when missing).
 * Marking happens only after ingestEmail returned, whatever its outcome (created, commented,
 * ignored, bounced, rate_limited, failed: the raw message is stored in inbound_messages and an
 * admin replays a failed one from there). When ingestEmail throws (the database unreachable),
 * the message is left unmarked and retried on the next pass; the others go on. A crash between
 * ingest and marking delivers the message again; ingestEmail's unique Message-ID makes that
 * (and two pollers racing) count once.
 *
 * When: {@link MailboxPoller} keeps a connection open with the folder selected. imapflow IDLEs
 * on it where the server offers IDLE, and a new message (`exists` event) starts a pass at once;
 * besides, a pass runs every IMAP_POLL_INTERVAL_S (the only trigger on servers without IDLE,
 * and the retry of messages whose ingest threw). A lost connection or a server that is down is
 * logged, recorded in mailboxes.last_error, and retried with exponential backoff; the worker
 * never crashes because of a mailbox.
 */

/** Our keyword on processed messages (RFC 3501 flag-keyword; `$` marks a client-defined keyword). */
export const DONE_KEYWORD = "$SwitchboardDone";

/** What ingest returned; only `status` is read (for the log). */
export interface IngestOutcome {
  status: string;
}

/** lib/mail/inbound/ingest.ts ingestEmail's shape (injected, so tests and callers can wrap it). */
export type IngestFn = (db: Db, raw: Buffer, opts: { source: string }) => Promise<IngestOutcome>;

/** One pass over a folder. */
export interface PassResult {
  /** Unprocessed messages found. */
  found: number;
  /** Handed to ingest and marked processed. */
  processed: number;
  /** Ingest threw: left unmarked, retried on the next pass. */
  failed: number;
  /** The first ingest error of the pass, scrubbed (null when none). */
  error: string | null;
}

function errorText(err: unknown): string {
  const e = err as { message?: string; responseText?: string; code?: string };
  const text = [e?.message ?? String(err), e?.responseText, e?.code].filter(Boolean).join(": ");
  return scrubMessage(text).slice(0, 500);
}

/** An imapflow client for `mb` (not yet connected; imapflow's own log off). */
export function imapClient(mb: MailboxConfig, opts: { autoIdleDelayMs?: number } = {}): ImapFlow {
  return new ImapFlow({
    host: mb.host,
    port: mb.port,
    secure: mb.secure,
    auth: { user: mb.user, pass: mb.pass },
    tls: mb.tlsInsecure ? { rejectUnauthorized: false } : undefined,
    logger: false,
    // Start IDLE soon after a pass, so new mail is announced at once.
    autoIdleDelay: opts.autoIdleDelayMs ?? 1000,
    connectionTimeout: 30_000,
    clientInfo: { name: "Switchboard" },
  });
}

/** Create `folder` unless it exists. @throws the server's error when it cannot be created. */
async function ensureFolder(client: ImapFlow, folder: string): Promise<void> {
  const existing = await client.list();
  if (existing.some((m) => m.path === folder)) return;
  await client.mailboxCreate(folder);
}

/**
 * One pass over the folder `client` has open: every unprocessed message (see the module
 * comment) is ingested and marked, oldest first. `shouldContinue` is asked before each message
 * (the poller renews its lease there and stops when asked to or when the lease is lost).
 * @throws on IMAP errors (connection lost, folder gone); ingest errors are counted, not thrown.
 */
export async function processOpenFolder(
  client: ImapFlow,
  db: Db,
  mb: MailboxConfig,
  ingest: IngestFn,
  shouldContinue: () => boolean | Promise<boolean> = () => true,
): Promise<PassResult> {
  const found = (await client.search({ seen: false, unKeyword: DONE_KEYWORD }, { uid: true })) || [];
  const uids = [...found].sort((a, b) => a - b);
  const result: PassResult = { found: uids.length, processed: 0, failed: 0, error: null };
  const maxBytes = env().INBOUND_MAX_BYTES;
  for (const uid of uids) {
    if (!(await shouldContinue())) break;
    const msg = await client.fetchOne(String(uid), { uid: true, source: { maxLength: maxBytes + 1 } }, { uid: true });
    if (!msg || !msg.source) continue; // expunged meanwhile (another client, or a racing poller moved it)
    let outcome: IngestOutcome;
    try {
      outcome = await ingest(db, msg.source, { source: `imap:${mb.key}` });
    } catch (err) {
      result.failed++;
      result.error ??= errorText(err);
      metrics().backgroundErrors.inc({ task: "mail.imap.ingest" });
      logger.warn({ err, mailbox: mb.key, uid }, "ingesting an IMAP message failed; left unmarked, retried on the next pass");
      continue;
    }
    await client.messageFlagsAdd(String(uid), ["\\Seen", DONE_KEYWORD], { uid: true });
    if (mb.action === "move" && mb.moveTo) await client.messageMove(String(uid), mb.moveTo, { uid: true });
    result.processed++;
    logger.info({ mailbox: mb.key, uid, status: outcome.status }, "IMAP message ingested");
  }
  return result;
}

/**
 * Connect, open the folder, run one pass ({@link processOpenFolder}), log out. For tests and
 * one-off runs; takes no lease (two concurrent calls are deduplicated by ingest).
 * @throws on connection, login or folder errors.
 */
export async function pollOnce(db: Db, mb: MailboxConfig, ingest: IngestFn): Promise<PassResult> {
  const client = imapClient(mb);
  client.on("error", (err: unknown) => logger.warn({ err, mailbox: mb.key }, "IMAP connection error"));
  await client.connect();
  try {
    if (mb.action === "move" && mb.moveTo) await ensureFolder(client, mb.moveTo);
    const lock = await client.getMailboxLock(mb.folder);
    try {
      return await processOpenFolder(client, db, mb, ingest);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Record a pass (or a failure) on a `db:` mailbox row; env mailboxes have no row. Never throws. */
async function recordPoll(db: Db, mb: MailboxConfig, error: string | null, polled: boolean): Promise<void> {
  if (!mb.mailboxId) return;
  try {
    await db
      .update(mailboxes)
      .set(polled ? { lastPolledAt: sql`now()`, lastError: error } : { lastError: error })
      .where(eq(mailboxes.id, mb.mailboxId));
  } catch (err) {
    logger.warn({ err, mailbox: mb.key }, "recording the mailbox poll state failed");
  }
}

export interface PollerOptions {
  /** Lease owner id of this process (lease.ts newLeaseOwner). */
  owner: string;
  ingest: IngestFn;
  /** Seconds between passes besides IDLE's announcements. Default IMAP_POLL_INTERVAL_S. */
  pollIntervalS?: number;
  /** Reconnect backoff after a failure: doubles from `minMs` to `maxMs` (defaults 1 s, 60 s), ±20 % jitter. */
  backoff?: { minMs: number; maxMs: number };
  /** Lease length in seconds (default {@link LEASE_S}); renewed every third of it. */
  leaseS?: number;
  /** Skip the lease (tests proving that ingest alone dedupes racing pollers). */
  noLease?: boolean;
}

/** What a running poller is doing, for logs and tests. */
export interface PollerStatus {
  state: "starting" | "waiting-lease" | "connecting" | "connected" | "backoff" | "stopped";
  /** Whether the server offered IDLE on the last connection. */
  idle: boolean;
  passes: number;
  lastPassAt: Date | null;
  lastError: string | null;
  /** Consecutive connection failures (0 once connected). */
  failures: number;
}

/**
 * A long-running reader of one mailbox (see the module comment): holds the mailbox's lease,
 * keeps a connection with the folder open, runs a pass on start, on each `exists`
 * announcement and every poll interval; reconnects with backoff. {@link start} returns at once;
 * {@link stop} closes the connection, releases the lease and resolves when the loop ended.
 */
export class MailboxPoller {
  readonly status: PollerStatus = { state: "starting", idle: false, passes: 0, lastPassAt: null, lastError: null, failures: 0 };
  private stopped = false;
  private loop: Promise<void> | null = null;
  private client: ImapFlow | null = null;
  private wakeReason: "exists" | "closed" | "stop" | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly pollMs: number;
  private readonly leaseS: number;
  private readonly backoff: { minMs: number; maxMs: number };

  constructor(
    private readonly db: Db,
    readonly mailbox: MailboxConfig,
    private readonly opts: PollerOptions,
  ) {
    this.pollMs = (opts.pollIntervalS ?? env().IMAP_POLL_INTERVAL_S) * 1000;
    this.leaseS = opts.leaseS ?? LEASE_S;
    this.backoff = opts.backoff ?? { minMs: 1000, maxMs: 60_000 };
  }

  /** Start the loop (idempotent). */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stop: break the wait, log out, release the lease. Resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake("stop");
    // A connection attempt can take up to its timeout: cut it short. A pass is left to finish
    // its current message (it checks for stop between messages).
    if (this.status.state === "connecting") this.client?.close();
    await this.loop;
    this.status.state = "stopped";
  }

  private wake(reason: "exists" | "closed" | "stop"): void {
    if (this.wakeReason !== "stop" && this.wakeReason !== "closed") this.wakeReason = reason;
    this.wakeUp?.();
  }

  /** Forget an `exists` or `closed` wake-up (a `stop` stays). */
  private clearWake(): void {
    if (this.wakeReason !== "stop") this.wakeReason = null;
  }

  /** Sleep `ms`, or less when woken (`exists`, connection closed, stop). */
  private sleep(ms: number): Promise<void> {
    if (this.wakeReason) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wakeUp = done;
    });
  }

  private backoffMs(): number {
    const base = Math.min(this.backoff.maxMs, this.backoff.minMs * 2 ** Math.max(0, this.status.failures - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async holdLease(): Promise<boolean> {
    if (this.opts.noLease) return true;
    return takeLease(this.db, this.mailbox.key, this.opts.owner, this.leaseS);
  }

  private async run(): Promise<void> {
    const mb = this.mailbox;
    while (!this.stopped) {
      let leased = false;
      try {
        leased = await this.holdLease();
      } catch (err) {
        this.status.lastError = errorText(err);
        logger.warn({ err, mailbox: mb.key }, "taking the mailbox lease failed");
      }
      if (!leased) {
        this.status.state = "waiting-lease";
        this.clearWake();
        await this.sleep((this.leaseS * 1000) / 3);
        continue;
      }
      try {
        await this.session();
        this.status.failures = 0;
      } catch (err) {
        if (this.stopped) break;
        this.status.failures++;
        this.status.lastError = errorText(err);
        this.status.state = "backoff";
        metrics().backgroundErrors.inc({ task: "mail.imap" });
        const wait = this.backoffMs();
        logger.warn({ err, mailbox: mb.key, failures: this.status.failures, retryInMs: wait }, "IMAP mailbox unavailable; retrying with backoff");
        await recordPoll(this.db, mb, this.status.lastError, false);
        this.wakeReason = this.stopped ? "stop" : null;
        await this.sleep(wait);
      }
    }
    if (!this.opts.noLease) await releaseLease(this.db, mb.key, this.opts.owner).catch((err: unknown) => logger.warn({ err, mailbox: mb.key }, "releasing the mailbox lease failed"));
  }

  /** One connection: passes until the connection drops (throws), the lease is lost or stop (returns). */
  private async session(): Promise<void> {
    const mb = this.mailbox;
    this.status.state = "connecting";
    this.clearWake();
    const client = imapClient(mb);
    this.client = client;
    client.on("error", (err: unknown) => logger.warn({ err, mailbox: mb.key }, "IMAP connection error"));
    client.on("close", () => this.wake("closed"));
    client.on("exists", () => this.wake("exists"));
    try {
      await client.connect();
      if (mb.action === "move" && mb.moveTo) await ensureFolder(client, mb.moveTo);
      await client.mailboxOpen(mb.folder);
      this.status.idle = client.capabilities.has("IDLE");
      this.status.state = "connected";
      this.status.failures = 0;
      const renewMs = (this.leaseS * 1000) / 3;
      let lastPass = 0;
      let lastRenew = Date.now();
      let leaseLost = false;
      /** Renew the lease when a third of it has passed; false when it went to another instance. */
      const keepLease = async () => {
        if (Date.now() - lastRenew < renewMs) return true;
        if (!(await this.holdLease())) {
          leaseLost = true;
          logger.warn({ mailbox: mb.key }, "mailbox lease lost; another instance polls it now");
          return false;
        }
        lastRenew = Date.now();
        return true;
      };
      for (let first = true; ; first = false) {
        if (this.stopped || leaseLost) return;
        if (this.wakeReason === "closed" || !client.usable) throw new Error("IMAP connection closed");
        if (!(await keepLease())) return;
        const announced = this.wakeReason === "exists";
        if (first || announced || Date.now() - lastPass >= this.pollMs) {
          this.wakeReason = null;
          const r = await processOpenFolder(client, this.db, mb, this.opts.ingest, async () => !this.stopped && (await keepLease()));
          lastPass = Date.now();
          this.status.passes++;
          this.status.lastPassAt = new Date();
          this.status.lastError = r.error;
          await recordPoll(this.db, mb, r.error, true);
          continue;
        }
        await this.sleep(Math.max(0, Math.min(renewMs - (Date.now() - lastRenew), this.pollMs - (Date.now() - lastPass))));
      }
    } finally {
      this.client = null;
      client.removeAllListeners("exists");
      client.removeAllListeners("close");
      if (client.usable) await client.logout().catch(() => client.close());
      else client.close();
    }
  }
}
