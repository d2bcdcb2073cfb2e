import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, uploads } from "@/db/schema";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { deleteObject } from "@/lib/files/storage/s3";
import { actorOf } from "@/lib/tickets/access";
import { isOwner, loadVisibleUpload } from "./access";

/**
 * Delete an upload its owner (or an admin) no longer wants: an attachment not (yet) on a
 * ticket — removed from the form before sending — or any upload still `pending` or `failed`.
 * The row goes with an audit event in one transaction, then the object is deleted from S3 (a
 * failure there leaves an orphan object, logged by the caller's error handling, never a row
 * pointing at nothing). Processed sheets and attached files stay: they are records.
 * @throws ApiError 404 (not visible), 403 (not the owner), 409 (attached, checking or processed)
 */
export async function deleteUpload(db: Db, principal: Principal, id: string): Promise<void> {
  const key = await db.transaction(async (tx) => {
    const u = await loadVisibleUpload(tx, principal, id, { forUpdate: true });
    if (!isOwner(principal, u) && !hasRole(principal, "admin")) throw new ApiError("forbidden", "Only the uploader can delete an upload");
    const unlinkedAttachment = u.kind === "attachment" && u.ticketId === null && u.status === "done";
    if (!unlinkedAttachment && u.status !== "pending" && u.status !== "failed") {
      throw new ApiError("invalid_transition", u.ticketId !== null ? "This file is attached to a ticket and stays with it" : `Upload ${id} is ${u.status} and cannot be deleted`, {
        status: u.status,
      });
    }
    await tx.delete(uploads).where(eq(uploads.id, id));
    await tx.insert(auditEvents).values({
      ticketId: null,
      entityType: "upload",
      entityId: id,
      ...actorOf(principal),
      action: "upload.deleted",
      before: { filename: u.filename, kind: u.kind, status: u.status },
      after: null,
    });
    return u.storageKey;
  });
  await deleteObject(key);
}
