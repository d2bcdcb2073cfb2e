import type { JobHandler } from "../registry";
import { assignTicketJob } from "./assign";
import type { TaskHandler } from "../tasks";
import { mailNotifyJob } from "@/lib/mail/notify";
import { processUploadJob } from "./process-upload";
import { requesterConfirmationMail } from "./requester-confirmation-mail";
import { routingPlanPushes, routingPush } from "./routing-push";
import { mailSendTask } from "@/lib/mail/send";
import { odataPullTask, odataReportJob } from "@/lib/odata/jobs";
import { ODATA_PULL_TASK } from "@/lib/odata/pull";
import { slaNotifyJob, slaPushTask } from "@/lib/sla/notify";
import { SLA_SWEEP_TASK, slaSweepTask } from "./sla";

/**
 * Every job handler of the app, subscribed to domain events. Add a handler here and it gets
 * its queue, dead-letter queue and workers in every worker process.
 */
export const JOB_HANDLERS: readonly JobHandler[] = [requesterConfirmationMail, processUploadJob, assignTicketJob, routingPlanPushes, mailNotifyJob, slaNotifyJob, odataReportJob];

/**
 * Every task queue of the app (jobs enqueued by code with per-job retry options, see
 * lib/jobs/tasks.ts). Each gets its queue, dead-letter queue and workers in every worker process.
 */
export const TASK_HANDLERS: readonly TaskHandler<never>[] = [routingPush, mailSendTask, slaSweepTask, slaPushTask, odataPullTask];

/**
 * Cron schedules of task queues (pg-boss `schedule`, UTC): every worker process registers them
 * at start (idempotent, an upsert by name) and pg-boss's timekeeper sends each due one once per
 * minute across all instances; the task's workers then run it. The task must be in
 * {@link TASK_HANDLERS}.
 */
export const SCHEDULES: readonly { task: string; cron: string }[] = [
  { task: SLA_SWEEP_TASK, cron: "* * * * *" },
  { task: ODATA_PULL_TASK, cron: "* * * * *" },
];
