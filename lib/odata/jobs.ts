import "server-only";
import { eq } from "drizzle-orm";
import { odataRuns, odataSources } from "@/db/schema";
import type { JobHandler } from "@/lib/jobs/registry";
import type { TaskHandler } from "@/lib/jobs/tasks";
import { mailBaseUrl } from "@/lib/mail/config";
import { queueMail } from "@/lib/mail/queue";
import { renderMail } from "@/lib/mail/render";
import type { ODataRunError } from "./dto";
import { ODATA_PULL_TASK, pullDueSources, pullSource, type ODataPullTaskData } from "./pull";

/** Name of the report handler (its queue, job receipts and `mail_outbox.handler`). */
export const ODATA_REPORT_HANDLER = "odata.report";

/** Most error lines a report mail lists. */
export const REPORT_MAX_ERRORS = 20;

/** One error of a run as a report line: `[<external id>] HTTP <status> (attempt n): <message as served>`. */
export function errorLine(e: ODataRunError): string {
  const parts = [e.externalId ? `[${e.externalId}]` : null, e.status !== undefined ? `HTTP ${e.status}` : null, e.attempt !== undefined ? `(attempt ${e.attempt})` : null].filter(Boolean);
  return parts.length ? `${parts.join(" ")}: ${e.message}` : e.message;
}

/**
 * `odata.pull`: without data (the every-minute cron, SCHEDULES) pull every due source
 * (lib/odata/pull.ts pullDueSources); with `{sourceId, runId}` (run now) pull that source into
 * that run. Pull failures are recorded in the run, not thrown; only database errors fail the
 * job (pg-boss retries it; a retried run-now finds its run finished or adopts it again).
 */
export const odataPullTask: TaskHandler<ODataPullTaskData> = {
  name: ODATA_PULL_TASK,
  expireInS: 900,
  async run(data, { db }) {
    const now = new Date();
    if (data?.sourceId) await pullSource(db, data.sourceId, { trigger: "manual", now, runId: data.runId });
    else await pullDueSources(db, now);
  },
};

/**
 * `odata.report`: mail each finished run's report (kind `odata_report`) to the source's
 * `reportTo` stakeholders, written by queueMail in the job's transaction with the event id, so
 * a redelivered job mails nobody twice. Errors are listed as served, at most 20 lines.
 */
export const odataReportJob: JobHandler = {
  name: ODATA_REPORT_HANDLER,
  events: ["odata.run_finished"],
  async run(event, { tx }) {
    const runId = String(event.payload.runId ?? "");
    const [row] = await tx
      .select({ run: odataRuns, reportTo: odataSources.reportTo, name: odataSources.name })
      .from(odataRuns)
      .innerJoin(odataSources, eq(odataSources.id, odataRuns.sourceId))
      .where(eq(odataRuns.id, runId))
      .limit(1);
    if (!row || row.reportTo.length === 0) return;
    const r = row.run;
    const errors = ((r.errors ?? []) as ODataRunError[]).map(errorLine);
    const data = {
      sourceName: row.name,
      status: r.status,
      fetched: r.fetched,
      created: r.created,
      updated: r.updated,
      skipped: r.skipped,
      errorCount: errors.length,
      errors: errors.length > REPORT_MAX_ERRORS ? [...errors.slice(0, REPORT_MAX_ERRORS - 1), `… and ${errors.length - REPORT_MAX_ERRORS + 1} more (see the run page)`] : errors,
      runUrl: `${mailBaseUrl()}/admin/odata/${r.sourceId}#run-${r.id}`,
    };
    for (const to of row.reportTo) {
      await queueMail(tx, { eventId: event.id, handler: ODATA_REPORT_HANDLER, kind: "odata_report", ticketId: null, to, render: (ctx) => renderMail("odata_report", data, ctx) });
    }
  },
};
