import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditEvents, uploads } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { actorOf } from "@/lib/tickets/access";
import { isOwner } from "./access";

/** Most attachments on one ticket or reply. */
export const MAX_ATTACHMENTS = 10;

/**
 * Link checked attachments (status `done`, kind `attachment`, uploaded by the caller, not yet on
 * another ticket) to a ticket and optionally the reply they were sent with, in the caller's
 * transaction, with an audit event each.
 * @throws ApiError 422 naming the ids that cannot be attached (unknown, not the caller's, not checked, or on another ticket)
 */
export async function linkAttachments(tx: Tx, principal: Principal, ids: readonly string[], target: { ticketId: number; commentId?: number | null }): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  if (unique.length > MAX_ATTACHMENTS) throw new ApiError("unprocessable", `At most ${MAX_ATTACHMENTS} attachments at a time`, { field: "attachmentIds" });
  const found = await tx.select().from(uploads).where(inArray(uploads.id, unique)).for("update");
  const bad = unique.filter((id) => {
    const u = found.find((f) => f.id === id);
    return !u || u.kind !== "attachment" || u.status !== "done" || !isOwner(principal, u) || (u.ticketId !== null && u.ticketId !== target.ticketId) || u.commentId !== null;
  });
  if (bad.length > 0) {
    throw new ApiError("unprocessable", "Some attachments cannot be added: upload them first and wait until they are checked", { field: "attachmentIds", ids: bad });
  }
  await tx
    .update(uploads)
    .set({ ticketId: target.ticketId, commentId: target.commentId ?? null })
    .where(and(inArray(uploads.id, unique), eq(uploads.kind, "attachment")));
  const actor = actorOf(principal);
  await tx.insert(auditEvents).values(
    found.map((u) => ({
      ticketId: target.ticketId,
      entityType: "upload",
      entityId: u.id,
      ...actor,
      action: "attachment.linked",
      before: null,
      after: { filename: u.filename, size: u.sizeBytes, commentId: target.commentId ?? null },
    })),
  );
}
