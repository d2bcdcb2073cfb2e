import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { InboundEmailJsonSchema } from "./schemas";

type JsonSchema = Record<string, unknown>;

const rawMessage = { type: "string", format: "binary", description: "The raw RFC 822 / RFC 5322 message (headers, blank line, body)" };

/**
 * OpenAPI path item of POST /api/inbound/email (raw RFC 822 in, ticket or comment out). Spread
 * into the `paths` of lib/http/openapi.ts.
 */
export function inboundEmailOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  return {
    "/api/inbound/email": {
      post: {
        summary: "Inbound e-mail: a raw RFC 822 message becomes a ticket or a comment on the ticket it replies to (agents)",
        description:
          "For mail providers' inbound webhooks, n8n and mail gateways; the same processing as the IMAP poller. Agent or admin API key. " +
          "Replies are recognised by In-Reply-To/References naming our mail, or `[T-123]` in the subject from a participant; the comment keeps only the new text (quotes and signatures stripped). " +
          "Loop protection (RFC 3834: Auto-Submitted, Precedence bulk/list/junk, X-Autoreply, robots, our own Message-IDs) answers 200 `ignored`; more than INBOUND_RATE_PER_HOUR messages a sender an hour: 200 `rate_limited`; " +
          "an unknown sender while public submissions are off: 200 `bounced` (a polite reply is queued). The same Message-ID twice: 200 with `duplicate: true`, nothing created. " +
          "Optional `Idempotency-Key` (1–255 printable ASCII): a repeat with the same bytes within 24 h returns the first answer with `Idempotent-Replayed: true`. " +
          "A message that cannot be processed is stored as `failed` (422, `details.inboundId`) and can be replayed by an admin.",
        parameters: [
          { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7E]+$" } },
        ],
        requestBody: {
          required: true,
          content: {
            "message/rfc822": { schema: rawMessage },
            "text/plain": { schema: rawMessage },
            "application/octet-stream": { schema: rawMessage },
            "application/json": { schema: h.body(InboundEmailJsonSchema) },
          },
        },
        responses: {
          ...h.ok("{inboundId, status: processed, duplicate: false, action: created|commented|follow_up, ticketKey, reason: null}", "201"),
          ...h.ok("{inboundId, status: processed|ignored|bounced|rate_limited, duplicate, action, ticketKey, reason}"),
          ...h.errors(400, 401, 403, 409, 413, 415, 422),
        },
      },
    },
  };
}
