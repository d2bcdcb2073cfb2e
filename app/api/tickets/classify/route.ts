import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { ClassifySchema } from "@/lib/tickets/schemas";
import { suggestTriage } from "@/lib/tickets/suggest";

export const dynamic = "force-dynamic";

/** Per caller (API key or session): 60 suggestions a minute. */
const CLASSIFY_LIMIT = { name: "classify", limit: 60, windowMs: 60_000 };

/**
 * POST /api/tickets/classify — body {title?, description}. Suggests without writing anything.
 * → 200 {category, priority, prioritySource ("rules" | "llm"), team, confidence (0–1), alternatives: [{category, confidence}],
 * impact, urgency, needsReview, provider, model, latencyMs, similar: [{key, title, status, similarity}]}
 * (up to 5 similar existing tickets: any for agents, the caller's own for requesters).
 * Limited to 60 calls a minute per caller (it may call the LLM), shared across instances:
 * RateLimit-Limit/-Remaining/-Reset on every answer, 429 with Retry-After over the limit.
 * Errors: 400, 401, 413, 415, 429.
 */
export const POST = route({ auth: "requester", scope: "tickets:read", rateClass: "classify", body: ClassifySchema, rateLimit: CLASSIFY_LIMIT }, async ({ body, principal }) =>
  suggestTriage(await getDb(), body, principal),
);
