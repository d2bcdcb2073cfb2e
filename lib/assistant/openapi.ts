import type { z } from "zod";
import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { AuditMessagesQuerySchema, ListConversationsQuerySchema } from "./history-schemas";
import { AssistantQuerySchema, AssistantRequestSchema } from "./ops";

type JsonSchema = Record<string, unknown>;

const uuidParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const keyParam = { name: "key", in: "path", required: true, schema: { type: "string", pattern: "^T-[1-9][0-9]*$" } };

/**
 * OpenAPI path items of the assistant API (/api/assistant, its conversations, and the admins'
 * /api/admin/assistant/messages), generated from the zod schemas the route handlers parse with.
 * Spread into the `paths` of lib/http/openapi.ts.
 */
export function assistantOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const requestBody = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });
  return {
    "/api/assistant": {
      post: {
        summary: "Run a command in plain language (create, update, assign, comment, resolve, show, list, stats, bulk…)",
        description:
          "Answers {op, ok, data, message, conversationId} (+ `error` when the operation failed). Clarifications and unknown input are 200 with ok false (nothing ran). " +
          "Bulk changes answer data.kind `confirm` first: send `{confirm: data.token}` to run them. `?compact=1` answers in the short-key form of docs/ASSISTANT.md. " +
          "Limited to 60 calls a minute per caller: 429 with Retry-After and RateLimit-* headers.",
        parameters: h.queryParams(AssistantQuerySchema),
        requestBody: requestBody(AssistantRequestSchema),
        responses: { ...h.ok("{op, ok, data, message, conversationId}"), ...h.errors(400, 401, 403, 404, 409, 413, 415, 422, 429) },
      },
    },
    "/api/assistant/conversations": {
      get: {
        summary: "The caller's own assistant conversations, most recently active first",
        parameters: h.queryParams(ListConversationsQuerySchema),
        responses: { ...h.ok("{items: [{id, title, ticketKey, messageCount, createdAt, updatedAt}], nextCursor}"), ...h.errors(400, 401) },
      },
    },
    "/api/assistant/conversations/{id}": {
      get: {
        summary: "One conversation with its messages (own; admins any)",
        parameters: [uuidParam],
        responses: { ...h.ok("{id, title, ticketKey, actorLabel, messages}"), ...h.errors(401, 404) },
      },
    },
    "/api/tickets/{key}/assistant": {
      get: {
        summary: "Suggestions for a ticket: a grounded reply draft with citations, next actions, similar resolved tickets (agents)",
        description:
          "Nothing is sent or changed. Each call is stored in the caller's chat history (op `suggest`, linked to the ticket). " +
          "Limited to 60 calls a minute per caller: 429 with Retry-After and RateLimit-* headers.",
        parameters: [keyParam],
        responses: { ...h.ok("{ticketKey, reply, actions, similar, provenance, droppedCitations, fallbackReason, conversationId}"), ...h.errors(401, 403, 404, 429) },
      },
    },
    "/api/admin/assistant/messages": {
      get: {
        summary: "Audit every assistant message, newest first (admins)",
        description: "`format=csv` downloads a text/csv attachment of up to 50,000 rows (X-Truncated: true when more matched).",
        parameters: h.queryParams(AuditMessagesQuerySchema),
        responses: {
          "200": {
            description: "{items, nextCursor}, or the CSV",
            content: { "application/json": { schema: { type: "object" } }, "text/csv": { schema: { type: "string" } } },
          },
          ...h.errors(400, 401, 403),
        },
      },
    },
  };
}
