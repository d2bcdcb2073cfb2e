import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { withRequestId } from "@/lib/observability/request-context";
import { getEvent, SELECT_EVENT, toEvent, type RawEvent } from "./events";
import type { JobHandler } from "./registry";

/** The data of every event job: which event to act on. */
export interface EventJobData {
  eventId: number;
  /**
   * The request id of the request that caused the event (null: none), copied by the dispatcher so
   * a job need not read it back. Absent in jobs queued before 2026-12: then it is read from the event.
   */
  requestId?: string | null;
}

export type JobOutcome = "done" | "skipped";

/**
 * Run one handler for one event, exactly once per (handler, event): in one transaction,
 * insert the receipt (handler, eventId) and read the event in one statement — if the receipt
 * exists the job was already done and is acknowledged as `skipped` — then run the handler; its
 * effects and the receipt commit together. A throw rolls both back and fails the job, which pg-boss retries with backoff and
 * finally moves to the dead-letter queue.
 *
 * @returns `done` or `skipped`; throws whatever the handler throws.
 */
export async function runEventJob(db: Db, handler: JobHandler, data: EventJobData): Promise<JobOutcome> {
  // The job runs (logs, calls out, emits events) under the request id of the request that
  // caused its event, so one id follows the work from the HTTP request to every side effect.
  let requestId = data.requestId;
  if (requestId === undefined) {
    const [row] = await rows<{ request_id: string | null }>(db, sql`SELECT request_id FROM domain_events WHERE id = ${data.eventId}`);
    requestId = row?.request_id ?? null;
  }
  return withRequestId(requestId ?? `job:${handler.name}:${data.eventId}`, () => runEventJobInContext(db, handler, data));
}

async function runEventJobInContext(db: Db, handler: JobHandler, data: EventJobData): Promise<JobOutcome> {
  const outcome = handler.mode === "long" ? await runLongJob(db, handler, data) : await db.transaction(async (tx) => {
    // One statement: the receipt, and the event only when the receipt is new. No row: done
    // before (the receipt existed), or its ticket (and so the event) was deleted.
    const [raw] = await rows<RawEvent>(
      tx,
      sql`WITH receipt AS (
            INSERT INTO job_receipts (handler, event_id) VALUES (${handler.name}, ${data.eventId})
            ON CONFLICT DO NOTHING RETURNING event_id)
          ${SELECT_EVENT} WHERE id = (SELECT event_id FROM receipt)`,
    );
    if (!raw) return "skipped" as const;
    await handler.run(toEvent(raw), { tx });
    return "done" as const;
  });
  metrics().jobRuns.inc({ queue: handler.name, outcome });
  if (outcome === "skipped") logger.debug({ job: handler.name, eventId: data.eventId }, "job already done for this event");
  return outcome;
}

/**
 * A `long` handler: skip when the receipt exists, run outside any transaction (the handler
 * commits progress as it goes and is restartable), then write the receipt. A crash between the
 * handler's end and the receipt runs it again, which a restartable handler tolerates.
 */
async function runLongJob(db: Db, handler: JobHandler, data: EventJobData): Promise<JobOutcome> {
  const done = await rows<{ handler: string }>(
    db,
    sql`SELECT handler FROM job_receipts WHERE handler = ${handler.name} AND event_id = ${data.eventId}`,
  );
  if (done.length > 0) return "skipped";
  const event = await getEvent(db, data.eventId);
  if (!event) return "skipped";
  await handler.run(event, { tx: db });
  await rows(db, sql`INSERT INTO job_receipts (handler, event_id) VALUES (${handler.name}, ${data.eventId}) ON CONFLICT DO NOTHING RETURNING handler`);
  return "done";
}
