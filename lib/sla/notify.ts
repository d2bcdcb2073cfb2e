import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { rows, type Db, type DbOrTx } from "@/db/client";
import { externalTargets, jobReceipts, slaBreaches, ticketSlas, tickets, users } from "@/db/schema";
import type { Priority } from "@/db/schema/enums";
import type { SlaLevel, SlaTarget } from "@/db/schema/sla";
import { env } from "@/lib/env";
import { getEvent, type DomainEvent } from "@/lib/jobs/events";
import type { JobHandler } from "@/lib/jobs/registry";
import { enqueueTask, type TaskHandler } from "@/lib/jobs/tasks";
import { mailBaseUrl } from "@/lib/mail/config";
import { queueMail } from "@/lib/mail/queue";
import { renderMail } from "@/lib/mail/render";
import { logger } from "@/lib/observability/logger";
import { isRetryable, loadPushTicket, send } from "@/lib/routing/push/deliver";
import { PUSH_EXPIRE_S } from "@/lib/routing/push/enqueue";
import { slackEscape } from "@/lib/routing/push/slack";
import { jsonHeaders, type OutboundRequest, type PushTicket } from "@/lib/routing/push/types";
import { webhookRequest } from "@/lib/routing/push/webhook";
import { activeTargetRows, resolveTarget } from "@/lib/routing/targets/resolve";
import { meetsThreshold, SlackConfigSchema, type ResolvedTarget } from "@/lib/routing/targets/types";
import { businessSecondsBetween } from "./business-time";
import { loadCalendar } from "./calendars-load";
import { describeActions, teamLead } from "./escalation";
import { TARGET_WORDS } from "./sweep";

/** Name of the notification handler (its queue, job receipts and `mail_outbox.handler`). */
export const SLA_NOTIFY_HANDLER = "sla.notify";
/** Queue of the Slack/webhook posts of SLA events (one job per event and target). */
export const SLA_PUSH_TASK = "sla.push";

/** Data of a {@link SLA_PUSH_TASK} job. */
export interface SlaPushData {
  eventId: number;
  targetId: string;
}

/** Target kinds that hear of SLA warnings and breaches (Jira and Freshservice records get nothing). */
const NOTIFIED_KINDS = ["slack", "webhook"] as const;

/** A warning or breach as notifications tell it. */
export interface SlaNotice {
  type: "ticket.sla_warning" | "ticket.sla_breached";
  key: string;
  ticketId: number;
  target: SlaTarget;
  /** "first response" | "next response" | "resolution". */
  targetWords: string;
  level: SlaLevel;
  cycle: number;
  policy: string;
  /** The ticket's priority when it happened (before any escalation). */
  priority: Priority;
  teamSlug: string | null;
  assigneeId: string | null;
  dueAt: Date;
  /** When the sweep saw it (sla_breaches.occurred_at). */
  occurredAt: Date;
  /** The due time in the calendar's time zone: "Tue 2 Dec 14:00 CET". */
  dueLabel: string;
  /** Warning: "45 min of business time left"; breach: "overdue by 5 min". */
  when: string;
  /** What the escalation did, one line each. */
  actions: string[];
}

/** "45 s", "12 min", "3 h 20 min", "2 d 4 h" (seconds, rounded down to minutes above a minute). */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/**
 * The notice of an SLA event: its payload, the breach row's occurred_at, and the calendar of
 * the ticket's clock (for the local due label and the business time left). Null when the event
 * is not an SLA event or its breach row is gone.
 */
export async function loadSlaNotice(db: DbOrTx, e: DomainEvent): Promise<SlaNotice | null> {
  if ((e.type !== "ticket.sla_warning" && e.type !== "ticket.sla_breached") || e.ticketId === null) return null;
  const p = e.payload;
  const [b] = await db
    .select({ occurredAt: slaBreaches.occurredAt, dueAt: slaBreaches.dueAt, calendarId: ticketSlas.calendarId })
    .from(slaBreaches)
    .leftJoin(ticketSlas, eq(ticketSlas.ticketId, slaBreaches.ticketId))
    .where(eq(slaBreaches.id, Number(p.breachId)))
    .limit(1);
  if (!b) return null;
  const cal = b.calendarId ? await loadCalendar(db, b.calendarId) : null;
  const zone = cal?.timeZone ?? env().SLA_TIME_ZONE ?? "UTC";
  const target = String(p.target) as SlaTarget;
  const when =
    e.type === "ticket.sla_warning"
      ? `${humanDuration(cal ? businessSecondsBetween(cal, b.occurredAt, b.dueAt) : (b.dueAt.getTime() - b.occurredAt.getTime()) / 1000)} of business time left`
      : b.occurredAt.getTime() - b.dueAt.getTime() < 60_000
        ? "overdue by less than a minute"
        : `overdue by ${humanDuration((b.occurredAt.getTime() - b.dueAt.getTime()) / 1000)}`;
  return {
    type: e.type,
    key: String(p.key),
    ticketId: e.ticketId,
    target,
    targetWords: TARGET_WORDS[target] ?? target,
    level: e.type === "ticket.sla_warning" ? "warning" : "breach",
    cycle: Number(p.cycle ?? 0),
    policy: String(p.policy ?? ""),
    priority: String(p.priority) as Priority,
    teamSlug: typeof p.teamSlug === "string" ? p.teamSlug : null,
    assigneeId: typeof p.assigneeId === "string" ? p.assigneeId : null,
    dueAt: b.dueAt,
    occurredAt: b.occurredAt,
    dueLabel: DateTime.fromJSDate(b.dueAt, { zone }).toFormat("ccc d LLL HH:mm ZZZZ"),
    when,
    actions: describeActions(p.actions as Record<string, unknown> | null),
  };
}

