import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, uploads } from "@/db/schema";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { ApiError, type ErrorCode } from "@/lib/http/errors";
import { emitEvents } from "@/lib/jobs/events";
import { nudgeDispatcher } from "@/lib/jobs/worker";
import { logger } from "@/lib/observability/logger";
import { deleteObject, headObject, readObject } from "@/lib/files/storage/s3";
import { formatBytes, isAllowedFor, mimeMatches, sniffContent, SNIFF_HEAD_BYTES } from "@/lib/files/sheets";
import { actorOf } from "@/lib/tickets/access";
import { isOwner, loadVisibleUpload, type UploadRow } from "./access";
import { toUploadDTO } from "./dto";
import type { UploadDTO } from "./schemas";


/** The outcome of the content check: 200 for an attachment (done), 202 for a sheet (queued). */
export interface CompletedUpload {
  status: 200 | 202;
  upload: UploadDTO;
}

/** A store error with no S3 answer (connection refused or reset, timeout) or a 5xx answer. */
function storeUnreachable(err: unknown): boolean {
  const e = err as { $metadata?: { httpStatusCode?: number }; code?: unknown } | null;
  if (e?.$metadata) return e.$metadata.httpStatusCode === undefined || e.$metadata.httpStatusCode >= 500;
  return typeof e?.code === "string" && /^E[A-Z]+$/.test(e.code); // ECONNREFUSED, ECONNRESET, ETIMEDOUT…
}

class CheckFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * The browser says the PUT finished: check the stored object before anything reads it, then
 * attach it (attachments: 200, status `done`) or queue its processing job (sheets: 202, status
 * `processing`, event `upload.completed` in the same transaction).
 *
 * The check, in order: the object exists (HEAD), its size in bytes and Content-Type equal the
 * signed ones (S3 and the local server refuse a PUT that differs, but a store that does not
 * check, or a writer with other credentials, could put anything there: this is the guard that
 * counts), the size is within UPLOAD_MAX_BYTES, and its content — the first 64 KB, or the
 * whole file for a ZIP, whose entry list (xlsx or plain zip) is at its end — shows a type
 * accepted for the kind that agrees with the declared one (content, not extension).
 * A failed check marks the upload `failed` with the reason and deletes the object.
 *
 * Only the uploader (or an admin) may complete, once: a second call is a 409.
 * @throws ApiError 404 (not visible), 409 invalid_transition (not pending), 413, 415,
 *   422 (object missing: the upload stays pending so the PUT can be retried; size or type mismatch)
 */
export async function completeUpload(db: Db, principal: Principal, id: string): Promise<CompletedUpload> {
  const row = await db.transaction(async (tx) => {
    const r = await loadVisibleUpload(tx, principal, id, { forUpdate: true });
    if (!isOwner(principal, r) && !hasRole(principal, "admin")) throw new ApiError("forbidden", "Only the uploader can complete an upload");
    if (r.status !== "pending") {
      throw new ApiError("invalid_transition", `Upload ${id} is already ${r.status}`, { status: r.status });
    }
    await tx.update(uploads).set({ status: "checking", completedAt: new Date() }).where(eq(uploads.id, id));
    return r;
  });

  let sniffed: string;
  try {
    sniffed = await checkObject(row);
  } catch (err) {
    if (err instanceof CheckFailure && err.reason === "missing") {
      await db.update(uploads).set({ status: "pending", completedAt: null }).where(and(eq(uploads.id, id), eq(uploads.status, "checking")));
      throw new ApiError(err.code, err.message, err.details);
    }
    if (!(err instanceof CheckFailure) && storeUnreachable(err)) {
      // The store is down (no answer, or a 5xx): the file may be fine. Back to pending, so the
      // same upload can be confirmed again once it returns.
      await db.update(uploads).set({ status: "pending", completedAt: null }).where(and(eq(uploads.id, id), eq(uploads.status, "checking")));
      logger.warn({ err, uploadId: id }, "upload check: the file store is unreachable");
      throw new ApiError("unavailable", "The file store is unavailable; confirm the upload again in a few seconds", { retryAfterS: 5 }, { "Retry-After": "5" });
    }
    const failure = err instanceof CheckFailure ? err : new CheckFailure("unprocessable", "unreadable", "The stored file could not be read");
    await db
      .update(uploads)
      .set({ status: "failed", error: { code: failure.reason, message: failure.message, details: failure.details } })
      .where(eq(uploads.id, id));
    await deleteObject(row.storageKey).catch(() => undefined);
    if (!(err instanceof CheckFailure)) throw err;
    throw new ApiError(failure.code, failure.message, { reason: failure.reason, ...(failure.details as object | undefined) });
  }

  const isSheet = row.kind !== "attachment";
  const updated = await db.transaction(async (tx) => {
    const [u] = await tx
      .update(uploads)
      .set(isSheet ? { status: "processing", progress: 0, sniffedType: sniffed } : { status: "done", progress: 1, sniffedType: sniffed, processedAt: new Date() })
      .where(eq(uploads.id, id))
      .returning();
    await tx.insert(auditEvents).values({
      ticketId: u.ticketId,
      entityType: "upload",
      entityId: id,
      ...actorOf(principal),
      action: isSheet ? "upload.queued" : "attachment.added",
      before: null,
      after: { filename: u.filename, kind: u.kind, size: u.sizeBytes, type: sniffed },
    });
    if (isSheet) {
      const a = actorOf(principal);
      await emitEvents(tx, [
        { type: "upload.completed", ticketId: null, actor: { type: a.actorType, id: a.actorId, label: a.actorLabel }, payload: { uploadId: id, kind: u.kind } },
      ]);
    }
    return u;
  });
  if (isSheet) nudgeDispatcher();
  return { status: isSheet ? 202 : 200, upload: toUploadDTO(updated) };
}

