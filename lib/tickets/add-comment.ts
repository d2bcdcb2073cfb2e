import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, ticketComments, tickets } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { actorOf, assertCanRead } from "./access";
import type { CommentDTO } from "./get-ticket";
import { findTicketRow } from "./queries";
import type { CreateCommentInput } from "./schemas";

/**
 * Add a public reply or an internal note, in one transaction with the ticket locked.
 * - The first public reply by an agent sets `first_response_at` (first response time) and
 *   moves a `new` ticket to `open`.
 * - A requester's reply on a `waiting` ticket moves it back to `open`.
 * - Requesters may only reply publicly on their own tickets; nobody comments on a closed ticket.
 * Writes `comment.added` (and any status change) to the audit trail.
 * @throws ApiError 404 unknown/invisible ticket; 403 internal note by a requester; 409 closed ticket.
 */
export async function addComment(
  db: Db,
  key: string,
  input: CreateCommentInput,
  principal: Principal,
): Promise<{ comment: CommentDTO; ticket: { key: string; status: string; firstResponseAt: string | null } }> {
  const staff = isStaff(principal);
  if (input.internal && !staff) throw new ApiError("forbidden", "Only agents can add internal notes");

  return db.transaction(async (tx) => {
    const row = await findTicketRow(tx, key, { forUpdate: true });
    if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
    assertCanRead(principal, row);
    if (row.status === "closed") {
      throw new ApiError("invalid_transition", `${key} is closed; open a new ticket instead`, { status: row.status });
    }

    const actor = actorOf(principal);
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

    const set: Record<string, unknown> = {};
    let newStatus = row.status;
    if (staff && !input.internal && !row.firstResponseAt) {
      set.firstResponseAt = sql`now()`;
      if (row.status === "new") newStatus = "open";
    }
    if (!staff && row.status === "waiting") newStatus = "open";
    if (newStatus !== row.status) set.status = newStatus;

    const audit = [
      {
        ticketId: row.id,
        entityType: "comment",
        entityId: String(c.id),
        ...actor,
        action: input.internal ? "comment.internal_note_added" : "comment.reply_added",
        before: null,
        after: { commentId: Number(c.id), internal: input.internal, length: input.body.length },
      },
    ];
    if (newStatus !== row.status) {
      audit.push({
        ticketId: row.id,
        entityType: "ticket",
        entityId: row.key,
        ...actor,
        action: "ticket.status_changed",
        before: { status: row.status } as never,
        after: { status: newStatus } as never,
      });
    }
    let firstResponseAt: string | null = row.firstResponseAt ? new Date(row.firstResponseAt).toISOString() : null;
    if (Object.keys(set).length) {
      const [u] = await tx
        .update(tickets)
        .set({ ...set, updatedAt: sql`now()` } as never)
        .where(eq(tickets.id, row.id))
        .returning({ firstResponseAt: tickets.firstResponseAt });
      firstResponseAt = u.firstResponseAt ? new Date(u.firstResponseAt).toISOString() : null;
    } else {
      await tx.update(tickets).set({ updatedAt: sql`now()` as never }).where(eq(tickets.id, row.id));
    }
    await tx.insert(auditEvents).values(audit);

    return {
      comment: {
        id: Number(c.id),
        author: c.authorLabel,
        authorRole: c.authorRole,
        body: c.body,
        internal: c.internal,
        createdAt: new Date(c.createdAt).toISOString(),
      },
      ticket: { key: row.key, status: newStatus, firstResponseAt },
    };
  });
}
