import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { deleteUpload } from "@/lib/files/uploads/delete-upload";
import { getUpload } from "@/lib/files/uploads/queries";

export const dynamic = "force-dynamic";

/**
 * GET /api/uploads/{id} → 200 {id, kind, filename, size, status: pending|checking|processing|done|failed,
 * progress 0–1, error?: {code, message}, summary?, findingsCount, ticketKey?, insights?}. For a serial
 * sheet `summary` is {rows, valid, findings: {code: count}}, as `npm run serials` prints.
 * Errors: 401, 404 (unknown or not visible).
 */
export const GET = route<{ id: string }>({ auth: "signed-in", scope: "tickets:read" }, async ({ params, principal }) => getUpload(await getDb(), principal!, params.id));

/**
 * DELETE /api/uploads/{id} — the uploader (or an admin) removes an attachment not on a ticket
 * (e.g. removed from the form before sending), or an upload still pending or failed. → 204.
 * Errors: 401, 403, 404, 409 (attached to a ticket, being checked, processing or processed).
 */
export const DELETE = route<{ id: string }>({ auth: "signed-in", scope: "files:write" }, async ({ params, principal }) => {
  await deleteUpload(await getDb(), principal!, params.id);
  return new Response(null, { status: 204 });
});
