import { getDb } from "@/db/client";
import { toCompact } from "@/lib/assistant/compact";
import { AssistantQuerySchema, AssistantRequestSchema } from "@/lib/assistant/ops";
import { runAssistant } from "@/lib/assistant/service";
import { json, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Per caller (API key or session): 60 commands a minute (a command may call the LLM). */
const ASSISTANT_LIMIT = { name: "assistant", limit: 60, windowMs: 60_000 };

/**
 * POST /api/assistant[?compact=1] — any signed-in caller. Body {text?, ticketKey?,
 * conversationId?, confirm?} (text or confirm required). Interprets the command, runs it with
 * the caller's permissions and stores the exchange.
 * → {op, ok, data, message, conversationId} (plus `error` {code, message, details} when the
 * operation failed), or with `?compact=1` seed 004's short-key form (docs/ASSISTANT.md).
 * 200 for answers, including clarifications and unknown input (ok false, nothing ran); the
 * failed operation's status otherwise (400, 403, 404, 409, 422). Bad body 400, 401, 404 for a
 * conversation that is not the caller's, 413, 415, 429 over 60 commands a minute.
 */
export const POST = route(
  { auth: "signed-in", scope: "tickets:write", rateClass: "classify", body: AssistantRequestSchema, query: AssistantQuerySchema, rateLimit: ASSISTANT_LIMIT },
  async ({ body, query, principal }) => {
    const r = await runAssistant(await getDb(), body, principal!);
    return json(query.compact ? toCompact(r.body) : r.body, r.status);
  },
);
