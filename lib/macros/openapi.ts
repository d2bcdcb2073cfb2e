import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { CreateMacroSchema, RenderMacroSchema, UpdateMacroSchema } from "./schemas";

type JsonSchema = Record<string, unknown>;

const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const MACRO = "{macro: {id, name, body, internal, actions, shared, editable, usageCount, updatedAt}}";

/** OpenAPI path items of /api/macros, /api/macros/{id} and /api/macros/{id}/render. Spread into the `paths` of lib/http/openapi.ts. */
export function macroOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const body = (schema: Parameters<OpenApiHelpers["body"]>[0]) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });
  return {
    "/api/macros": {
      get: {
        summary: "Macros (canned responses) the caller can use: shared ones and their own (agents)",
        responses: { ...h.ok("{macros: [macro]}"), ...h.errors(401, 403) },
      },
      post: {
        summary: "Create a personal macro, or a shared one (admins); unknown placeholders are a 422 listing the known ones",
        requestBody: body(CreateMacroSchema),
        responses: { ...h.ok(MACRO, "201"), ...h.errors(400, 401, 403, 409, 422) },
      },
    },
    "/api/macros/{id}": {
      patch: {
        summary: "Change a macro (admins: shared ones; agents: their own)",
        parameters: [idParam],
        requestBody: body(UpdateMacroSchema),
        responses: { ...h.ok(MACRO), ...h.errors(400, 401, 403, 404, 409, 422) },
      },
      delete: {
        summary: "Delete a macro (admins: shared ones; agents: their own)",
        parameters: [idParam],
        responses: { ...h.ok("{deleted: true}"), ...h.errors(401, 403, 404) },
      },
    },
    "/api/macros/{id}/render": {
      post: {
        summary: "The macro filled for one ticket ({{requester.name}}, {{ticket.key}}, …) and counted as used; changes nothing",
        parameters: [idParam],
        requestBody: body(RenderMacroSchema),
        responses: { ...h.ok("{body, internal, actions}"), ...h.errors(400, 401, 403, 404) },
      },
    },
  };
}
