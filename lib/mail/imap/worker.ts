import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mailboxes } from "@/db/schema";
import { startPeriodic, type RunningTask } from "@/lib/jobs/periodic";
import { ingestEmail } from "@/lib/mail/inbound/ingest";
import { logger } from "@/lib/observability/logger";
import { loadMailboxConfigs } from "./config";
import { newLeaseOwner } from "./lease";
import { MailboxPoller, type IngestFn, type PollerOptions } from "./poller";

/*
 * The IMAP pollers of a worker process (lib/jobs/worker.ts starts this beside its periodic
 * tasks). Every {@link IMAP_SYNC_INTERVAL_MS} the mailbox list is read again (IMAP_URL and the
 * active `mailboxes` rows): a new mailbox gets a {@link MailboxPoller}, a changed one (other
 * host, user, password, folder, action) is restarted, a removed or deactivated one is stopped.
 * With no mailbox configured nothing connects anywhere: the sync is one SELECT. Each poller
 * takes its mailbox's lease, so with several instances one of them reads a given mailbox.
 */

/** How often the mailbox list is read again, in ms (admin changes apply within this). */
export const IMAP_SYNC_INTERVAL_MS = 30_000;

export interface ImapPollers {
  /** Read the mailbox list and start, restart or stop pollers to match. */
  sync(): Promise<void>;
  /** The running pollers by mailbox key (`env`, `db:<id>`). */
  running(): ReadonlyMap<string, MailboxPoller>;
  /** Stop every poller (each logs out and releases its lease). */
  stop(): Promise<void>;
}

/**
 * A set of pollers driven by {@link ImapPollers.sync}. `opts` are passed to each poller
 * (`ingest` defaults to lib/mail/inbound/ingest.ts ingestEmail; `owner` to a new lease owner
 * for this process); `imapUrl` overrides env IMAP_URL (tests; "" = none).
 */
export function createImapPollers(db: Db, options: Partial<PollerOptions> & { imapUrl?: string } = {}): ImapPollers {
  const { imapUrl, ...opts } = options;
  const owner = opts.owner ?? newLeaseOwner();
  const ingest: IngestFn = opts.ingest ?? ingestEmail;
  const pollers = new Map<string, MailboxPoller>();
  let stopped = false;
  let syncing: Promise<void> | null = null;

  const doSync = async () => {
    const { mailboxes: wanted, errors } = await loadMailboxConfigs(db, imapUrl);
    if (stopped) return;
    for (const e of errors) {
      logger.error({ mailbox: e.key, error: e.error }, "IMAP mailbox not polled: its settings are unusable");
      if (e.mailboxId) await db.update(mailboxes).set({ lastError: e.error }).where(eq(mailboxes.id, e.mailboxId));
    }
    const wantedKeys = new Set(wanted.map((m) => m.key));
    for (const [key, p] of pollers) {
      const next = wanted.find((m) => m.key === key);
      if (wantedKeys.has(key) && next?.fingerprint === p.mailbox.fingerprint) continue;
      pollers.delete(key);
      logger.info({ mailbox: key }, next ? "IMAP mailbox settings changed; restarting its poller" : "IMAP mailbox removed or deactivated; stopping its poller");
      await p.stop();
    }
    for (const mb of wanted) {
      if (pollers.has(mb.key)) continue;
      const p = new MailboxPoller(db, mb, { ...opts, owner, ingest });
      pollers.set(mb.key, p);
      p.start();
      logger.info({ mailbox: mb.key, action: mb.action }, "IMAP poller started");
    }
  };

  return {
    sync() {
      // One sync at a time; a call during a sync waits for it.
      syncing ??= doSync().finally(() => (syncing = null));
      return syncing;
    },
    running: () => pollers,
    async stop() {
      stopped = true;
      await syncing?.catch(() => undefined);
      const all = [...pollers.values()];
      pollers.clear();
      await Promise.all(all.map((p) => p.stop()));
    },
  };
}

/**
 * Run the IMAP pollers of this process: a first sync at once, then every
 * {@link IMAP_SYNC_INTERVAL_MS} (a failed sync is logged and counted by startPeriodic and tried
 * again next time). `stop` ends the syncing and every poller.
 */
export function startImapPolling(db: Db, opts: Partial<PollerOptions> & { imapUrl?: string; syncIntervalMs?: number } = {}): RunningTask & { pollers: ImapPollers } {
  const { syncIntervalMs = IMAP_SYNC_INTERVAL_MS, ...pollerOpts } = opts;
  const pollers = createImapPollers(db, pollerOpts);
  const task = startPeriodic(db, { name: "mail.imap.sync", intervalMs: syncIntervalMs, run: () => pollers.sync() });
  task.nudge();
  return {
    pollers,
    nudge: task.nudge,
    async stop() {
      await task.stop();
      await pollers.stop();
    },
  };
}
