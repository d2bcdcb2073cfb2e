import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { createUpload } from "@/lib/files/uploads/create-upload";
import { listUploads } from "@/lib/files/uploads/queries";
import { CreateUploadSchema, ListUploadsQuerySchema } from "@/lib/files/uploads/schemas";

export const dynamic = "force-dynamic";

/** Presigned URLs handed out per caller: 120 a minute. */
const UPLOAD_LIMIT = { name: "uploads", limit: 120, windowMs: 60_000 };

/**
 * POST /api/uploads — body {filename, contentType, size (bytes), kind: attachment|serials|compliance|employees,
 * ticketKey?, ruleSetId? (compliance), dataset?}. → 201 {id, url, method: "PUT", headers, expiresAt}: PUT the
 * file's bytes to `url` with `headers` (bound to the content type and exact size, valid 15 min), then
 * POST /api/uploads/{id}/complete.
 * Errors: 400, 401, 403 (kind needs agent/admin), 404 (ticket, rule set), 413 (over UPLOAD_MAX_BYTES),
 * 415 (content type not accepted for the kind), 422, 429.
 */
export const POST = route({ auth: "signed-in", scope: "files:write", body: CreateUploadSchema, rateLimit: UPLOAD_LIMIT }, async ({ body, principal }) =>
  json(await createUpload(await getDb(), principal!, body), 201),
);

/** GET /api/uploads?kind=&limit= — recent uploads, newest first (own; agents see every sheet). → 200 {items: Upload[]}. */
export const GET = route({ auth: "signed-in", scope: "tickets:read", query: ListUploadsQuerySchema }, async ({ query, principal }) =>
  listUploads(await getDb(), principal!, query),
);
