import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { contentDisposition } from "@/lib/files/storage/s3";
import { buildReport } from "@/lib/files/uploads/report";
import { ReportQuerySchema } from "@/lib/files/uploads/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/uploads/{id}/report?format=xlsx|csv (default xlsx) → 200 the findings report as a download.
 * Errors: 400, 401, 404, 409 (not processed yet), 422 (attachments have no report).
 */
export const GET = route<{ id: string }, typeof ReportQuerySchema>({ auth: "signed-in", scope: "tickets:read", query: ReportQuerySchema }, async ({ params, query, principal }) => {
  const r = await buildReport(await getDb(), principal!, params.id, query.format);
  return new Response(Buffer.from(r.body), {
    status: 200,
    headers: { "Content-Type": r.contentType, "Content-Disposition": contentDisposition("attachment", r.filename), "Cache-Control": "private, no-store" },
  });
});
