import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { SlaStatsQuerySchema } from "./stats-schema";

type JsonSchema = Record<string, unknown>;

/**
 * OpenAPI path item of GET /api/sla/stats, generated from the zod schema the route handler
 * parses with. Spread into the `paths` of lib/http/openapi.ts.
 */
export function slaStatsOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  return {
    "/api/sla/stats": {
      get: {
        summary: "SLA figures for a range: met % per priority and team, breaches per day, mean business times against target, current at-risk/breached backlog (agents)",
        description:
          "Range [from, to): a date is a whole UTC day (`to` inclusive of that day), a date-time is taken as is; default the last 30 UTC days; at most 366 days. The backlog is at the SLA clock's now. Definitions: docs/SLA.md, Reporting.",
        parameters: h.queryParams(SlaStatsQuerySchema),
        responses: { ...h.ok("{range, now, met, breaches, breachesPerDay, businessTime, backlog}"), ...h.errors(400, 401, 403) },
      },
    },
  };
}
