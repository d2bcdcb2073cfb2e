import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ticketComments, tickets, uploads } from "@/db/schema";
import { hasRole, isStaff, type Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { assertCanRead } from "@/lib/tickets/access";

export type UploadRow = typeof uploads.$inferSelect;

/** The principal's owner columns on an upload and its storage key prefix (`u/<owner id>/`). */
export function ownerOf(principal: Principal): { ownerUserId: string | null; ownerApiKeyId: string | null; ownerLabel: string; prefix: string } {
  const userId = principal.kind === "user" ? principal.id : principal.userId;
  const apiKeyId = principal.kind === "api_key" ? principal.id : null;
  return { ownerUserId: userId, ownerApiKeyId: apiKeyId, ownerLabel: principal.label, prefix: `u/${userId ?? `key-${apiKeyId}`}/` };
}

/** True when the principal uploaded it (the same user, or the same API key). */
export function isOwner(principal: Principal, row: UploadRow): boolean {
  const o = ownerOf(principal);
  return (o.ownerUserId !== null && o.ownerUserId === row.ownerUserId) || (o.ownerApiKeyId !== null && o.ownerApiKeyId === row.ownerApiKeyId);
}

/**
 * Load an upload the principal may see: its owner; agents and admins (every upload); a
 * requester also sees attachments of tickets they can read, except those on internal notes.
 * Anything else answers 404, so ids cannot be probed.
 * @throws ApiError 404 not_found
 */
export async function loadVisibleUpload(db: DbOrTx, principal: Principal, id: string, opts: { forUpdate?: boolean } = {}): Promise<UploadRow> {
  const notFound = new ApiError("not_found", `Upload ${id} not found`);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound;
  const q = db.select().from(uploads).where(eq(uploads.id, id));
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  if (!row) throw notFound;
  if (isOwner(principal, row) || isStaff(principal)) return row;
  if (row.kind === "attachment" && row.ticketId !== null && row.status === "done") {
    const [t] = await db
      .select({ key: tickets.key, requesterEmail: tickets.requesterEmail, requesterVerified: tickets.requesterVerified })
      .from(tickets)
      .where(eq(tickets.id, row.ticketId));
    if (t) {
      if (row.commentId !== null) {
        const [c] = await db.select({ internal: ticketComments.internal }).from(ticketComments).where(eq(ticketComments.id, row.commentId));
        if (c?.internal) throw notFound;
      }
      try {
        assertCanRead(principal, t);
        return row;
      } catch {
        throw notFound;
      }
    }
  }
  throw notFound;
}

/** Who may upload each kind: attachments anyone signed in; serial and compliance sheets agents; employee sheets admins. */
export function assertMayUpload(principal: Principal, kind: UploadRow["kind"]): void {
  if (kind === "attachment") return;
  const need = kind === "employees" ? "admin" : "agent";
  if (!hasRole(principal, need)) throw new ApiError("forbidden", `Uploading ${kind} sheets needs the ${need} role`);
}
