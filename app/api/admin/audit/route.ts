import { getDb } from "@/db/client";
import { csvDownloadHeaders, exportAuditEventsCsv, listAuditEvents } from "@/lib/audit/admin/queries";
import { AuditEventsQuerySchema } from "@/lib/audit/admin/schemas";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/admin/audit[?ticket=T-12][&actor=][&action=][&from=][&to=][&limit=50][&cursor=][&format=csv]
 * — admins. Audit events (who changed what and when), newest first.
 * → 200 {items: [{id, at, actorType, actorId, actor, actorEmail, action, entityType, entityId,
 * ticketKey, ticketTitle, before, after, summary}], nextCursor}; `format=csv` → a text/csv
 * attachment (UTF-8 with BOM, formula cells neutralised) of up to 50,000 rows, `X-Truncated: true`
 * when more matched. `action` is exact (`ticket.status_changed`) or an entity (`ticket`).
 * Errors: 400 (bad dates, unknown action, bad cursor), 401, 403.
 */
export const GET = route(
  {
    auth: "admin",
    scope: "admin",
    query: AuditEventsQuerySchema,
    openapi: { summary: "Audit events: who changed what and when (JSON page or CSV export)", tags: ["admin"] },
  },
  async ({ query, principal }) => {
    const db = await getDb();
    if (query.format === "json") return listAuditEvents(db, principal!, query);
    const out = await exportAuditEventsCsv(db, principal!, query);
    return new Response(out.csv, { headers: csvDownloadHeaders("audit-events", out) });
  },
);
