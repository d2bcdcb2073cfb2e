import "server-only";
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, ticketComments, tickets, uploads, type Status } from "@/db/schema";
import { COMMENT_MAX } from "@/db/schema/tickets";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { emitEvents } from "@/lib/jobs/events";
import { actorOf, assertStaff } from "./access";
import { addComment } from "./add-comment";
import type { TicketRow } from "./dto";
import { findTicketRow, ticketIdFromKey } from "./queries";
import { updateTicket } from "./update-ticket";
import { addWatchers } from "./watchers";

export { MergeBodySchema, type MergeBody } from "./links-schema";

/** What a merge did. */
export interface MergeResult {
  /** The duplicate, now closed with `mergedInto` set. */
  merged: string;
  /** The primary that received its comments. */
  into: string;
  /** Comments moved from the duplicate to the primary (authors and dates kept). */
  movedComments: number;
  /** Attachments of those comments that moved with them. */
  movedAttachments: number;
  /** The duplicate's requester, when it differs from the primary's and now watches the primary. */
  watcherAdded: string | null;
}

/**
 * Merge a duplicate ticket into its primary (agents), in ONE transaction with both tickets
 * locked (smaller id first, so two opposite merges cannot deadlock):
 * 1. the duplicate's comments move to the primary, keeping authors and dates (the primary's
 *    thread is ordered by date, so they interleave); attachments sent with those comments move
 *    with them; the primary's `last_requester_reply_at` takes the moved requester replies;
 * 2. the primary gets an internal note "Merged T-x into this ticket." with the duplicate's
 *    title and description;
 * 3. the duplicate's requester, if different from the primary's, becomes a watcher (CC) of the
 *    primary, so they get its public replies by mail;
 * 4. the duplicate gets `merged_into_id`, a public reply naming the primary (mailed to its
 *    requester as every agent reply is, lib/mail/notify.ts) and is closed through the lifecycle
 *    (updateTicket, cause `agent`);
 * 5. audit `ticket.merged` on the duplicate and `ticket.merge_received` on the primary, and the
 *    domain event `ticket.merged` `{key, into, movedComments, movedAttachments}` (on the duplicate).
 * Cycles cannot arise: a merged ticket is closed and neither side may be closed or merged.
 *
 * @throws ApiError 403 non-agents; 404 unknown ticket (either; the target with details.field
 *   `into`); 422 merging a ticket into itself; 409 conflict when either ticket is closed or
 *   already merged.
 */
export async function mergeTicket(db: DbOrTx, key: string, intoKey: string, principal: Principal): Promise<MergeResult> {
  assertStaff(principal, "merge tickets");
  return db.transaction(async (tx) => {
    const { dup, primary } = await lockPair(tx, key, intoKey);
    for (const [t, role] of [[dup, "duplicate"], [primary, "target"]] as const) {
      if (t.mergedIntoId) throw new ApiError("conflict", `${t.key} was already merged into T-${Number(t.mergedIntoId)}`, { field: role === "target" ? "into" : undefined });
      if (t.status === "closed") throw new ApiError("conflict", `${t.key} is closed; only open tickets can be merged`, { field: role === "target" ? "into" : undefined, status: t.status });
    }

    const moved = await tx.update(ticketComments).set({ ticketId: primary.id }).where(eq(ticketComments.ticketId, dup.id)).returning({ id: ticketComments.id });
    const movedIds = moved.map((c) => Number(c.id));
    const movedUploads = movedIds.length
      ? await tx
          .update(uploads)
          .set({ ticketId: primary.id })
          .where(and(eq(uploads.ticketId, dup.id), isNotNull(uploads.commentId), inArray(uploads.commentId, movedIds)))
          .returning({ id: uploads.id })
      : [];
    if (movedIds.length && dup.lastRequesterReplyAt) {
      const at = new Date(dup.lastRequesterReplyAt).toISOString();
      await tx
        .update(tickets)
        .set({ lastRequesterReplyAt: sql`greatest(${tickets.lastRequesterReplyAt}, ${at}::timestamptz)` as never })
        .where(eq(tickets.id, primary.id));
    }

    await addComment(tx, primary.key, { body: primaryNote(dup), internal: true }, principal);
    const watcherAdded = (await addWatchers(tx, primary.id, [dup.requesterEmail], principal.userId))[0] ?? null;

    await tx.update(tickets).set({ mergedIntoId: primary.id }).where(eq(tickets.id, dup.id));
    await addComment(tx, dup.key, { body: duplicateReply(primary), internal: false }, principal);
    await updateTicket(tx, dup.key, { status: "closed" }, principal);

    const actor = actorOf(principal);
    const payload = { key: dup.key, into: primary.key, movedComments: movedIds.length, movedAttachments: movedUploads.length };
    await tx.insert(auditEvents).values([
      { ticketId: dup.id, entityType: "ticket", entityId: dup.key, ...actor, action: "ticket.merged", before: null, after: { mergedInto: primary.key, movedComments: movedIds.length, movedAttachments: movedUploads.length } },
      { ticketId: primary.id, entityType: "ticket", entityId: primary.key, ...actor, action: "ticket.merge_received", before: null, after: { mergedFrom: dup.key, movedComments: movedIds.length, watcherAdded } },
    ]);
    await emitEvents(tx, [{ type: "ticket.merged", ticketId: dup.id, actor: { type: actor.actorType, id: actor.actorId, label: actor.actorLabel }, payload }]);
    return { merged: dup.key, into: primary.key, movedComments: movedIds.length, movedAttachments: movedUploads.length, watcherAdded };
  });
}

