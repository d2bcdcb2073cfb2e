import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { StatsQuerySchema } from "@/lib/tickets/schemas";

type JsonSchema = Record<string, unknown>;

const RANGE = "Range: inclusive UTC days `from`…`to` (default the last 90 days; at most 731 days), as GET /api/tickets/stats.";

/**
 * OpenAPI path items of GET /api/dashboard/{backlog,agents,csat,summary}, generated from the
 * zod schema the route handlers parse with. Spread into the `paths` of lib/http/openapi.ts.
 */
export function dashboardOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const get = (summary: string, description: string, shape: string, withRange = true) => ({
    get: {
      summary,
      description,
      ...(withRange ? { parameters: h.queryParams(StatsQuerySchema) } : {}),
      responses: { ...h.ok(shape), ...h.errors(...(withRange ? [400, 401, 403] : [401, 403])) },
    },
  });
  return {
    "/api/dashboard/backlog": get(
      "Current backlog: unsolved tickets by status, assignment group and age bucket, with drill-down links (agents)",
      "Unsolved = new, open, in progress, waiting, whenever created. Age buckets (now − created_at): lt1d, 1to3d, 3to7d, 7to30d, gt30d. Every count comes with `href`, the ticket list filtered to exactly those tickets.",
      "{now, total: {n, href}, byAge, byStatus: {status: {key, total, byAge}}, byTeam: [{key, total, byAge}]}",
      false,
    ),
    "/api/dashboard/agents": get(
      "Per-agent workload: unsolved tickets assigned now, tickets resolved in the range, median first response and resolution (agents)",
      `${RANGE} Resolved = resolved_at in the range. Medians in seconds over those resolved tickets. Last row: Unassigned (id \`none\`).`,
      "{range, agents: [{id, name, teamSlug, open: {n, href}, resolved: {n, href}, firstResponseP50S, resolutionP50S}]}",
    ),
    "/api/dashboard/csat": get(
      "CSAT (% good) overall and per assignment group, and self-service deflections, in a range (agents)",
      `${RANGE} Ratings by csat_ratings.created_at; team = the ticket's at rating time (\`none\` = no team).`,
      "{range, all: {good, bad, total, goodPct}, byTeam: [{team, good, bad, total, goodPct}], deflections}",
    ),
    "/api/dashboard/summary": get(
      "Headline figures of a range next to the previous period of equal length, with the change (agents)",
      `${RANGE} Figures: created, resolved (counts), firstResponseP50S, resolutionP50S (seconds), csatGoodPct (0–100), deflections; each {unit, current, previous, change: {delta, pct, direction}, href?}.`,
      "{range, previous, figures}",
    ),
  };
}
