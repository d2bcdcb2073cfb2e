import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { presignGet } from "@/lib/files/storage/s3";
import { loadVisibleUpload } from "./access";

/** Image types shown inline; anything else is always served as a download. */
const INLINE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * A presigned GET (5 min) of an upload the principal may see. `inline` only applies to images
 * whose CONTENT was recognised as an image; other files are served as attachments so a
 * browser never renders uploaded HTML or scripts from our storage origin.
 * @throws ApiError 404 (not visible), 409 (not checked yet, or failed its check)
 */
export async function downloadUrl(db: DbOrTx, principal: Principal, id: string, opts: { inline?: boolean } = {}): Promise<string> {
  const u = await loadVisibleUpload(db, principal, id);
  if (u.status === "pending" || u.status === "checking" || (u.status === "failed" && !u.sniffedType)) {
    throw new ApiError("invalid_transition", `Upload ${id} has no checked file to download (status ${u.status})`, { status: u.status });
  }
  const inline = !!opts.inline && INLINE_TYPES.has(u.sniffedType ?? "");
  const signed = await presignGet(u.storageKey, { filename: u.filename, inline, contentType: inline ? u.sniffedType! : "application/octet-stream" });
  return signed.url;
}
