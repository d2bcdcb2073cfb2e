import "server-only";
import type PgBoss from "pg-boss";
import { sql } from "drizzle-orm";
import { beforeDatabaseClose, getDbHandle, type Db, type DbKind } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { foldStatsDeltas } from "@/lib/tickets/stats";
import { foldSearchTerms, SEARCH_TERMS_FOLD_INTERVAL_MS } from "@/lib/search/vocabulary";
import { getBoss, installQueueSchema, stopBoss } from "./boss";
import { dispatchPending, jobExpireS, DEFAULT_RETRY_DELAY_S, DEFAULT_RETRY_LIMIT } from "./dispatcher";
import { JOB_HANDLERS, SCHEDULES, TASK_HANDLERS } from "./handlers";
import { startPeriodic, type RunningTask } from "./periodic";
import { deadLetterQueue, type JobHandler } from "./registry";
import { startImapPolling } from "@/lib/mail/imap/worker";
import { getEvent } from "./events";
import { runEventJob, type EventJobData } from "./run-job";
import { runTask, type TaskHandler } from "./tasks";
import { takeEnqueuedQueues } from "./wake";

/** How often each worker process looks for undispatched events, in ms. */
export const DISPATCH_INTERVAL_MS = 500;
/** How often pending stats deltas are folded into the rollups, in ms. */
export const STATS_FOLD_INTERVAL_MS = 2000;

export interface Workers {
  handlers: readonly JobHandler[];
  taskHandlers: readonly TaskHandler<never>[];
  /** Dispatch now instead of at the next tick (after a local write, and in tests). */
  nudge: () => void;
  stop: () => Promise<void>;
}

/** Advisory lock key (a PostgreSQL bigint) under which instances create queues one at a time. */
export const QUEUE_LOCK_KEY = 7305200002;

/** What a queue is created with: an event handler or a task handler (tasks set retries per job). */
export interface QueueSpec {
  name: string;
  retryLimit?: number;
  retryDelayS?: number;
  expireInS?: number;
}

/**
 * Run `fn` while this process holds the queue-creation lock: on PostgreSQL a transaction-scoped
 * advisory lock (QUEUE_LOCK_KEY) taken by a transaction of the app's pool and released when `fn`
 * settles, so instances that create queues take turns. pg-boss's `create_queue` inserts the queue
 * row (ROW EXCLUSIVE on `pgboss.queue`), then adds the new partition's foreign key to that
 * table (SHARE ROW EXCLUSIVE): two of them for different new queues at once each wait for the
 * other's ROW EXCLUSIVE, and PostgreSQL kills one with `deadlock detected`. On PGlite there is one process, and a
 * transaction held open would block pg-boss's own statements on the same connection, so `fn`
 * runs without a lock. Not reentrant: `fn` must not take the lock again (it would wait for itself
 * from another connection).
 * @returns what `fn` returns.
 * @throws what `fn` throws, or the database's error while taking the lock.
 */
