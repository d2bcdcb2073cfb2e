import { getDb } from "@/db/client";
import { getConversation } from "@/lib/assistant/history";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/assistant/conversations/{id} — one conversation with its messages, oldest first:
 * the caller's own (admins: any).
 * → 200 {id, title, ticketKey, messageCount, createdAt, updatedAt, actorLabel, messages: [{id,
 * role, content, op, ok, data, provider, model, promptTokens, completionTokens, costUsd,
 * latencyMs, createdAt}]}. Errors: 401, 404 (unknown or someone else's).
 */
export const GET = route<{ id: string }>({ auth: "signed-in", scope: "tickets:read" }, async ({ params, principal }) =>
  getConversation(await getDb(), principal!, params.id),
);
