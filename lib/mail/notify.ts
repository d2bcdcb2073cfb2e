import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiKeys, teams, ticketComments, tickets, users } from "@/db/schema";
import { env } from "@/lib/env";
import type { DomainEvent } from "@/lib/jobs/events";
import type { JobHandler } from "@/lib/jobs/registry";
import { AUTO_ASSIGN_ACTOR } from "@/lib/routing/assign/auto-assign";
import { staffEmails, watcherEmails } from "@/lib/tickets/watchers";
import { mailBaseUrl } from "./config";
import type { MailKind } from "./kinds";
import { mailTeamOfUnassignedTicket } from "./notify/team";
import { queueMail } from "./queue";
import { renderMail, type MailData } from "./render";

/** Name of the notification handler (its queue, job receipts and `mail_outbox.handler`). */
export const MAIL_NOTIFY_HANDLER = "mail.notify";

type Changes = Record<string, { from: unknown; to: unknown } | undefined>;
const changesOf = (e: DomainEvent) => (e.payload.changes ?? {}) as Changes;

/**
 * Events that may mail someone (pure; runs in the dispatcher, so cheap and without database):
 * every `ticket.created`; public `comment.added`; `ticket.status_changed` to waiting (on the
 * requester) or resolved, or out of resolved/closed; `ticket.updated` with an assignee set,
 * a team set, or the waiting reason turned to the requester.
 */
export function wantsMail(e: DomainEvent): boolean {
  switch (e.type) {
    case "ticket.created":
      return true;
    case "comment.added":
      return e.payload.internal === false;
    case "ticket.status_changed": {
      const { from, to, waitingReason } = e.payload;
      return (to === "waiting" && waitingReason === "requester") || to === "resolved" || ((from === "resolved" || from === "closed") && to !== "closed");
    }
    case "ticket.updated": {
      const c = changesOf(e);
      return typeof c.assignee?.to === "string" || typeof c.team?.to === "string" || c.waitingReason?.to === "requester";
    }
    default:
      return false;
  }
}

interface TicketInfo {
  id: number;
  key: string;
  title: string;
  status: string;
  requesterEmail: string;
  teamSlug: string | null;
  assigneeId: string | null;
  resolution: string | null;
}

async function loadTicket(tx: DbOrTx, id: number): Promise<TicketInfo | null> {
  const [t] = await tx
    .select({
      id: tickets.id,
      key: tickets.key,
      title: tickets.title,
      status: tickets.status,
      requesterEmail: tickets.requesterEmail,
      teamSlug: tickets.teamSlug,
      assigneeId: tickets.assigneeId,
      resolution: tickets.resolution,
    })
    .from(tickets)
    .where(eq(tickets.id, id))
    .limit(1);
  return t ? { ...t, id: Number(t.id), status: String(t.status) } : null;
}

/** The user id behind an event's actor: the user itself, or the user an API key acts for. */
async function actorUserId(tx: DbOrTx, e: DomainEvent): Promise<string | null> {
  const a = e.actor;
  if (!a?.id) return null;
  if (a.type === "user") return a.id;
  if (a.type === "api_key") {
    const [k] = await tx.select({ userId: apiKeys.userId }).from(apiKeys).where(eq(apiKeys.id, a.id)).limit(1);
    return k?.userId ?? null;
  }
  return null;
}

const portalUrl = (key: string) => `${mailBaseUrl()}/requests/${key}`;
const deskUrl = (key: string) => `${mailBaseUrl()}/tickets/${key}`;

/** Queue one mail of this handler for this event (idempotent per recipient, see queueMail). */
function send<K extends MailKind>(tx: DbOrTx, e: DomainEvent, t: TicketInfo, to: string, kind: K, data: MailData[K]) {
  return queueMail(tx, { eventId: e.id, handler: MAIL_NOTIFY_HANDLER, kind, ticketId: t.id, to, render: (ctx) => renderMail(kind, data, ctx) });
}

