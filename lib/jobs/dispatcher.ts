import "server-only";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { rows, sqlExecutor, type Db } from "@/db/client";
import { env } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";
import { SELECT_EVENT, toEvent, type RawEvent } from "./events";
import { deadLetterQueue, type JobHandler } from "./registry";
import type { EventJobData } from "./run-job";

/** Events taken per dispatch transaction. */
const BATCH = 200;

/** Retry defaults: 10 retries, 5 s doubling (≈ 85 min in all before the dead-letter queue). */
export const DEFAULT_RETRY_LIMIT = 10;
export const DEFAULT_RETRY_DELAY_S = 5;
export const DEFAULT_EXPIRE_S = 300;

/**
 * A job's expiry in seconds: its handler's own (`expireInS`, else {@link DEFAULT_EXPIRE_S}),
 * capped by JOBS_EXPIRE_CAP_S when set. pg-boss retries a job still running after it.
 */
export function jobExpireS(own?: number): number {
  const cap = env().JOBS_EXPIRE_CAP_S;
  const s = own ?? DEFAULT_EXPIRE_S;
  return cap === undefined ? s : Math.min(s, cap);
}

/**
 * Turn undispatched domain events into jobs: in ONE transaction, lock up to 200 of them
 * (`FOR UPDATE SKIP LOCKED`, so several instances dispatch side by side without taking the
 * same event), insert one pg-boss job per subscribed handler through the same transaction, and
 * mark the events dispatched. A crash before commit leaves both undone; after commit both are
 * done. Events no handler wants are just marked.
 *
 * @param queues when given, receives the name of every queue a job was inserted into (once the
 *   transaction has committed), so the caller can wake just those queues' workers.
 * @returns how many events were dispatched.
 */
export async function dispatchPending(db: Db, boss: PgBoss, handlers: readonly JobHandler[], queues?: Set<string>): Promise<number> {
  let touched: string[] = [];
  const n = await db.transaction(async (tx) => {
    const batch = (
      await rows<RawEvent>(tx, sql`${SELECT_EVENT} WHERE dispatched_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`)
    ).map(toEvent);
    if (batch.length === 0) return 0;
    const jobs: PgBoss.JobInsert<EventJobData>[] = [];
    for (const event of batch) {
      for (const h of handlers) {
        if (!h.events.includes(event.type) || (h.filter && !h.filter(event))) continue;
        jobs.push({
          name: h.name,
          data: { eventId: event.id, requestId: event.requestId },
          // A label for inspection; exactly-once comes from the receipt in runEventJob, not from this.
          singletonKey: `event:${event.id}`,
          retryLimit: h.retryLimit ?? DEFAULT_RETRY_LIMIT,
          retryDelay: h.retryDelayS ?? DEFAULT_RETRY_DELAY_S,
          retryBackoff: true,
          expireInSeconds: jobExpireS(h.expireInS),
          deadLetter: deadLetterQueue(h.name),
        });
      }
      metrics().eventsDispatched.inc({ type: event.type });
    }
    if (jobs.length) await boss.insert(jobs, { db: sqlExecutor(tx, { prepare: true }) as PgBoss.Db });
    touched = jobs.map((j) => j.name);
    const ids = batch.map((e) => e.id);
    await tx.execute(sql`UPDATE domain_events SET dispatched_at = now() WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
    return batch.length;
  });
  for (const q of touched) queues?.add(q);
  return n;
}
