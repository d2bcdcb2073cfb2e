import { getDb } from "@/db/client";
import { csvDownloadHeaders, exportTriageDecisionsCsv, listTriageDecisions } from "@/lib/audit/admin/queries";
import { TriageDecisionsQuerySchema } from "@/lib/audit/admin/schemas";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/admin/audit/decisions[?ticket=T-12][&provider=][&corrected=true|false][&from=][&to=]
 * [&limit=50][&cursor=][&format=csv] — admins. Triage decisions (what the AI decided), newest first.
 * → 200 {items: [{id, createdAt, ticketKey, ticketTitle, mode, provider, model, category,
 * priority, team, confidence, promptTokens, completionTokens, costUsd, latencyMs, fallbackReason,
 * overriddenBy, corrected, finalCategory, finalPriority, finalTeam}], nextCursor};
 * `format=csv` → a text/csv attachment of up to 50,000 rows, `X-Truncated: true` when more matched.
 * Errors: 400, 401, 403.
 */
export const GET = route(
  {
    auth: "admin",
    scope: "admin",
    query: TriageDecisionsQuerySchema,
    openapi: { summary: "Triage decisions: provider, model, confidence, tokens, cost (JSON page or CSV export)", tags: ["admin"] },
  },
  async ({ query, principal }) => {
    const db = await getDb();
    if (query.format === "json") return listTriageDecisions(db, principal!, query);
    const out = await exportTriageDecisionsCsv(db, principal!, query);
    return new Response(out.csv, { headers: csvDownloadHeaders("triage-decisions", out) });
  },
);