type MergeRow = TicketRow & { mergedIntoId: number | null; lastRequesterReplyAt: Date | string | null };

/** Lock the duplicate and the primary, smaller id first; 404 / 422 as documented on {@link mergeTicket}. */
async function lockPair(tx: DbOrTx, key: string, intoKey: string): Promise<{ dup: MergeRow; primary: MergeRow }> {
  if (key === intoKey) throw new ApiError("unprocessable", "A ticket cannot be merged into itself", { field: "into" });
  const ids = [ticketIdFromKey(key), ticketIdFromKey(intoKey)];
  const locked = new Map<string, MergeRow>();
  // Lock in id order, so two opposite merges cannot deadlock (a malformed key answers 404 below).
  for (const k of ids[0] !== null && ids[1] !== null && ids[1] < ids[0] ? [intoKey, key] : [key, intoKey]) {
    const row = await findTicketRow(tx, k, { forUpdate: true });
    if (!row) throw k === key ? new ApiError("not_found", `Ticket ${key} not found`) : new ApiError("not_found", `Ticket ${intoKey} not found`, { field: "into" });
    const [extra] = await tx.select({ mergedIntoId: tickets.mergedIntoId, lastRequesterReplyAt: tickets.lastRequesterReplyAt }).from(tickets).where(eq(tickets.id, row.id));
    locked.set(k, { ...row, mergedIntoId: extra.mergedIntoId === null ? null : Number(extra.mergedIntoId), lastRequesterReplyAt: extra.lastRequesterReplyAt });
  }
  return { dup: locked.get(key)!, primary: locked.get(intoKey)! };
}

/** The internal note on the primary: what was merged, with the duplicate's original request. */
function primaryNote(dup: TicketRow): string {
  const head = `Merged ${dup.key} into this ticket: "${dup.title}" from ${dup.requesterEmail}.\n\n`;
  return (head + dup.description).slice(0, COMMENT_MAX);
}

/**
 * The public reply on the duplicate, mailed to its requester. They either filed the primary
 * too or now watch it, so they get its public replies by e-mail.
 */
function duplicateReply(primary: TicketRow): string {
  return `This request duplicates ${primary.key} ("${primary.title}") and has been merged into it. We continue on ${primary.key}; you will get its updates by e-mail.`;
}

/** Merge relations of a ticket for its page: the primary it was merged into, and the tickets merged into it. */
export interface MergeInfo {
  into: { key: string; title: string; status: Status } | null;
  from: { key: string; title: string; status: Status }[];
}

/** Where a ticket (by numeric id) was merged to and which tickets were merged into it (oldest first). */
export async function mergeInfo(db: DbOrTx, ticketId: number): Promise<MergeInfo> {
  const cols = { key: tickets.key, title: tickets.title, status: tickets.status };
  const [self] = await db.select({ mergedIntoId: tickets.mergedIntoId }).from(tickets).where(eq(tickets.id, ticketId));
  const [into] = self?.mergedIntoId ? await db.select(cols).from(tickets).where(eq(tickets.id, Number(self.mergedIntoId))) : [];
  const from = await db.select(cols).from(tickets).where(eq(tickets.mergedIntoId, ticketId)).orderBy(asc(tickets.id));
  return { into: into ?? null, from };
}
