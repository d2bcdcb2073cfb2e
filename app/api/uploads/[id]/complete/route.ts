import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { completeUpload } from "@/lib/files/uploads/complete-upload";

export const dynamic = "force-dynamic";

/**
 * POST /api/uploads/{id}/complete — after the PUT: checks the stored object (HEAD for size and type,
 * then magic bytes). Attachments → 200 {upload} (status done); sheets → 202 {upload} (status
 * processing; poll GET /api/uploads/{id}).
 * Errors: 401, 403 (not the uploader), 404, 409 (already completed), 413, 415 (content not accepted
 * or not what was declared), 422 (nothing uploaded yet, or size mismatch).
 */
export const POST = route<{ id: string }>({ auth: "signed-in", scope: "files:write" }, async ({ params, principal }) => {
  const r = await completeUpload(await getDb(), principal!, params.id);
  return json({ upload: r.upload }, r.status);
});
