import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { CreateViewSchema, UpdateViewSchema } from "./view-schemas";

type JsonSchema = Record<string, unknown>;

const idParam = { name: "id", in: "path", required: true, schema: { type: "string" }, description: "A saved view's UUID (built-in ids such as `mine` answer 403)" };

/** OpenAPI path items of /api/views, /api/views/{id} and /api/workspace/version. Spread into the `paths` of lib/http/openapi.ts. */
export function viewOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  return {
    "/api/views": {
      get: {
        summary: "The agent's views (built-in, shared, personal) with ticket counts (null above 10,000) and the default view (agents)",
        responses: { ...h.ok("{views: [{id, name, kind, filters, sort, editable, count, href}], defaultView}"), ...h.errors(401, 403) },
      },
      post: {
        summary: "Save a personal view, or a shared one (admins, shared: true)",
        requestBody: { required: true, content: { "application/json": { schema: h.body(CreateViewSchema) } } },
        responses: { ...h.ok("{view}", "201"), ...h.errors(400, 401, 403, 409) },
      },
    },
    "/api/views/{id}": {
      patch: {
        summary: "Rename a view or change its filters or sort (own personal views; shared views: admins)",
        parameters: [idParam],
        requestBody: { required: true, content: { "application/json": { schema: h.body(UpdateViewSchema) } } },
        responses: { ...h.ok("{view}"), ...h.errors(400, 401, 403, 404, 409) },
      },
      delete: { summary: "Delete a view (same rights as PATCH)", parameters: [idParam], responses: { ...h.ok("{deleted: true}"), ...h.errors(401, 403, 404) } },
    },
    "/api/workspace/version": {
      get: {
        summary: "A change marker (the newest domain event id) the ticket list polls to refresh live (agents)",
        responses: { ...h.ok("{version}"), ...h.errors(401, 403) },
      },
    },
  };
}
