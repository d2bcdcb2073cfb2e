import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { WatcherBodySchema } from "./watcher-schema";

type JsonSchema = Record<string, unknown>;

const keyParam = { name: "key", in: "path", required: true, schema: { type: "string", pattern: "^T-\\d+$" } };

/** OpenAPI path item of /api/tickets/{key}/watchers (GET, POST, DELETE). Spread into the `paths` of lib/http/openapi.ts. */
export function watcherOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const requestBody = { required: true, content: { "application/json": { schema: h.body(WatcherBodySchema) } } };
  return {
    "/api/tickets/{key}/watchers": {
      get: {
        summary: "Watchers (CC) of a ticket: they get every public message by mail, never internal notes (agents)",
        parameters: [keyParam],
        responses: { ...h.ok("{watchers: [{email, addedBy, createdAt}]}"), ...h.errors(401, 403, 404) },
      },
      post: {
        summary: "Add a watcher (agents); 201 when new, 200 when it already watches",
        parameters: [keyParam],
        requestBody,
        responses: { ...h.ok("{added, watchers}", "201"), ...h.ok("{added: false, watchers}"), ...h.errors(400, 401, 403, 404, 422) },
      },
      delete: {
        summary: "Remove a watcher (agents)",
        parameters: [keyParam],
        requestBody,
        responses: { ...h.ok("{watchers}"), ...h.errors(400, 401, 403, 404) },
      },
    },
  };
}
