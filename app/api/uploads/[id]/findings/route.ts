import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { listFindings } from "@/lib/files/uploads/queries";
import { FindingsQuerySchema } from "@/lib/files/uploads/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/uploads/{id}/findings?code=&severity=&limit=(1–1000, default 100)&cursor= — findings in file
 * order → 200 {items: [{seq, sheet, row, column, code, severity, message, value}], nextCursor, total}.
 * Errors: 400, 401, 404.
 */
export const GET = route<{ id: string }, typeof FindingsQuerySchema>({ auth: "signed-in", scope: "tickets:read", query: FindingsQuerySchema }, async ({ params, query, principal }) =>
  listFindings(await getDb(), principal!, params.id, query),
);
