import type { z } from "zod";
import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { CreateTargetSchema, ListPushesQuerySchema, ListTargetsQuerySchema, UpdateTargetSchema, UpdateTeamAssignmentSchema } from "./schemas";

type JsonSchema = Record<string, unknown>;

const uuidParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const pushParam = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[1-9][0-9]*$" } };
const slugParam = { name: "slug", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,39}$" } };

/**
 * OpenAPI path items of the team-mappings API (/api/routing/targets, /api/routing/pushes) and
 * of a team's assignment mode (/api/teams/{slug}), generated from the zod schemas the route
 * handlers parse with. Spread into the `paths` of lib/http/openapi.ts.
 */
export function routingOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const requestBody = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });
  return {
    "/api/routing/targets": {
      get: {
        summary: "Team mappings: where each team's tickets are pushed (admins)",
        description: "Header values and secrets are never returned: `headerNames` lists the stored headers, `hasSecret` says whether a secret is set; a Slack hook URL is masked.",
        parameters: h.queryParams(ListTargetsQuerySchema),
        responses: { ...h.ok("{items: Target[]}"), ...h.errors(400, 401, 403) },
      },
      post: {
        summary: "Create a team mapping (admins)",
        description: "`headers` and `secret` are stored encrypted (AES-256-GCM) and are write-only. `config` is checked against the kind (a 400 points at e.g. `config.projectKey`).",
        requestBody: requestBody(CreateTargetSchema),
        responses: { ...h.ok("Target", "201"), ...h.errors(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    "/api/routing/targets/{id}": {
      get: { summary: "A team mapping (admins)", parameters: [uuidParam], responses: { ...h.ok("Target"), ...h.errors(401, 403, 404) } },
      patch: {
        summary: "Change a team mapping (admins)",
        description: "Leaving out `secret` or `headers` keeps the stored ones; `null` clears them.",
        parameters: [uuidParam],
        requestBody: requestBody(UpdateTargetSchema),
        responses: { ...h.ok("Target"), ...h.errors(400, 401, 403, 404, 409, 413, 415, 422) },
      },
      delete: {
        summary: "Delete a team mapping (admins); refused (409) while tickets link to its records or pushes are pending",
        parameters: [uuidParam],
        responses: { "204": { description: "Deleted" }, ...h.errors(401, 403, 404, 409) },
      },
    },
    "/api/routing/pushes": {
      get: {
        summary: "Dead-letter list: pushes that exhausted their retries or were refused, newest first (admins)",
        parameters: h.queryParams(ListPushesQuerySchema),
        responses: { ...h.ok("{items: [{id, ticketKey, targetName, kind, action, attempts, lastStatusCode, lastError, lastAttemptAt}], nextCursor}"), ...h.errors(400, 401, 403) },
      },
    },
    "/api/routing/pushes/{id}/retry": {
      post: {
        summary: "Queue a dead push again (admins)",
        parameters: [pushParam],
        responses: { ...h.ok("{id, status: pending}", "202"), ...h.errors(401, 403, 404, 409) },
      },
    },
    "/api/teams/{slug}": {
      get: { summary: "A team with its assignment mode (agents)", parameters: [slugParam], responses: { ...h.ok("{slug, name, description, email, assignmentMode}"), ...h.errors(401, 403, 404) } },
      patch: {
        summary: "Switch how a team's tickets get a person: auto, round_robin or manual (admins and the team's agents)",
        parameters: [slugParam],
        requestBody: requestBody(UpdateTeamAssignmentSchema),
        responses: { ...h.ok("team"), ...h.errors(400, 401, 403, 404, 413, 415) },
      },
    },
  };
}
