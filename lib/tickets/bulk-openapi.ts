import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { BulkBodySchema } from "./bulk-schema";
import { LinkBodySchema, MergeBodySchema } from "./links-schema";
import { TagsBodySchema, TagsQuerySchema } from "./tags-schema";

type JsonSchema = Record<string, unknown>;

const keyParam = { name: "key", in: "path", required: true, schema: { type: "string", pattern: "^T-\\d+$" } };
const json = (h: OpenApiHelpers, schema: Parameters<OpenApiHelpers["body"]>[0]) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });

/**
 * OpenAPI path items of the workspace's ticket endpoints (issue 12): bulk actions, merge,
 * related links and tags. Spread into the `paths` of lib/http/openapi.ts.
 */
export function bulkOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  return {
    "/api/tickets/bulk": {
      post: {
        summary: "Apply one action to up to 100 tickets (agents), each in its own transaction with the single-ticket rules",
        description:
          "Answers 200 even when some or all tickets failed: `results` has `{key, ok, error?: {code, message}}` per ticket (request order; a merge target that is also selected is left out) and `summary` `{ok, failed}`. Close: the note is an internal note unless `public: true`.",
        requestBody: json(h, BulkBodySchema),
        responses: { ...h.ok("{results: [{key, ok, error?}], summary: {ok, failed}}"), ...h.errors(400, 401, 403, 422) },
      },
    },
    "/api/tickets/{key}/merge": {
      post: {
        summary: "Merge this ticket (a duplicate) into its primary (agents): comments move, the duplicate is closed with a public reply naming the primary",
        parameters: [keyParam],
        requestBody: json(h, MergeBodySchema),
        responses: { ...h.ok("{merged, into, movedComments, movedAttachments, watcherAdded}"), ...h.errors(400, 401, 403, 404, 409, 422) },
      },
    },
    "/api/tickets/{key}/links": {
      get: { summary: "Related tickets, both directions (agents)", parameters: [keyParam], responses: { ...h.ok("{links: [{key, title, status}]}"), ...h.errors(401, 403, 404) } },
      post: {
        summary: "Relate two tickets (agents); 201 when new, 200 when already related",
        parameters: [keyParam],
        requestBody: json(h, LinkBodySchema),
        responses: { ...h.ok("{added, links}", "201"), ...h.ok("{added: false, links}"), ...h.errors(400, 401, 403, 404, 422) },
      },
    },
    "/api/tickets/{key}/links/{other}": {
      delete: {
        summary: "Unrelate two tickets (agents)",
        parameters: [keyParam, { ...keyParam, name: "other" }],
        responses: { ...h.ok("{links}"), ...h.errors(401, 403, 404, 422) },
      },
    },
    "/api/tickets/{key}/tags": {
      get: { summary: "The ticket's tags (agents)", parameters: [keyParam], responses: { ...h.ok("{tags: string[]}"), ...h.errors(401, 403, 404) } },
      put: {
        summary: "Replace the ticket's tags (agents); normalised to lower case, ≤ 20",
        parameters: [keyParam],
        requestBody: json(h, TagsBodySchema),
        responses: { ...h.ok("{tags, changed}"), ...h.errors(400, 401, 403, 404) },
      },
    },
    "/api/tags": {
      get: { summary: "Tag autocomplete (agents): tags in use by prefix, most used first", parameters: h.queryParams(TagsQuerySchema), responses: { ...h.ok("{tags: [{tag, count}]}"), ...h.errors(400, 401, 403) } },
    },
  };
}
