import type { z } from "zod";
import { ListRuleSetsQuerySchema, RuleSetSchema, UpdateRuleSetSchema } from "./schema";

type JsonSchema = Record<string, unknown>;

/** The document builders of lib/http/openapi.ts, passed in so the shapes stay defined once. */
export interface OpenApiHelpers {
  body: (schema: z.ZodType) => JsonSchema;
  queryParams: (schema: z.ZodType) => JsonSchema[];
  ok: (description: string, status?: string) => JsonSchema;
  errors: (...codes: number[]) => JsonSchema;
}

const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };

/**
 * OpenAPI path items of /api/rule-sets and /api/rule-sets/{id}, generated from the same zod
 * schemas the route handlers parse with. Spread into the `paths` of lib/http/openapi.ts.
 */
export function ruleSetOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const requestBody = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });
  return {
    "/api/rule-sets": {
      get: { summary: "Compliance rule sets by name (agents)", parameters: h.queryParams(ListRuleSetsQuerySchema), responses: { ...h.ok("{items}"), ...h.errors(400, 401, 403) } },
      post: {
        summary: "Create a compliance rule set (admins)",
        description: "Rules: required_columns, not_empty, domain, pattern, range, cross_field, unique, reference. A 400 lists each problem with its path (e.g. rules.2.regex).",
        requestBody: requestBody(RuleSetSchema),
        responses: { ...h.ok("rule set", "201"), ...h.errors(400, 401, 403, 409, 413, 415) },
      },
    },
    "/api/rule-sets/{id}": {
      get: { summary: "A compliance rule set (agents)", parameters: [idParam], responses: { ...h.ok("rule set"), ...h.errors(401, 403, 404) } },
      put: {
        summary: "Replace a compliance rule set; bumps its version (admins)",
        description: "Send expectedVersion to get a 409 instead of overwriting someone else's change.",
        parameters: [idParam],
        requestBody: requestBody(UpdateRuleSetSchema),
        responses: { ...h.ok("rule set"), ...h.errors(400, 401, 403, 404, 409, 413, 415) },
      },
      delete: { summary: "Deactivate a compliance rule set (admins)", parameters: [idParam], responses: { ...h.ok("rule set, active false"), ...h.errors(401, 403, 404) } },
    },
  };
}