/** The one-line text of a notice (Slack `text`, logs): ":rotating_light: T-12 breached its resolution SLA (P1, due …)". */
export function noticeText(n: SlaNotice): string {
  if (n.level === "warning") return `:warning: ${n.key} is at risk of breaching its ${n.targetWords} SLA (${n.priority}, due ${n.dueLabel}, ${n.when})`;
  const actions = n.actions.length ? `; escalation: ${n.actions.join(", ")}` : "";
  return `:rotating_light: ${n.key} breached its ${n.targetWords} SLA (${n.priority}, due ${n.dueLabel}, ${n.when})${actions}`;
}

/** The Slack incoming-webhook message of a notice: the text, and a section linking the ticket. */
export function slackSlaMessage(n: SlaNotice, t: PushTicket, target: ResolvedTarget) {
  const cfg = SlackConfigSchema.parse(target.config);
  const mention = n.level === "breach" && n.priority === "P1" && cfg.mentionOnP1 ? `${cfg.mentionOnP1} ` : "";
  const text = `${mention}${noticeText(n)}`;
  const head = n.level === "warning" ? `:warning: <${t.url}|${t.key}> is at risk` : `:rotating_light: <${t.url}|${t.key}> breached`;
  const lines = [
    `${mention}${head}: ${n.targetWords} (${n.priority}), due ${n.dueLabel}, ${n.when}`,
    slackEscape(t.title),
    ...(n.actions.length ? [`Escalation: ${n.actions.map(slackEscape).join("; ")}`] : []),
  ];
  return { ...(cfg.channel ? { channel: cfg.channel } : {}), text, blocks: [{ type: "section", text: { type: "mrkdwn", text: lines.join("\n").slice(0, 2900) } }] };
}

/** The generic webhook's JSON body of a notice (event = the domain event type). */
export function webhookSlaPayload(n: SlaNotice, t: PushTicket, deliveryId: string, nowS: number) {
  return {
    event: n.type,
    delivery_id: deliveryId,
    sent_at: new Date(nowS * 1000).toISOString(),
    ticket: { key: t.key, title: t.title, priority: t.priority, status: t.status, team: t.team, url: t.url },
    sla: {
      target: n.target,
      level: n.level,
      cycle: n.cycle,
      policy: n.policy,
      priority: n.priority,
      due_at: n.dueAt.toISOString(),
      occurred_at: n.occurredAt.toISOString(),
      actions: n.actions,
    },
  };
}

/** Stable per (target, event), the same on every attempt: `Idempotency-Key` of webhook posts. */
export const slaDeliveryId = (targetId: string, eventId: number) => `sb-sla-${targetId}-${eventId}`;

/** The receipt handler name of one target's post of an event (job_receipts). */
const pushReceipt = (targetId: string) => `${SLA_PUSH_TASK}:${targetId}`;

/** The active person behind a user id (agents and admins), or null. */
async function staffAddress(tx: DbOrTx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const [u] = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.active, true), inArray(users.role, ["agent", "admin"])))
    .limit(1);
  return u?.email ?? null;
}

/**
 * `sla.notify`, on `ticket.sla_warning` and `ticket.sla_breached` (exactly once per event: the
 * job receipt; mail_outbox unique per handler, event and recipient), in the job's transaction:
 * - mail `sla_warning` / `sla_breach` to the assignee at the time and to the lead of the team
 *   at the time (lib/sla/escalation.ts teamLead), once when they are the same person;
 * - one `sla.push` job per active Slack or webhook target of that team whose priority
 *   threshold the ticket's priority meets (Jira and Freshservice get nothing), with the
 *   target's retry options;
 * - appends `notified: ["mail:<address>", "slack:<target name>", …]` to the breach row's actions.
 */
