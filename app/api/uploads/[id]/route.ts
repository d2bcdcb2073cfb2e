import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getUpload } from "@/lib/files/uploads/queries";

export const dynamic = "force-dynamic";

/**
 * GET /api/uploads/{id} → 200 {id, kind, filename, size, status: pending|checking|processing|done|failed,
 * progress 0–1, error?: {code, message}, summary?, findingsCount, ticketKey?, insights?}. For a serial
 * sheet `summary` is {rows, valid, findings: {code: count}}, as `npm run serials` prints.
 * Errors: 401, 404 (unknown or not visible).
 */
export const GET = route<{ id: string }>({ auth: "signed-in" }, async ({ params, principal }) => getUpload(await getDb(), principal!, params.id));
