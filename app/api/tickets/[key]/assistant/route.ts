import { getDb } from "@/db/client";
import { suggestForTicket } from "@/lib/assistant/suggest";
import { recordSuggestion } from "@/lib/assistant/suggest/record";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Per caller (API key or session): 60 suggestions a minute (each may call the LLM). */
const SUGGEST_LIMIT = { name: "ticket-assistant", limit: 60, windowMs: 60_000 };

/**
 * GET /api/tickets/{key}/assistant — agents and admins. Suggestions for the ticket; nothing is
 * sent or changed. → 200 {ticketKey, reply: {text, citations: [key]} | null,
 * actions: [{kind: ask_detail|escalate|merge_duplicate|resolve_known_fix|assign|set_priority, label, detail, ticketKey?, command?}],
 * similar: [{key, title, status, similarity (0–1), resolution, resolvedAt, href}] (resolved/closed tickets),
 * provenance: {provider ("templates" without an LLM), model, promptTokens, completionTokens, costUsd, latencyMs},
 * droppedCitations: [key] (keys the LLM cited that failed the grounding check), fallbackReason, conversationId}.
 * Each exchange is stored in the caller's chat history (op `suggest`, linked to the ticket; one
 * conversation per person and ticket, an unchanged answer not stored twice: lib/assistant/suggest/record.ts).
 * Limited to 60 calls a minute per caller: RateLimit-* headers, 429 with Retry-After over it.
 * Errors: 401, 403 (requesters), 404 (unknown ticket), 429.
 */
export const GET = route<{ key: string }>({ auth: "agent", scope: "tickets:read", rateClass: "classify", rateLimit: SUGGEST_LIMIT }, async ({ params, principal }) => {
  const db = await getDb();
  const key = params.key.toUpperCase();
  const s = await suggestForTicket(db, key, principal!);
  const { conversationId } = await recordSuggestion(db, principal!, s);
  return { ...s, conversationId };
});