async function onCreated(tx: DbOrTx, e: DomainEvent, t: TicketInfo): Promise<void> {
  // A ticket filed while signed out gets the confirmation mail instead (mail.requester-confirmation).
  if (e.payload.unverified !== true) {
    await send(tx, e, t, t.requesterEmail, "ticket_received", { ticket: { key: t.key, title: t.title, url: portalUrl(t.key) } });
  }
  await mailManualTeam(tx, e, t);
}

/** Teams that assign manually hear of an unassigned new (or re-routed) ticket here; other teams from routing.assign. */
async function mailManualTeam(tx: DbOrTx, e: DomainEvent, t: TicketInfo): Promise<void> {
  if (!t.teamSlug || t.assigneeId) return;
  const [team] = await tx.select({ mode: teams.assignmentMode }).from(teams).where(eq(teams.slug, t.teamSlug)).limit(1);
  if (team?.mode !== "manual") return;
  await mailTeamOfUnassignedTicket(tx, { eventId: e.id, handler: MAIL_NOTIFY_HANDLER, ticketId: t.id, exceptUserId: await actorUserId(tx, e) });
}

async function onComment(tx: DbOrTx, e: DomainEvent, t: TicketInfo): Promise<void> {
  const commentId = Number(e.payload.commentId);
  if (!Number.isFinite(commentId)) return;
  const [c] = await tx
    .select({ body: ticketComments.body, internal: ticketComments.internal, authorRole: ticketComments.authorRole, authorLabel: ticketComments.authorLabel, authorName: users.name, authorEmail: users.email })
    .from(ticketComments)
    .leftJoin(users, eq(users.id, ticketComments.authorId))
    .where(and(eq(ticketComments.id, commentId), eq(ticketComments.ticketId, t.id)))
    .limit(1);
  // Internal notes never leave the desk (checked on the stored row, not only the payload).
  if (!c || c.internal) return;
  const author = c.authorName ?? c.authorLabel;
  const authorAddresses = new Set([c.authorEmail, c.authorLabel].filter((x): x is string => !!x).map((x) => x.toLowerCase()));
  const requester = t.requesterEmail.toLowerCase();
  const byStaff = c.authorRole === "agent" || c.authorRole === "admin";
  if (byStaff && !authorAddresses.has(requester)) {
    await send(tx, e, t, requester, "agent_reply", { ticket: { key: t.key, title: t.title, url: portalUrl(t.key) }, author, body: c.body });
  }
  const watchers = (await watcherEmails(tx, t.id)).filter((w) => !authorAddresses.has(w) && w !== requester);
  const staff = await staffEmails(tx, watchers);
  for (const w of watchers) {
    await send(tx, e, t, w, "watcher_message", { ticket: { key: t.key, title: t.title, url: staff.has(w) ? deskUrl(t.key) : null }, author, body: c.body });
  }
}

/** The agents' latest public reply on a ticket (what a waiting requester should answer). */
async function latestAgentReply(tx: DbOrTx, ticketId: number): Promise<string | null> {
  const [c] = await tx
    .select({ body: ticketComments.body })
    .from(ticketComments)
    .where(and(eq(ticketComments.ticketId, ticketId), eq(ticketComments.internal, false), inArray(ticketComments.authorRole, ["agent", "admin"])))
    .orderBy(desc(ticketComments.createdAt), desc(ticketComments.id))
    .limit(1);
  return c?.body ?? null;
}

async function onStatus(tx: DbOrTx, e: DomainEvent, t: TicketInfo): Promise<void> {
  const { from, to, waitingReason } = e.payload;
  const ticket = { key: t.key, title: t.title, url: portalUrl(t.key) };
  if (to === "waiting" && waitingReason === "requester") {
    await send(tx, e, t, t.requesterEmail, "waiting_on_you", { ticket, message: await latestAgentReply(tx, t.id) });
  } else if (to === "resolved") {
    await send(tx, e, t, t.requesterEmail, "resolved", { ticket, resolution: t.resolution, reopenUrl: portalUrl(t.key), reopenWindowDays: env().REOPEN_WINDOW_DAYS });
  } else if ((from === "resolved" || from === "closed") && to !== "closed") {
    await send(tx, e, t, t.requesterEmail, "reopened", { ticket });
  }
}

