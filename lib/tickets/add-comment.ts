import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, ticketComments, tickets } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { linkAttachments } from "@/lib/files/uploads/attach";
import { isStaff } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { emitEvents } from "@/lib/jobs/events";
import { recordAgentReply, recordRequesterMessage } from "@/lib/sla/clock-service";
import { slaNow } from "@/lib/sla/now";
import { actorOf, assertCanRead } from "./access";
import { createTicket } from "./create-ticket";
import type { CommentDTO } from "./get-ticket";
import { followUpTitle, replyEffect, transitionTicket } from "./lifecycle";
import { findTicketRow } from "./queries";
import type { CreateCommentInput, UpdateTicketInput } from "./schemas";
import { updateTicket } from "./update-ticket";

export interface AddCommentResult {
  /** The stored comment; null when the reply became a follow-up ticket instead. */
  comment: CommentDTO | null;
  ticket: { key: string; status: string; firstResponseAt: string | null };
  /** Set when a requester replied to a closed ticket (or after the reopen window): the new ticket. */
  followUp: { key: string } | null;
}

/** Options of {@link addComment}. */
export interface AddCommentOptions {
  /**
   * The caller has established that the (non-staff) principal takes part in the ticket, so the
   * requester read check ({@link assertCanRead}) is skipped: inbound e-mail from the ticket's
   * requester (also before they confirmed a web-form ticket) or from a watcher (CC).
   */
  participant?: boolean;
  /** "Now" for the SLA clock; defaults to lib/sla/now.ts slaNow. */
  now?: Date;
  /**
   * Field changes to apply with the comment (agents; a macro's staged actions), in the same
   * transaction through {@link updateTicket}. `input.status`/`input.waitingReason` win over
   * the status and waiting reason given here.
   */
  changes?: Omit<UpdateTicketInput, "resolution" | "needsReview">;
}

/** The field changes of a comment: its "send and set status" plus `opts.changes`; null when there are none. */
function changesOf(input: CreateCommentInput, extra: AddCommentOptions["changes"]): UpdateTicketInput | null {
  const out: UpdateTicketInput = { ...extra };
  if (input.status !== undefined) {
    out.status = input.status;
    delete out.waitingReason;
  }
  if (input.waitingReason !== undefined) out.waitingReason = input.waitingReason;
  for (const k of Object.keys(out) as (keyof UpdateTicketInput)[]) if (out[k] === undefined) delete out[k];
  return Object.keys(out).length ? out : null;
}

/**
 * Add a public reply or an internal note, in one transaction with the ticket locked. The
 * status follows the lifecycle's reply rules ({@link replyEffect}) through
 * {@link transitionTicket}; this function never sets a status itself:
 * - the first public reply by an agent sets `first_response_at` (first response time) and
 *   moves a `new` ticket to `open`;
 * - a requester's reply reopens a `waiting` ticket, and a `resolved` one within
 *   REOPEN_WINDOW_DAYS (default 7);
 * - a requester's reply to a `closed` ticket, or to one resolved longer ago, files a follow-up
 *   ticket (the reply is its description, linked by `followUpOf`), and the old ticket records
 *   `ticket.follow_up_created`.
 * Writes `comment.added` to the audit trail and as a domain event. A public comment moves the
 * SLA clock (lib/sla/clock-service.ts): an agent's meets the first and next response, a
 * requester's starts a next-response cycle.
 *
 * With `input.status` (and `waitingReason`) or `opts.changes` (agents only), the ticket's
 * fields then change through {@link updateTicket} in the same transaction ("send and set status
 * to …", Zendesk's "Submit as"): if the change is refused, nothing is stored. A resolution is
 * not required and is never taken from the reply (a reply is written to one requester; the
 * resolution is shown to others for deflection): agents set it in Properties.
 *
 * @throws ApiError 404 unknown/invisible ticket; 403 internal note, status or field change by a
 *   requester; 409 an agent's comment on a closed ticket or a refused status transition; 422 a
 *   change updateTicket refuses (waitingReason without waiting, unknown team, inactive assignee).
 */
export async function addComment(
  db: DbOrTx,
  key: string,
  input: CreateCommentInput,
  principal: Principal,
  opts: AddCommentOptions = {},
): Promise<AddCommentResult> {
  const changes = changesOf(input, opts.changes);
  if (!changes) return addCommentOnly(db, key, input, principal, opts);
  // "Send and set status" / a macro's field changes: the comment and the changes commit
  // together or not at all (a refused transition drops the comment). The comment goes first,
  // so the read check answers 404 before updateTicket's staff check answers 403.
  return db.transaction(async (tx) => {
    const r = await addCommentOnly(tx, key, input, principal, opts);
    const t = await updateTicket(tx, key, changes, principal, { now: opts.now });
    return { ...r, ticket: { key: t.key, status: t.status, firstResponseAt: t.firstResponseAt } };
  });
}

