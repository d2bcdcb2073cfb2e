import type { z } from "zod";
import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { CreateODataSourceSchema, ListODataRunsQuerySchema, UpdateODataSourceSchema } from "./schemas";

type JsonSchema = Record<string, unknown>;

const uuidParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };

/**
 * OpenAPI path items of the OData sources API (/api/odata/sources, /api/odata/runs), generated
 * from the zod schemas the route handlers parse with. Spread into the `paths` of lib/http/openapi.ts.
 */
export function odataOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const requestBody = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });
  return {
    "/api/odata/sources": {
      get: {
        summary: "OData sources with their newest run (admins)",
        description: "The secret is never returned: `hasSecret` says whether one is stored.",
        responses: { ...h.ok("{items: ODataSource[]}"), ...h.errors(401, 403) },
      },
      post: {
        summary: "Create an OData source (admins)",
        description: "`secret` (basic password or bearer token) is stored encrypted (AES-256-GCM) and is write-only. The first pull is due at once.",
        requestBody: requestBody(CreateODataSourceSchema),
        responses: { ...h.ok("ODataSource", "201"), ...h.errors(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    "/api/odata/sources/{id}": {
      get: { summary: "An OData source (admins)", parameters: [uuidParam], responses: { ...h.ok("ODataSource"), ...h.errors(401, 403, 404) } },
      patch: {
        summary: "Change an OData source (admins)",
        description: "Leaving out `secret` keeps the stored one; `null` clears it. `resetDelta: true` makes the next pull read every record.",
        parameters: [uuidParam],
        requestBody: requestBody(UpdateODataSourceSchema),
        responses: { ...h.ok("ODataSource"), ...h.errors(400, 401, 403, 404, 409, 413, 415, 422) },
      },
      delete: { summary: "Delete an OData source with its runs (admins); its tickets stay", parameters: [uuidParam], responses: { "204": { description: "Deleted" }, ...h.errors(401, 403, 404) } },
    },
    "/api/odata/sources/{id}/run": {
      post: {
        summary: "Pull an OData source now (admins)",
        description: "Creates the run (`running`) and queues it for a worker; poll GET /api/odata/runs/{id} for the report.",
        parameters: [uuidParam],
        responses: { ...h.ok("ODataRun", "202"), ...h.errors(401, 403, 404) },
      },
    },
    "/api/odata/sources/{id}/runs": {
      get: {
        summary: "Runs of an OData source, newest first (admins)",
        parameters: [uuidParam, ...h.queryParams(ListODataRunsQuerySchema)],
        responses: { ...h.ok("{items: ODataRun[]}"), ...h.errors(400, 401, 403, 404) },
      },
    },
    "/api/odata/runs/{id}": {
      get: {
        summary: "One run's report: status, fetched, created, updated, skipped, errors as served (admins)",
        parameters: [uuidParam],
        responses: { ...h.ok("ODataRun"), ...h.errors(401, 403, 404) },
      },
    },
  };
}