async function onUpdated(tx: DbOrTx, e: DomainEvent, t: TicketInfo): Promise<void> {
  const c = changesOf(e);
  const assignee = c.assignee?.to;
  const isAuto = e.actor?.type === AUTO_ASSIGN_ACTOR.actorType && e.actor.label === AUTO_ASSIGN_ACTOR.actorLabel;
  // Auto-assignment mails its assignee itself (routing.assign, with the reason): not twice.
  if (typeof assignee === "string" && !isAuto && t.assigneeId === assignee && (await actorUserId(tx, e)) !== assignee) {
    const [u] = await tx
      .select({ email: users.email, name: users.name })
      .from(users)
      .where(and(eq(users.id, assignee), eq(users.active, true), inArray(users.role, ["agent", "admin"])))
      .limit(1);
    if (u) {
      await send(tx, e, t, u.email, "assigned", {
        ticket: { key: t.key, title: t.title, url: deskUrl(t.key) },
        assigneeName: u.name,
        reason: null,
        by: e.actor?.label ?? null,
        roundRobin: false,
      });
    }
  }
  if (typeof c.team?.to === "string" && !(typeof assignee === "string")) await mailManualTeam(tx, e, t);
  if (c.waitingReason?.to === "requester" && t.status === "waiting") {
    await send(tx, e, t, t.requesterEmail, "waiting_on_you", { ticket: { key: t.key, title: t.title, url: portalUrl(t.key) }, message: await latestAgentReply(tx, t.id) });
  }
}

/**
 * `mail.notify`: who gets which mail for a ticket event (lib/mail/kinds.ts; issue #9 §1). The
 * mails are rendered from the React Email templates (lib/mail/render.ts) and written by
 * {@link queueMail} in the job's transaction (preferences, threading, unsubscribe headers,
 * SMTP task or dev outbox), with the event id, so a redelivered job mails nobody twice (the
 * job receipt, and `mail_outbox` unique per handler, event and recipient).
 *
 * - `ticket.created`: the requester gets `ticket_received` (with the key), except for a
 *   ticket filed while signed out (`unverified`: it gets the confirmation mail instead);
 *   the members of a `manual` team get `team_new_ticket` when nobody is assigned (for `auto`
 *   and `round_robin` teams routing.assign mails them when it assigned nobody).
 * - `comment.added`, public only: a reply by an agent goes to the requester (`agent_reply`,
 *   with its text); every public message goes to the watchers (`watcher_message`), never to
 *   its own author. Internal notes go to nobody.
 * - `ticket.status_changed`: to `waiting` on the requester → `waiting_on_you`; to `resolved`
 *   → `resolved` (with the portal link to reopen); out of resolved/closed → `reopened`.
 * - `ticket.updated`: an assignee set by someone else than that person → `assigned` (not for
 *   auto-assignment, which mails itself); a team set without an assignee → the team as on
 *   creation; the waiting reason turned to the requester → `waiting_on_you`.
 */
export const mailNotifyJob: JobHandler = {
  name: MAIL_NOTIFY_HANDLER,
  events: ["ticket.created", "comment.added", "ticket.status_changed", "ticket.updated"],
  filter: wantsMail,
  async run(event, { tx }) {
    if (event.ticketId === null) return;
    const t = await loadTicket(tx, event.ticketId);
    if (!t) return;
    switch (event.type) {
      case "ticket.created":
        return onCreated(tx, event, t);
      case "comment.added":
        return onComment(tx, event, t);
      case "ticket.status_changed":
        return onStatus(tx, event, t);
      case "ticket.updated":
        return onUpdated(tx, event, t);
    }
  },
};