/** HEAD + magic bytes; returns the sniffed media type. @throws CheckFailure */
async function checkObject(row: UploadRow): Promise<string> {
  const head = await headObject(row.storageKey);
  if (!head) {
    throw new CheckFailure("unprocessable", "missing", "Nothing was uploaded yet: PUT the file to the presigned URL first", { expiresAt: row.uploadExpiresAt.toISOString() });
  }
  const max = env().UPLOAD_MAX_BYTES;
  if (head.sizeBytes > max) {
    throw new CheckFailure("payload_too_large", "too_large", `The stored file is ${formatBytes(head.sizeBytes)}; the limit is ${formatBytes(max)}`, { size: head.sizeBytes, maxBytes: max });
  }
  if (head.sizeBytes !== row.sizeBytes) {
    throw new CheckFailure("unprocessable", "size_mismatch", `The stored file has ${head.sizeBytes} bytes, not the ${row.sizeBytes} announced`, {
      stored: head.sizeBytes,
      declared: row.sizeBytes,
    });
  }
  const storedType = (head.contentType ?? "").split(";")[0].trim().toLowerCase();
  if (storedType !== row.contentType) {
    throw new CheckFailure("unsupported_media_type", "type_mismatch", `The file was stored as ${storedType || "no type"}, not the ${row.contentType} announced`, {
      stored: storedType,
      declared: row.contentType,
    });
  }
  let bytes = await readObject(row.storageKey, { start: 0, end: Math.min(SNIFF_HEAD_BYTES, head.sizeBytes) - 1 });
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
  if (isZip && head.sizeBytes > bytes.byteLength) bytes = await readObject(row.storageKey);
  const sniffed = await sniffContent(bytes, { filename: row.filename });
  if (!sniffed || !isAllowedFor(row.kind as Parameters<typeof isAllowedFor>[0], sniffed)) {
    const what = sniffed ? sniffed.mime : "an unrecognised format";
    throw new CheckFailure(
      "unsupported_media_type",
      "content_not_allowed",
      row.kind === "attachment" ? `The file's content is ${what}, which cannot be attached` : `The file's content is ${what}, not an .xlsx, .xls or .csv sheet`,
      { sniffed: sniffed?.mime ?? null },
    );
  }
  if (!mimeMatches(row.contentType, sniffed)) {
    throw new CheckFailure("unsupported_media_type", "content_mismatch", `The file was announced as ${row.contentType} but its content is ${sniffed.mime}`, {
      sniffed: sniffed.mime,
      declared: row.contentType,
    });
  }
  return sniffed.mime;
}
