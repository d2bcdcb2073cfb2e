import { getDb } from "@/db/client";
import { listConversations } from "@/lib/assistant/history";
import { ListConversationsQuerySchema } from "@/lib/assistant/history-schemas";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/assistant/conversations[?ticket=T-12][&limit=25][&cursor=] — the caller's own
 * assistant conversations, most recently active first.
 * → 200 {items: [{id, title, ticketKey, messageCount, createdAt, updatedAt}], nextCursor}.
 * Errors: 400, 401.
 */
export const GET = route({ auth: "signed-in", scope: "tickets:read", query: ListConversationsQuerySchema }, async ({ query, principal }) =>
  listConversations(await getDb(), principal!, { ticketKey: query.ticket, limit: query.limit, cursor: query.cursor }),
);
