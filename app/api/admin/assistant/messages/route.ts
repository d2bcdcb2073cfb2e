import { getDb } from "@/db/client";
import { exportChatMessagesCsv, listChatMessagesForAudit } from "@/lib/assistant/history";
import { AuditMessagesQuerySchema } from "@/lib/assistant/history-schemas";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/admin/assistant/messages[?actor=][&ticket=T-12][&from=][&to=][&op=][&limit=50]
 * [&cursor=][&format=csv] — admins. Every assistant chat message, newest first.
 * → 200 {items: [{id, conversationId, actor, ticketKey, role, content, op, ok, data, provider,
 * model, promptTokens, completionTokens, costUsd, latencyMs, fallbackReason, createdAt}], nextCursor};
 * `format=csv` → a text/csv attachment (UTF-8 with BOM) of up to 50,000 rows with columns
 * created_at, actor, ticket, role, content, op, ok, provider, model, prompt_tokens,
 * completion_tokens, cost_usd, latency_ms, fallback_reason; `X-Truncated: true` when more matched.
 * An `op` filter returns the matching answers and the questions they answered.
 * Errors: 400, 401, 403.
 */
export const GET = route({ auth: "admin", scope: "admin", query: AuditMessagesQuerySchema }, async ({ query, principal }) => {
  const db = await getDb();
  if (query.format === "json") return listChatMessagesForAudit(db, principal!, query);
  const { csv, rows, truncated } = await exportChatMessagesCsv(db, principal!, query);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="assistant-messages-${new Date().toISOString().slice(0, 10)}.csv"`,
      "x-row-count": String(rows),
      "x-truncated": String(truncated),
    },
  });
});
