import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { ClassifySchema } from "@/lib/tickets/schemas";
import { suggestTriage } from "@/lib/tickets/suggest";

export const dynamic = "force-dynamic";

/**
 * POST /api/tickets/classify — body {title?, description}. Suggests without writing anything.
 * → 200 {category, priority, team, confidence (0–1), alternatives: [{category, confidence}],
 * impact, urgency, needsReview, provider, model, latencyMs, similar: [{key, title, status, similarity}]}
 * (up to 5 similar existing tickets: any for agents, the caller's own for requesters).
 * Errors: 400, 401, 413, 415.
 */
export const POST = route({ auth: "requester", body: ClassifySchema }, async ({ body, principal }) =>
  suggestTriage(await getDb(), body, principal),
);