/** {@link addComment} without field changes. */
async function addCommentOnly(
  db: DbOrTx,
  key: string,
  input: CreateCommentInput,
  principal: Principal,
  opts: AddCommentOptions,
): Promise<AddCommentResult> {
  const staff = isStaff(principal);
  if (input.internal && !staff) throw new ApiError("forbidden", "Only agents can add internal notes");
  const actor = actorOf(principal);
  const eventActor = { type: actor.actorType, id: actor.actorId, label: actor.actorLabel };

  const inPlace = await db.transaction(async (tx) => {
    const row = await findTicketRow(tx, key, { forUpdate: true });
    if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
    if (!opts.participant) assertCanRead(principal, row);
    const effect = replyEffect(row, { byRequester: !staff, internal: input.internal }, new Date(), env().REOPEN_WINDOW_DAYS);
    if (effect.kind === "refuse") {
      throw new ApiError("invalid_transition", `${key} is closed; open a new ticket instead`, { status: row.status });
    }
    if (effect.kind === "follow_up") return { followUp: true as const, row };

    const [c] = await tx
      .insert(ticketComments)
      .values({
        ticketId: row.id,
        authorId: principal.userId,
        authorLabel: principal.label,
        authorRole: principal.role,
        body: input.body,
        internal: input.internal,
      })
      .returning();
    if (input.attachmentIds?.length) await linkAttachments(tx, principal, input.attachmentIds, { ticketId: row.id, commentId: Number(c.id) });
    const firstResponse = staff && !input.internal && !row.firstResponseAt;
    const [u] = await tx
      .update(tickets)
      .set({ updatedAt: sql`now()`, ...(firstResponse ? { firstResponseAt: sql`now()` } : {}) } as never)
      .where(eq(tickets.id, row.id))
      .returning({ firstResponseAt: tickets.firstResponseAt });
    await tx.insert(auditEvents).values({
      ticketId: row.id,
      entityType: "comment",
      entityId: String(c.id),
      ...actor,
      action: input.internal ? "comment.internal_note_added" : "comment.reply_added",
      before: null,
      after: { commentId: Number(c.id), internal: input.internal, length: input.body.length },
    });
    await emitEvents(tx, [
      {
        type: "comment.added",
        ticketId: row.id,
        actor: eventActor,
        payload: { key: row.key, commentId: Number(c.id), internal: input.internal, authorRole: principal.role, firstResponse },
      },
    ]);
    const status =
      effect.kind === "transition"
        ? (await transitionTicket(tx, row, { to: effect.to, cause: effect.cause, deferSla: true }, actor)).to
        : row.status;
    // SLA: a public agent reply meets the first/next response; a requester's message starts a next-response cycle.
    if (!input.internal) {
      const now = opts.now ?? (await slaNow(tx));
      await (staff ? recordAgentReply(tx, row.id, now) : recordRequesterMessage(tx, row.id, now));
    }
    return {
      followUp: false as const,
      result: {
        comment: {
          id: Number(c.id),
          author: c.authorLabel,
          authorRole: c.authorRole,
          body: c.body,
          internal: c.internal,
          createdAt: new Date(c.createdAt).toISOString(),
        },
        ticket: { key: row.key, status, firstResponseAt: u.firstResponseAt ? new Date(u.firstResponseAt).toISOString() : null },
        followUp: null,
      } satisfies AddCommentResult,
    };
  });
  if (!inPlace.followUp) return inPlace.result;

  // Follow-up: triage and file the new ticket (outside the old ticket's lock: triage may call
  // an LLM), then record the link on the old ticket. The link itself lives on the new row.
  const old = inPlace.row;
  const { ticket } = await createTicket(
    db,
    { title: followUpTitle(old.title), description: input.body, email: old.requesterEmail, category: old.categorySlug, attachmentIds: input.attachmentIds },
    { principal, defaultSource: old.source, followUpOfId: old.id },
  );
  await db.transaction(async (tx) => {
    await tx.insert(auditEvents).values({
      ticketId: old.id,
      entityType: "ticket",
      entityId: old.key,
      ...actor,
      action: "ticket.follow_up_created",
      before: null,
      after: { followUp: ticket.key },
    });
    await emitEvents(tx, [
      { type: "ticket.follow_up_created", ticketId: old.id, actor: eventActor, payload: { key: old.key, followUp: ticket.key } },
    ]);
  });
  return {
    comment: null,
    ticket: { key: old.key, status: old.status, firstResponseAt: old.firstResponseAt ? new Date(old.firstResponseAt).toISOString() : null },
    followUp: { key: ticket.key },
  };
}
