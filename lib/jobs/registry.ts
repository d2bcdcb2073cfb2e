import type { Db, Tx } from "@/db/client";
import type { DomainEvent, DomainEventType } from "./events";

/**
 * A job handler: what to do, once, for each domain event of the types it subscribes to.
 *
 * The runner (lib/jobs/run-job.ts) calls `run` inside a transaction that first records a
 * receipt (handler, event id); a redelivered job finds the receipt and does nothing, so
 * at-least-once delivery acts exactly once for database effects. Handlers with effects outside
 * the database (HTTP pushes, SMTP) must make those idempotent by event id themselves (e.g.
 * an idempotency key, or a row recorded before the call and checked on retry).
 */
export interface JobHandler {
  /**
   * `transactional` (default): `run` gets the receipt's transaction, as above.
   * `long`: for work that takes seconds to minutes and reports progress (sheet processing):
   * `run` gets the database itself and commits as it goes; the receipt is written after it
   * returns, so a crash or retry runs it again from the start and `run` must be restartable
   * (idempotent by event id: e.g. delete what an earlier attempt wrote, then write again).
   */
  mode?: "transactional" | "long";
  /** Queue name: letters, digits, `-`, `_`, `.`; stable (it names queued jobs and receipts). */
  name: string;
  events: readonly DomainEventType[];
  /** Only events that pass get a job (cheap, pure: runs in the dispatcher). */
  filter?: (event: DomainEvent) => boolean;
  run: (event: DomainEvent, ctx: { tx: Tx | Db }) => Promise<void>;
  /**
   * Called once per event whose job exhausted its retries and landed in the dead-letter queue
   * (e.g. to show the user that the work failed instead of leaving it pending for ever). Must be
   * idempotent; a throw is logged and the dead letter retried.
   */
  onDeadLetter?: (event: DomainEvent, ctx: { db: Db }) => Promise<void>;
  /** Attempts after the first; default 10. */
  retryLimit?: number;
  /** First retry delay in s, doubled each attempt (pg-boss retryBackoff, with jitter); default 5. */
  retryDelayS?: number;
  /** Longest a run may take before it counts as failed, in s; default 300. */
  expireInS?: number;
}

/** Name of the dead-letter queue of a handler's queue: jobs land there after their last retry. */
export function deadLetterQueue(name: string): string {
  return `${name}__dead`;
}
