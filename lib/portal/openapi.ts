import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { CsatSchema, DeflectionSchema, DeflectionSuggestSchema, RequesterStatusSchema } from "./schemas";

type JsonSchema = Record<string, unknown>;

const keyParam = { name: "key", in: "path", required: true, schema: { type: "string", pattern: "^T-\\d+$" } };

/**
 * OpenAPI path items of the requester portal: /api/tickets/{key}/requester-status,
 * /api/tickets/{key}/csat, /api/deflections and /api/deflections/suggest, from the schemas the
 * route handlers parse with. Spread into the `paths` of lib/http/openapi.ts.
 */
export function portalOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const requestBody = (schema: Parameters<OpenApiHelpers["body"]>[0]) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });
  return {
    "/api/tickets/{key}/requester-status": {
      post: {
        summary: "The requester marks their ticket solved (note = resolution) or reopens it within REOPEN_WINDOW_DAYS; agents get 403",
        parameters: [keyParam],
        requestBody: requestBody(RequesterStatusSchema),
        responses: { ...h.ok("{ticket: {key, status, resolution}}"), ...h.errors(400, 401, 403, 404, 409) },
      },
    },
    "/api/tickets/{key}/csat": {
      get: {
        summary: "The ticket's satisfaction rating (its requester and agents)",
        parameters: [keyParam],
        responses: { ...h.ok("{rating: {rating, comment, createdAt} | null, canRate}"), ...h.errors(401, 404) },
      },
      post: {
        summary: "The requester rates their resolved or closed ticket once (409 when rated or not resolved)",
        parameters: [keyParam],
        requestBody: requestBody(CsatSchema),
        responses: { ...h.ok("{rating}", "201"), ...h.errors(400, 401, 404, 409) },
      },
    },
    "/api/deflections/suggest": {
      post: {
        summary: "Agent-written resolutions of similar resolved tickets for the text typed on /submit (no titles, descriptions or e-mails); public while PUBLIC_SUBMISSIONS",
        requestBody: requestBody(DeflectionSuggestSchema),
        responses: { ...h.ok("{suggestions: [{key, categoryName, resolution, similarity}]}"), ...h.errors(400, 401, 413, 415, 429) },
      },
    },
    "/api/deflections": {
      post: {
        summary: "Count a deflection: the suggested resolution solved the requester's problem, no ticket filed",
        requestBody: requestBody(DeflectionSchema),
        responses: { ...h.ok("{recorded: true}", "201"), ...h.errors(400, 401, 404, 429) },
      },
    },
  };
}
