import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { readIdempotencyKey, REPLAYED_HEADER, requestHash, withIdempotency } from "@/lib/http/idempotency";
import { json, route } from "@/lib/http/route";
import type { RateLimitOptions } from "@/lib/rate-limit";
import { fileWebhookTicket } from "@/lib/integrations/webhook-ticket";
import { WebhookTicketSchema } from "@/lib/integrations/webhook-ticket-schema";

export const dynamic = "force-dynamic";

/** Per caller, one-minute windows; the limit is read on each request (WEBHOOK_RATE_LIMIT_PER_MIN). */
const webhookRateLimit: RateLimitOptions & { name: string } = {
  name: "webhook-ticket",
  windowMs: 60_000,
  get limit() {
    return env().WEBHOOK_RATE_LIMIT_PER_MIN;
  },
};

/**
 * POST /api/webhook/ticket — seed 001's integration endpoint (n8n, monitoring, mail gateways).
 * Auth: an agent or admin API key (`Authorization: Bearer sb_…`) or an agent's session.
 * Body WebhookTicketSchema: {title, description, email, priority? (low|medium|high|critical or
 * P1–P4, any case), source?, metadata?, department? (team slug or name)}, JSON ≤ 64 KB.
 * Header `Idempotency-Key` (optional, 1–255 printable ASCII): a repeat with the same body within
 * 24 h returns the stored answer with `Idempotent-Replayed: true` and creates nothing.
 * → 201 {ticket_id, title, status, department, assigned_to, routed_to_system,
 * external_ticket_id (null: pushes run after the answer), confidence_score (0–1), error_message
 * (null or the low-confidence fallback note), created_at, updated_at, category, priority,
 * needs_review, fallback, links}; `Location: /api/tickets/T-…`.
 * Errors: 400 invalid_json/validation_error/bad_request (Idempotency-Key), 401, 403 (requester
 * key), 409 idempotency_conflict (same key, different body), 413, 415, 422 unknown department,
 * 429 rate_limited (WEBHOOK_RATE_LIMIT_PER_MIN per key, Retry-After).
 */
export const POST = route({ auth: "agent", scope: "webhook", body: WebhookTicketSchema, rateLimit: webhookRateLimit }, async ({ req, body, principal }) => {
  const p = principal!;
  const key = readIdempotencyKey(req.headers);
  const db = await getDb();
  if (key === null) {
    const { answer } = await fileWebhookTicket(db, body, p);
    return json(answer, 201, { Location: answer.links.self });
  }
  const outcome = await withIdempotency(
    db,
    { scope: `webhook-ticket:${p.kind}:${p.id}`, key, requestHash: requestHash(body), apiKeyId: p.kind === "api_key" ? p.id : null },
    async (tx) => {
      const { answer, ticketId } = await fileWebhookTicket(tx, body, p);
      return { status: 201, body: answer, ticketId };
    },
  );
  if (outcome.kind === "conflict") return json(outcome.body, outcome.status);
  const self = (outcome.body as { links?: { self?: string } }).links?.self;
  const headers: Record<string, string> = self ? { Location: self } : {};
  if (outcome.kind === "replayed") headers[REPLAYED_HEADER] = "true";
  return json(outcome.body, outcome.status, headers);
});
