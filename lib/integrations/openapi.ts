import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { WebhookTicketSchema } from "./webhook-ticket-schema";

type JsonSchema = Record<string, unknown>;

/**
 * OpenAPI path item of POST /api/webhook/ticket, generated from the same zod schema the route
 * handler parses with. Spread into the `paths` of lib/http/openapi.ts.
 */
export function webhookOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  return {
    "/api/webhook/ticket": {
      post: {
        summary: "Integration endpoint (seed 001): file a ticket from n8n, monitoring or a mail gateway",
        description:
          "Agent or admin API key. Optional `Idempotency-Key` header (1–255 printable ASCII): a repeat with the same body within 24 h returns the first answer with `Idempotent-Replayed: true`; the same key with another body is 409 `idempotency_conflict`. Limited per key (WEBHOOK_RATE_LIMIT_PER_MIN, default 120 a minute): 429 with Retry-After. Low triage confidence routes to the service-desk queue and says so in `error_message`. See docs/INTEGRATIONS.md.",
        parameters: [
          { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7E]+$" } },
        ],
        requestBody: { required: true, content: { "application/json": { schema: h.body(WebhookTicketSchema) } } },
        responses: {
          ...h.ok(
            "{ticket_id, title, status, department, assigned_to, routed_to_system, external_ticket_id, confidence_score, error_message, created_at, updated_at, category, priority, needs_review, fallback, links}",
            "201",
          ),
          ...h.errors(400, 401, 403, 409, 413, 415, 422, 429),
        },
      },
    },
  };
}