async function withQueueLock<T>(db: Db, kind: DbKind, fn: () => Promise<T>): Promise<T> {
  if (kind === "pglite") return fn();
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${QUEUE_LOCK_KEY})`);
    return fn();
  });
}

/** Create each handler's queue and its dead-letter queue with `boss` (idempotent; no lock). */
async function createQueues(boss: PgBoss, handlers: readonly QueueSpec[]): Promise<void> {
  for (const h of handlers) {
    await boss.createQueue(deadLetterQueue(h.name));
    await boss.createQueue(h.name, {
      name: h.name,
      retryLimit: h.retryLimit ?? DEFAULT_RETRY_LIMIT,
      retryDelay: h.retryDelayS ?? DEFAULT_RETRY_DELAY_S,
      retryBackoff: true,
      expireInSeconds: jobExpireS(h.expireInS),
      deadLetter: deadLetterQueue(h.name),
    });
  }
}

/**
 * Create each handler's queue and dead-letter queue (idempotent) with a started `boss`, under
 * the queue-creation lock (see `withQueueLock`), so instances starting together do not
 * deadlock in pg-boss's `create_queue`.
 * @throws what pg-boss throws (e.g. the database is unreachable).
 */
export async function ensureQueues(db: Db, kind: DbKind, boss: PgBoss, handlers: readonly QueueSpec[]): Promise<void> {
  await withQueueLock(db, kind, () => createQueues(boss, handlers));
}

/**
 * Start a worker's pg-boss with `start` and create `handlers`' queues, all under one hold of the
 * queue-creation lock (see `withQueueLock`). A scheduling pg-boss creates a queue of its own
 * while it starts (its timekeeper's `__pgboss__send-it`, tolerating any error), which on a
 * database no worker has started on yet deadlocked with another instance creating its queues
 * at that moment (reproduced: 4 of 12 first starts of a web-only and a worker instance together;
 * docs/RELIABILITY.md). Starting under the lock makes that creation take its turn too.
 * @param start starts pg-boss and returns it (e.g. `getBoss`).
 * @returns the started pg-boss, its queues created.
 * @throws what `start` or pg-boss throws; the lock is released either way.
 */
export async function startQueues(db: Db, kind: DbKind, start: () => Promise<PgBoss>, handlers: readonly QueueSpec[]): Promise<PgBoss> {
  return withQueueLock(db, kind, async () => {
    const boss = await start();
    await createQueues(boss, handlers);
    return boss;
  });
}

/**
 * How long an idle worker waits before looking at its queue again, in s. Work this process
 * creates wakes its workers at once (events after each dispatch, tasks after each enqueue:
 * lib/jobs/wake.ts), so the poll only finds other instances' jobs, retries and delayed jobs.
 * Every worker polls on its own: 12 queues × `JOBS_WORKERS` (2) × 2 instances polling every
 * 0.5 s were ~100 empty fetches/s, a fifth of the statements of a list-only load run
 * (docs/RELIABILITY.md).
 */
export const IDLE_POLL_S = 2;

/**
 * Most event jobs one fetch takes (run one after another by the worker that took them). pg-boss 10
 * fetches in `priority, created_on` order, which its indexes do not give, so every fetch sorts its
 * queue's whole backlog (~1 ms per fetch at a few thousand queued jobs, the statement with the most
 * PostgreSQL time in a create-only load run: docs/RELIABILITY.md); a batch pays that once for up
 * to this many jobs. Event jobs are short database work under a 5 min expiry. Task queues keep
 * one job per fetch: their jobs (pushes, mail, sheets) can take up to their own expiry.
 */
export const EVENT_BATCH_SIZE = 8;

/**
 * `boss.work` that fetches again at once after each batch of up to `batchSize` jobs. pg-boss 10
 * waits the polling interval after every fetch unless the worker was notified, which capped each
 * worker at 2 fetches/s (a backlog of a few thousand jobs took minutes to drain on an idle
 * machine); here the interval ({@link IDLE_POLL_S}) applies only when the queue had nothing to
 * hand out. A batch's jobs run one after another; one that throws is failed on its own at once
 * (pg-boss retries it after its retry delay, or dead-letters it), so the others are not retried
 * with it; the rest are completed by pg-boss in one statement when the batch returns (it completes
 * the batch's jobs still active). Until 2026-12 each job was completed as it succeeded, one
 * statement per job; a crash mid-batch now runs the batch's finished jobs again, which their
 * receipts turn into no-ops (lib/jobs/run-job.ts). A lone job is completed or failed by pg-boss itself.
 * `afterJob` runs after each batch (waking the workers of the task queues it filled).
 *
 * @returns the worker id (for `notifyWorker` and `offWork`).
 */
async function workEagerly<T extends object>(
  boss: PgBoss,
  name: string,
  batchSize: number,
  fn: (job: PgBoss.JobWithMetadata<T>) => Promise<void>,
  afterJob: () => void,
): Promise<string> {
  let id: string | undefined;
  id = await boss.work<T>(name, { batchSize, pollingIntervalSeconds: IDLE_POLL_S, includeMetadata: true }, async (jobs) => {
    try {
      if (jobs.length === 1) return await fn(jobs[0]);
      for (const job of jobs) {
        let failure: { err: unknown } | undefined;
        try {
          await fn(job);
        } catch (err) {
          failure = { err };
        }
        // Failed now (no longer active), so pg-boss's completion of the batch leaves it alone.
        if (failure) await boss.fail(name, job.id, failure.err as object);
      }
    } finally {
      if (id) boss.notifyWorker(id);
      afterJob();
    }
  });
  return id;
}

const globalForWorkers = globalThis as unknown as { __switchboardWorkers?: Promise<Workers | null> };

/**
 * Start this process's background workers unless `JOBS_WORKERS=0` (a web-only instance, which
 * only installs pg-boss's schema and the queues, so its requests can enqueue before any worker
 * has run): create each event handler's and task handler's queue and dead-letter queue, work each queue with `JOBS_WORKERS`
 * concurrent pollers, register the cron schedules (SCHEDULES), and run the periodic tasks (event dispatch every 500 ms, stats folding
 * every 2 s, the IMAP pollers of lib/mail/imap/worker.ts). Every instance may run workers: the queue hands each job to one of them.
 * Idempotent per process.
 *
 * @returns the running workers, or null when disabled.
 */
export function startWorkers(
  handlers: readonly JobHandler[] = JOB_HANDLERS,
  taskHandlers: readonly TaskHandler<never>[] = TASK_HANDLERS,
): Promise<Workers | null> {
  globalForWorkers.__switchboardWorkers ??= (async () => {
    const concurrency = env().JOBS_WORKERS;
    const { db, kind } = await getDbHandle();
    if (concurrency === 0) {
      // Requests enqueue tasks: the queues must exist even before any worker instance has started.
      await installQueueSchema((boss) => ensureQueues(db, kind, boss, [...handlers, ...taskHandlers]));
      logger.info("job workers disabled (JOBS_WORKERS=0): web-only instance; job queues installed");
      return null;
    }
    const boss = await startQueues(db, kind, getBoss, [...handlers, ...taskHandlers]);
    const taskNames = new Set(taskHandlers.map((t) => t.name));
    for (const s of SCHEDULES) if (taskNames.has(s.task)) await boss.schedule(s.task, s.cron, {}, { tz: "UTC" });
    const workerIds: string[] = [];
    /** Event queue → its workers' ids, woken after a dispatch put jobs in it. */
    const eventWorkers = new Map<string, string[]>();
    /** Task queue → its workers' ids, woken after this process enqueued a task in it. */
    const taskWorkers = new Map<string, string[]>();
    const wakeTaskWorkers = () => {
      for (const q of takeEnqueuedQueues()) for (const id of taskWorkers.get(q) ?? []) boss.notifyWorker(id);
    };
    for (const h of handlers) {
      const ids: string[] = [];
      eventWorkers.set(h.name, ids);
      for (let i = 0; i < concurrency; i++) {
        ids.push(
          await workEagerly<EventJobData>(boss, h.name, EVENT_BATCH_SIZE, async (job) => {
            try {
              await runEventJob(db, h, job.data);
            } catch (err) {
              countRetry(h.name, job);
              logger.warn({ err, job: h.name, eventId: job.data.eventId, attempt: job.retryCount + 1 }, "job failed; pg-boss retries it with backoff");
              throw err;
            }
          }, wakeTaskWorkers),
        );
      }
      workerIds.push(...ids);
    }
    for (const task of taskHandlers as readonly TaskHandler<object>[]) {
      const ids: string[] = [];
      taskWorkers.set(task.name, ids);
      for (let i = 0; i < concurrency; i++) {
        ids.push(
          await workEagerly<object>(boss, task.name, 1, async (job) => {
            try {
              await runTask(db, task, job.data);
            } catch (err) {
              countRetry(task.name, job);
              throw err;
            }
          }, wakeTaskWorkers),
        );
      }
      workerIds.push(...ids);
      if (!task.onDeadLetter) continue;
      const onDead = task.onDeadLetter;
      workerIds.push(
        await boss.work<object>(deadLetterQueue(task.name), { batchSize: 1, pollingIntervalSeconds: 5 }, async ([job]) => {
          await onDead(job.data, { db });
          logger.error({ job: task.name, data: job.data }, "task exhausted its retries (dead letter handled)");
        }),
      );
    }
    for (const h of handlers) {
      if (!h.onDeadLetter) continue;
      const onDead = h.onDeadLetter;
      workerIds.push(
        await boss.work<EventJobData>(deadLetterQueue(h.name), { batchSize: 1, pollingIntervalSeconds: 5 }, async ([job]) => {
          const event = await getEvent(db, job.data.eventId);
          if (event) await onDead(event, { db });
          logger.error({ job: h.name, eventId: job.data.eventId }, "job exhausted its retries (dead letter handled)");
        }),
      );
    }
    const tasks: RunningTask[] = [
      startPeriodic(db, {
        name: "events.dispatch",
        intervalMs: DISPATCH_INTERVAL_MS,
        run: async () => {
          // Wake only the workers of the queues that got jobs: waking every worker cost one empty
          // fetch per idle queue and worker on each tick (docs/RELIABILITY.md, load figures).
          const queues = new Set<string>();
          for (let n = -1; n !== 0; ) n = await dispatchPending(db, boss, handlers, queues);
          for (const q of queues) for (const id of eventWorkers.get(q) ?? []) boss.notifyWorker(id);
          // Tasks enqueued by requests (the tick is the first thing to run after their commit).
          wakeTaskWorkers();
        },
      }),
      startPeriodic(db, { name: "stats.fold", intervalMs: STATS_FOLD_INTERVAL_MS, run: foldStatsDeltas }),
      startPeriodic(db, { name: "search.fold", intervalMs: SEARCH_TERMS_FOLD_INTERVAL_MS, run: foldSearchTerms }),
      // IMAP mailboxes (IMAP_URL, admin-configured): the list is re-read every 30 s; none = no connection.
      startImapPolling(db),
    ];
    beforeDatabaseClose(stopWorkers);
    logger.info({ queues: [...handlers, ...taskHandlers].map((h) => h.name), concurrency }, "job workers started");
    return {
      handlers,
      taskHandlers,
      nudge: () => tasks[0].nudge(),
      async stop() {
        await Promise.all(tasks.map((t) => t.stop()));
        await stopBoss();
      },
    };
  })().catch((err: unknown) => {
    globalForWorkers.__switchboardWorkers = undefined;
    throw err;
  });
  return globalForWorkers.__switchboardWorkers;
}

/** A failed attempt pg-boss will retry counts in `switchboard_retries_total{queue}` (the last one goes to the dead letters instead). */
function countRetry(queue: string, job: { retryCount: number; retryLimit: number }): void {
  if (job.retryCount < job.retryLimit) metrics().retries.inc({ queue });
}

/** Stop this process's workers (graceful: running jobs finish). Safe when none run. */
export async function stopWorkers(): Promise<void> {
  const pending = globalForWorkers.__switchboardWorkers;
  globalForWorkers.__switchboardWorkers = undefined;
  const w = await pending?.catch(() => null);
  await w?.stop();
}

/** Ask the local dispatcher to run now (no-op in a web-only instance). */
export function nudgeDispatcher(): void {
  void globalForWorkers.__switchboardWorkers?.then((w) => w?.nudge()).catch(() => undefined);
}

/**
 * Start the workers for the web server: a failure (the database briefly unreachable, a
 * deadlock with another instance starting) must not take the web server down, so it is logged,
 * counted (`switchboard_background_errors_total{task="jobs.start"}`) and retried every
 * `retryMs` (default 5,000 ms) until the workers run.
 */
export async function startWorkersInBackground(retryMs = 5000): Promise<Workers | null> {
  try {
    return await startWorkers();
  } catch (err) {
    metrics().backgroundErrors.inc({ task: "jobs.start" });
    logger.error({ err }, `starting job workers failed; retrying in ${retryMs} ms`);
    const timer = setTimeout(() => void startWorkersInBackground(retryMs), retryMs);
    timer.unref();
    return null;
  }
}
