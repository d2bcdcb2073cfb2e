import "server-only";
import type { DbOrTx } from "@/db/client";
import { enqueueTask } from "@/lib/jobs/tasks";

/** The event handler that plans pushes (lib/jobs/handlers/routing-push.ts); its receipts say an event is planned. */
export const PLAN_HANDLER = "routing.plan-pushes";

/**
 * How far back (h) the ordering checks look for an earlier event of the ticket whose pushes are
 * not planned yet (deliver.ts `earlierWork`, plan.ts `unplannedCreateEvent`): far longer than any
 * planning job takes, even through its retries, and it keeps the lookups on recent events.
 */
export const ORDER_WINDOW_H = 6;

/** Queue of push deliveries (lib/jobs/handlers/routing-push.ts works it). */
export const PUSH_TASK = "routing.push";

/** Longest one delivery may run, in s: a 10 s HTTP call, plus a lookup call, plus the commits. */
export const PUSH_EXPIRE_S = 120;

/** The data of a `routing.push` job. */
export interface PushTaskData {
  pushId: number;
}

/**
 * Queue the delivery of push `pushId` in the caller's transaction, with the target's retry
 * options (`retryLimit` retries after the first attempt, the first `retryDelayS` later,
 * doubling with jitter).
 * @returns the pg-boss job id.
 */
export function enqueuePush(tx: DbOrTx, pushId: number, target: { retryLimit: number; retryDelayS: number }): Promise<string> {
  return enqueueTask<PushTaskData>(tx, PUSH_TASK, { pushId }, {
    retryLimit: target.retryLimit,
    retryDelayS: target.retryDelayS,
    expireInS: PUSH_EXPIRE_S,
    singletonKey: `push:${pushId}`,
  });
}
