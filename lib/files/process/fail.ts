import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { uploads } from "@/db/schema";

/**
 * A file that cannot be processed, for a reason the user can act on (bad format, missing
 * columns, limits): the job ends (no retry) and the upload shows the message.
 */
export class UploadProcessingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "UploadProcessingError";
  }
}

/** Mark a processing upload failed with `{code, message, details}` (shown on the page and by GET /api/uploads/{id}). */
export async function markFailed(db: DbOrTx, uploadId: string, error: { code: string; message: string; details?: unknown }): Promise<void> {
  await db
    .update(uploads)
    .set({ status: "failed", error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) }, processedAt: new Date() })
    .where(and(eq(uploads.id, uploadId), eq(uploads.status, "processing")));
}
