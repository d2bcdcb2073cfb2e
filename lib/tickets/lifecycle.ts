import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, tickets, type Status, type WaitingReason } from "@/db/schema";
import { emitEvents } from "@/lib/jobs/events";
import { recomputeTicketSla } from "@/lib/sla/clock-service";
import { slaNow } from "@/lib/sla/now";
import type { actorOf } from "./access";
import type { TicketRow } from "./dto";
import { assertTransition } from "./status";

/**
 * The one ticket lifecycle. Every status change — an agent's PATCH, a reply, and later e-mail
 * replies, SLA escalations and assistant commands — goes through {@link transitionTicket}.
 * Rules (docs/DESIGN.md, "Ticket lifecycle"; ITIL 4 Incident Management / Service Request
 * Management practice guides):
 * - Legal moves are in lib/tickets/status.ts; `closed` is final.
 * - `waiting` always carries a reason: on the requester or on a third party ("pending"
 *   states in ITIL tools). The SLA clock pauses on the reasons a policy names.
 * - `resolved` sets resolved_at (resolution time); reopening clears it; `closed` sets
 *   closed_at (and resolved_at when skipped).
 * - {@link replyEffect} says what a reply does to the status.
 */

/** What caused a status change (kept in the audit row and the event). */
/** `requester`: the requester marked their ticket solved or reopened it in the portal (lib/portal/requester-status.ts). */
export type TransitionCause = "agent" | "agent_reply" | "requester" | "requester_reply" | "email_reply" | "sla" | "assistant" | "system";

export interface TransitionRequest {
  to: Status;
  /** For `waiting`: on whom it waits. Default: unchanged on a waiting ticket, else `requester`. */
  waitingReason?: WaitingReason;
  cause: TransitionCause;
  /** "Now" for the SLA clock (pause/resume); defaults to lib/sla/now.ts slaNow. */
  now?: Date;
  /**
   * The caller recomputes the SLA clock itself after its other changes in the same transaction
   * (updateTicket, addComment), so the clock is written once. Default: recomputed here.
   */
  deferSla?: boolean;
}

export interface TransitionResult {
  changed: boolean;
  from: Status;
  to: Status;
  waitingReason: WaitingReason | null;
}

type Actor = ReturnType<typeof actorOf>;

/**
 * Move a ticket to another status (or change why a waiting ticket waits), inside the caller's
 * transaction, with the row already locked (`findTicketRow(tx, key, {forUpdate: true})`).
 * Writes the ticket, a `ticket.status_changed` audit row and a `ticket.status_changed` domain
 * event (a reason-only change writes `ticket.waiting_reason_changed` / `ticket.updated`).
 * Setting the current status and reason again changes nothing. Then recomputes the ticket's
 * SLA clock (pause on a waiting reason the policy pauses on, resume, resolution met, reopen)
 * unless `deferSla`.
 *
 * @throws ApiError 409 invalid_transition when the move is not allowed from the current status.
 */
export async function transitionTicket(
  tx: DbOrTx,
  row: Pick<TicketRow, "id" | "key" | "status" | "waitingReason" | "resolvedAt">,
  req: TransitionRequest,
  actor: Actor,
): Promise<TransitionResult> {
  const from = row.status;
  const to = req.to;
  const reason: WaitingReason | null =
    to === "waiting" ? (req.waitingReason ?? (from === "waiting" ? row.waitingReason : null) ?? "requester") : null;
  if (from === to && reason === (row.waitingReason ?? null)) return { changed: false, from, to, waitingReason: reason };
  assertTransition(from, to);

  const set: Record<string, unknown> = { status: to, waitingReason: reason, updatedAt: sql`now()` };
  if (to === "resolved" && !row.resolvedAt) set.resolvedAt = sql`now()`;
  if (to === "closed") {
    set.closedAt = sql`now()`;
    if (!row.resolvedAt) set.resolvedAt = sql`now()`;
  }
  if (from === "resolved" && to !== "closed") set.resolvedAt = null;
  await tx.update(tickets).set(set as never).where(eq(tickets.id, row.id));

  const statusChanged = from !== to;
  const before = statusChanged ? { status: from, ...(row.waitingReason ? { waitingReason: row.waitingReason } : {}) } : { waitingReason: row.waitingReason };
  const after = statusChanged ? { status: to, ...(reason ? { waitingReason: reason } : {}), cause: req.cause } : { waitingReason: reason, cause: req.cause };
  await tx.insert(auditEvents).values({
    ticketId: row.id,
    entityType: "ticket",
    entityId: row.key,
    ...actor,
    action: statusChanged ? "ticket.status_changed" : "ticket.waiting_reason_changed",
    before,
    after,
  });
  await emitEvents(tx, [
    statusChanged
      ? {
          type: "ticket.status_changed",
          ticketId: row.id,
          actor: { type: actor.actorType, id: actor.actorId, label: actor.actorLabel },
          payload: { key: row.key, from, to, waitingReason: reason, cause: req.cause },
        }
      : {
          type: "ticket.updated",
          ticketId: row.id,
          actor: { type: actor.actorType, id: actor.actorId, label: actor.actorLabel },
          payload: { key: row.key, changes: { waitingReason: { from: row.waitingReason, to: reason } } },
        },
  ]);
  if (!req.deferSla) await recomputeTicketSla(tx, row.id, req.now ?? (await slaNow(tx)));
  return { changed: true, from, to, waitingReason: reason };
}

/** What a new comment does to its ticket's status. */
export type ReplyEffect =
  | { kind: "none" }
  | { kind: "transition"; to: Status; cause: TransitionCause }
  /** The ticket is closed, or resolved longer ago than the reopen window: file a follow-up ticket. */
  | { kind: "follow_up" }
  /** Agents cannot comment on a closed ticket. */
  | { kind: "refuse" };

/**
 * The reply rules (pure):
 * - Internal notes never change the status (a note on a closed ticket is refused).
 * - A requester's public reply: `waiting` → `open`; `resolved` within `reopenWindowDays` of
 *   resolved_at → `open` (reopened); `resolved` after the window, or `closed` → a follow-up
 *   ticket linked to this one.
 * - An agent's public reply: the first one on a `new` ticket → `open` (it is also the first
 *   response, set by the caller); otherwise no change. Agents cannot reply on `closed`.
 */
export function replyEffect(
  ticket: { status: Status; resolvedAt: Date | string | null },
  reply: { byRequester: boolean; internal: boolean },
  now: Date,
  reopenWindowDays: number,
): ReplyEffect {
  if (reply.internal) return ticket.status === "closed" ? { kind: "refuse" } : { kind: "none" };
  if (!reply.byRequester) {
    if (ticket.status === "closed") return { kind: "refuse" };
    return ticket.status === "new" ? { kind: "transition", to: "open", cause: "agent_reply" } : { kind: "none" };
  }
  switch (ticket.status) {
    case "waiting":
      return { kind: "transition", to: "open", cause: "requester_reply" };
    case "resolved": {
      const resolvedMs = ticket.resolvedAt ? new Date(ticket.resolvedAt).getTime() : now.getTime();
      const withinWindow = now.getTime() - resolvedMs <= reopenWindowDays * 86_400_000;
      return withinWindow ? { kind: "transition", to: "open", cause: "requester_reply" } : { kind: "follow_up" };
    }
    case "closed":
      return { kind: "follow_up" };
    default:
      return { kind: "none" };
  }
}

/** Title of a follow-up ticket: the original's, marked, within the title limit (200). */
export function followUpTitle(title: string): string {
  const t = /^follow-up: /i.test(title) ? title : `Follow-up: ${title}`;
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}
