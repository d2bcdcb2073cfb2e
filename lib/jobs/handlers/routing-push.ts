import "server-only";
import { deliverPush, markPushDead } from "@/lib/routing/push/deliver";
import { resumeNextPush } from "@/lib/routing/push/handoff";
import { PLAN_HANDLER, PUSH_EXPIRE_S, PUSH_TASK, type PushTaskData } from "@/lib/routing/push/enqueue";
import { planPushes, wantsPushes } from "@/lib/routing/push/plan";
import type { JobHandler } from "../registry";
import type { TaskHandler } from "../tasks";

/**
 * Plan external pushes from ticket events (lib/routing/push/plan.ts), in the job's transaction:
 * push rows and their `routing.push` jobs commit with the job's receipt, so a redelivered event
 * plans nothing twice.
 */
export const routingPlanPushes: JobHandler = {
  name: PLAN_HANDLER,
  events: ["ticket.created", "ticket.updated", "ticket.status_changed", "comment.added"],
  filter: wantsPushes,
  async run(event, { tx }) {
    await planPushes(tx, event);
  },
};

/**
 * Deliver one push (lib/routing/push/deliver.ts). Retries (target's `retry_limit`, first
 * `retry_delay_s` later, doubling with jitter) are set per job when the push is enqueued; an
 * exhausted job marks the push `dead` for the dead-letter list. A settled push resumes the next
 * pending push of its ticket and target at once (lib/routing/push/handoff.ts).
 */
export const routingPush: TaskHandler<PushTaskData> = {
  name: PUSH_TASK,
  expireInS: PUSH_EXPIRE_S,
  async run(data, { db }) {
    await deliverPush(db, data.pushId); // throws when the attempt is to be retried
    await resumeNextPush(db, data.pushId);
  },
  async onDeadLetter(data, { db }) {
    await markPushDead(db, data.pushId);
    await resumeNextPush(db, data.pushId);
  },
};