export const slaNotifyJob: JobHandler = {
  name: SLA_NOTIFY_HANDLER,
  events: ["ticket.sla_warning", "ticket.sla_breached"],
  async run(event, { tx }) {
    const n = await loadSlaNotice(tx, event);
    if (!n) return;
    const [t] = await tx.select({ title: tickets.title }).from(tickets).where(eq(tickets.id, n.ticketId)).limit(1);
    if (!t) return;
    const notified: string[] = [];
    const ticket = { key: n.key, title: t.title, url: `${mailBaseUrl()}/tickets/${n.key}` };
    const base = { ticket, target: n.targetWords, policy: n.policy, priority: n.priority, dueAt: n.dueAt.toISOString(), dueLabel: n.dueLabel };
    const lead = await teamLead(tx, n.teamSlug);
    const to = new Set([await staffAddress(tx, n.assigneeId), lead?.email ?? null].filter((x): x is string => !!x).map((x) => x.toLowerCase()));
    for (const address of to) {
      const r = await queueMail(tx, {
        eventId: event.id,
        handler: SLA_NOTIFY_HANDLER,
        kind: n.level === "warning" ? "sla_warning" : "sla_breach",
        ticketId: n.ticketId,
        to: address,
        render: (ctx) =>
          n.level === "warning"
            ? renderMail("sla_warning", { ...base, remaining: n.when }, ctx)
            : renderMail("sla_breach", { ...base, overdue: n.when, actions: n.actions }, ctx),
      });
      if (r) notified.push(`mail:${address}`);
    }
    const targets = n.teamSlug
      ? (await activeTargetRows(tx, n.teamSlug)).filter((x) => (NOTIFIED_KINDS as readonly string[]).includes(x.kind) && meetsThreshold(n.priority, x.priorityThreshold))
      : [];
    for (const x of targets) {
      await enqueueTask<SlaPushData>(tx, SLA_PUSH_TASK, { eventId: event.id, targetId: x.id }, {
        retryLimit: x.retryLimit,
        retryDelayS: x.retryDelayS,
        expireInS: PUSH_EXPIRE_S,
        singletonKey: `sla-push:${event.id}:${x.id}`,
      });
      notified.push(`${x.kind}:${x.name}`);
    }
    await tx
      .update(slaBreaches)
      .set({ actions: sql`${slaBreaches.actions} || ${JSON.stringify({ notified })}::jsonb` as never })
      .where(eq(slaBreaches.id, Number(event.payload.breachId)));
  },
};

/** What one post came to (tests). */
export type SlaPushOutcome = "done" | "already_done" | "skipped" | "rejected";

/**
 * Post one SLA event to one Slack or webhook target (the `sla.push` task). Idempotent by
 * (target, event): a receipt `sla.push:<targetId>` in job_receipts is written after the 2xx
 * and checked first, so a redelivered job posts nothing. Webhook posts carry
 * `Idempotency-Key` / `X-Switchboard-Delivery` = `sb-sla-<targetId>-<eventId>` (signed like
 * every webhook push when the target has a secret), so a receiver drops the repeat that a
 * crash between its 2xx and our receipt causes; Slack keeps no record, so that rare crash may
 * post a message twice (as for routing pushes).
 * - Gone or inactive target, gone ticket or event, unopenable secrets → `skipped` (logged).
 * - 408/429/5xx/network error → throws (pg-boss retries with the target's options).
 * - Other 4xx → `rejected`: logged, receipt written, not retried.
 */
export async function postSlaNotice(db: Db, data: SlaPushData, opts: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<SlaPushOutcome> {
  const handler = pushReceipt(data.targetId);
  const [done] = await db.select({ h: jobReceipts.handler }).from(jobReceipts).where(and(eq(jobReceipts.handler, handler), eq(jobReceipts.eventId, data.eventId))).limit(1);
  if (done) return "already_done";
  const [row] = await db.select().from(externalTargets).where(eq(externalTargets.id, data.targetId)).limit(1);
  const event = await getEvent(db, data.eventId);
  const n = event ? await loadSlaNotice(db, event) : null;
  const ticket = n ? await loadPushTicket(db, n.ticketId) : null;
  if (!row || !row.active || !n || !ticket) return "skipped";
  let target: ResolvedTarget;
  try {
    target = resolveTarget(row);
  } catch (err) {
    logger.warn({ err, targetId: row.id }, "sla.push: the target's secrets cannot be opened; not posting");
    return "skipped";
  }
  const nowS = Math.floor(Date.now() / 1000);
  const deliveryId = slaDeliveryId(target.id, data.eventId);
  const req: OutboundRequest =
    target.kind === "slack"
      ? { method: "POST", url: target.url, headers: jsonHeaders(target), body: JSON.stringify(slackSlaMessage(n, ticket, target)) }
      : webhookRequest(target, deliveryId, nowS, JSON.stringify(webhookSlaPayload(n, ticket, deliveryId, nowS)));
  const res = await send(req, opts, target.kind);
  if (!res.ok && isRetryable(res.status)) throw new Error(`sla.push to ${target.name}: ${res.status ?? res.error} ${res.text.slice(0, 300)}`);
  if (!res.ok) logger.warn({ target: target.name, status: res.status, body: res.text.slice(0, 500) }, "sla.push rejected by the target (not retried)");
  await rows(db, sql`INSERT INTO job_receipts (handler, event_id) VALUES (${handler}, ${data.eventId}) ON CONFLICT DO NOTHING RETURNING handler`);
  return res.ok ? "done" : "rejected";
}

/** The `sla.push` task ({@link postSlaNotice}); retries are set per job from the target. */
export const slaPushTask: TaskHandler<SlaPushData> = {
  name: SLA_PUSH_TASK,
  expireInS: PUSH_EXPIRE_S,
  async run(data, { db }) {
    await postSlaNotice(db, data);
  },
};
