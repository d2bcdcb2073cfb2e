import "server-only";
import { and, asc, desc, eq, gt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ticketComments, uploadFindings, uploads } from "@/db/schema";
import { isStaff, type Principal } from "@/lib/auth/principal";
import type { Finding } from "@/lib/files/types";
import { loadVisibleUpload, ownerOf } from "./access";
import { toUploadDTO } from "./dto";
import type { FindingsQuery, UploadDTO } from "./schemas";

/** One upload the principal may see. @throws ApiError 404 */
export async function getUpload(db: DbOrTx, principal: Principal, id: string): Promise<UploadDTO> {
  return toUploadDTO(await loadVisibleUpload(db, principal, id));
}

/**
 * Recent uploads, newest first: the caller's own; agents and admins see every sheet upload
 * (attachments are listed on their tickets instead).
 */
export async function listUploads(db: DbOrTx, principal: Principal, q: { kind?: UploadDTO["kind"]; limit: number }): Promise<{ items: UploadDTO[] }> {
  const o = ownerOf(principal);
  const mine = o.ownerUserId ? eq(uploads.ownerUserId, o.ownerUserId) : eq(uploads.ownerApiKeyId, o.ownerApiKeyId!);
  const scope = isStaff(principal) ? or(mine, sql`${uploads.kind} <> 'attachment'`) : mine;
  const rowsOut = await db
    .select()
    .from(uploads)
    .where(and(scope, q.kind ? eq(uploads.kind, q.kind) : undefined))
    .orderBy(desc(uploads.createdAt), desc(uploads.id))
    .limit(q.limit);
  return { items: rowsOut.map(toUploadDTO) };
}

/** A page of findings in file order, optionally of one code or severity. `nextCursor` is the last seq, or null at the end. */
export async function listFindings(
  db: DbOrTx,
  principal: Principal,
  id: string,
  q: FindingsQuery,
): Promise<{ items: (Finding & { seq: number })[]; nextCursor: number | null; total: number }> {
  await loadVisibleUpload(db, principal, id);
  const where = and(
    eq(uploadFindings.uploadId, id),
    q.code ? eq(uploadFindings.code, q.code) : undefined,
    q.severity ? eq(uploadFindings.severity, q.severity) : undefined,
  );
  const page = await db
    .select()
    .from(uploadFindings)
    .where(and(where, q.cursor !== undefined ? gt(uploadFindings.seq, q.cursor) : undefined))
    .orderBy(asc(uploadFindings.seq))
    .limit(q.limit + 1);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(uploadFindings).where(where);
  const more = page.length > q.limit;
  const items = page.slice(0, q.limit).map((f) => ({
    seq: f.seq,
    sheet: f.sheet,
    row: f.row,
    column: f.column,
    code: f.code,
    severity: f.severity as Finding["severity"],
    message: f.message,
    value: f.value,
  }));
  return { items, nextCursor: more ? items[items.length - 1].seq : null, total: Number(n) };
}

/** Every finding of an upload in file order (for reports). */
export async function allFindings(db: DbOrTx, id: string): Promise<Finding[]> {
  const r = await db.select().from(uploadFindings).where(eq(uploadFindings.uploadId, id)).orderBy(asc(uploadFindings.seq));
  return r.map((f) => ({ sheet: f.sheet, row: f.row, column: f.column, code: f.code, severity: f.severity as Finding["severity"], message: f.message, value: f.value }));
}

/** An attachment as a ticket page lists it. */
export interface AttachmentDTO {
  id: string;
  filename: string;
  size: number;
  contentType: string;
  /** Shown inline as a preview. */
  image: boolean;
  commentId: number | null;
  owner: string;
  createdAt: string;
}

/**
 * Attachments of a ticket (done uploads of kind attachment), oldest first. Requesters do not
 * see those sent with internal notes.
 */
export async function listTicketAttachments(db: DbOrTx, principal: Principal | null, ticketId: number): Promise<AttachmentDTO[]> {
  const r = await db
    .select({ u: uploads, internal: ticketComments.internal })
    .from(uploads)
    .leftJoin(ticketComments, eq(ticketComments.id, uploads.commentId))
    .where(and(eq(uploads.ticketId, ticketId), eq(uploads.kind, "attachment"), eq(uploads.status, "done")))
    .orderBy(asc(uploads.createdAt));
  return r
    .filter((x) => isStaff(principal) || !x.internal)
    .map(({ u }) => ({
      id: u.id,
      filename: u.filename,
      size: u.sizeBytes,
      contentType: u.sniffedType ?? u.contentType,
      image: /^image\/(png|jpeg|gif|webp)$/.test(u.sniffedType ?? ""),
      commentId: u.commentId,
      owner: u.ownerLabel,
      createdAt: u.createdAt.toISOString(),
    }));
}

