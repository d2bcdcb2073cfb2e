import "server-only";
import crypto from "node:crypto";
import PgBoss from "pg-boss";
import { sqlExecutor, type Db, type DbOrTx } from "@/db/client";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { currentRequestId, withRequestId } from "@/lib/observability/request-context";
import { BOSS_SCHEMA } from "./boss";
import { jobExpireS, DEFAULT_RETRY_DELAY_S, DEFAULT_RETRY_LIMIT } from "./dispatcher";
import { deadLetterQueue } from "./registry";
import { noteTaskEnqueued } from "./wake";

/**
 * Task queues: jobs that are not one per (handler, domain event) but enqueued by code, each
 * with its own retry options (e.g. one `routing.push` per external push, retried as its
 * target says). Event jobs (lib/jobs/registry.ts) get exactly-once from a receipt; tasks do
 * not: `run` must be idempotent itself (e.g. it loads a row and does nothing when the row says
 * the work is done).
 */
export interface TaskHandler<D extends object = Record<string, unknown>> {
  /** Queue name: letters, digits, `-`, `_`, `.`; stable (it names queued jobs). */
  name: string;
  /** Do the work (outside any transaction: commit as it goes). A throw fails the attempt; pg-boss retries with backoff. */
  run: (data: D, ctx: { db: Db }) => Promise<void>;
  /** Called once per job that exhausted its retries (landed in the dead-letter queue). Must be idempotent. */
  onDeadLetter?: (data: D, ctx: { db: Db }) => Promise<void>;
  /** Longest a run may take before it counts as failed, in s; default 300. */
  expireInS?: number;
}

/** Per-job retry options of {@link enqueueTask}. */
export interface TaskOptions {
  /** Retries after the first attempt; default 10. */
  retryLimit?: number;
  /** First retry delay in s, doubled each retry with jitter (pg-boss retryBackoff); default 5. */
  retryDelayS?: number;
  /** Expiry of one run in s; default 300 (set it like the handler's `expireInS`). */
  expireInS?: number;
  /** A label for inspection (pg-boss singletonKey on a standard queue does not dedupe). */
  singletonKey?: string;
  /** Run no earlier than this time, or this many seconds from now. */
  startAfter?: Date | number;
}

/**
 * Insert one task job through the CALLER's transaction (or database), so it commits or rolls
 * back with the change that asked for it. The queue must exist: every worker process creates
 * the queues of {@link TASK_HANDLERS} at start (lib/jobs/worker.ts `ensureQueues`).
 *
 * It needs no started pg-boss: pg-boss's insert statement runs on `tx` (so it never waits on
 * the embedded database's single connection while the caller's transaction holds it).
 * Enqueued inside a request or job, the data also carries its request id (`requestId`).
 *
 * @returns the job id.
 * @throws the database error when the queue does not exist or the insert fails.
 */
export async function enqueueTask<D extends object>(tx: DbOrTx, name: string, data: D, opts: TaskOptions = {}): Promise<string> {
  const inserter = new PgBoss({ schema: BOSS_SCHEMA, db: sqlExecutor(tx, { prepare: true }) as PgBoss.Db });
  const id = crypto.randomUUID();
  const requestId = currentRequestId(); // the request (or job) asking for it: the task runs and calls out under it
  const job: PgBoss.JobInsert<D> = {
    id,
    name,
    data: requestId ? { ...data, requestId } : data,
    retryLimit: opts.retryLimit ?? DEFAULT_RETRY_LIMIT,
    retryDelay: opts.retryDelayS ?? DEFAULT_RETRY_DELAY_S,
    retryBackoff: true,
    expireInSeconds: jobExpireS(opts.expireInS),
    deadLetter: deadLetterQueue(name),
    ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
    ...(opts.startAfter !== undefined
      ? { startAfter: opts.startAfter instanceof Date ? opts.startAfter : new Date(Date.now() + opts.startAfter * 1000) }
      : {}),
  };
  // pg-boss 10's insert returns no ids (its statement has no RETURNING): the id is ours.
  await inserter.insert([job]);
  noteTaskEnqueued(name); // this process's workers of `name` fetch at once (lib/jobs/wake.ts)
  return id;
}

/**
 * Run one task job (the worker's callback; tests call it directly), under the request id
 * {@link enqueueTask} stored in its data (`requestId`) when there is one, so its logs and
 * outgoing calls (X-Request-Id) carry the id of the request that caused it. Counts
 * `switchboard_job_runs_total{queue, outcome=done|failed}`.
 * @throws whatever the handler throws (the job then fails and is retried).
 */
export async function runTask<D extends object>(db: Db, handler: TaskHandler<D>, data: D): Promise<void> {
  const requestId = (data as { requestId?: unknown }).requestId;
  if (typeof requestId === "string" && requestId) return withRequestId(requestId, () => runTaskInContext(db, handler, data));
  return runTaskInContext(db, handler, data);
}

async function runTaskInContext<D extends object>(db: Db, handler: TaskHandler<D>, data: D): Promise<void> {
  try {
    await handler.run(data, { db });
    metrics().jobRuns.inc({ queue: handler.name, outcome: "done" });
  } catch (err) {
    metrics().jobRuns.inc({ queue: handler.name, outcome: "failed" });
    logger.warn({ err, job: handler.name }, "task failed; pg-boss retries it with backoff");
    throw err;
  }
}
