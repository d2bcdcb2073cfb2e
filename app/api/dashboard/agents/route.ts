import { getDb } from "@/db/client";
import { getAgentsWorkload } from "@/lib/dashboard/agents";
import { route } from "@/lib/http/route";
import { StatsQuerySchema } from "@/lib/tickets/schemas";
import { resolveRange } from "@/lib/tickets/stats";

export const dynamic = "force-dynamic";

/**
 * GET /api/dashboard/agents?from=YYYY-MM-DD&to=YYYY-MM-DD — agents and admins. Per agent:
 * unsolved tickets assigned now and tickets resolved in the inclusive UTC-day range (default
 * the last 90 days), with median first response / resolution seconds of those; then an
 * Unassigned row. → 200 {range, agents: [{id, name, teamSlug, open: {n, href}, resolved:
 * {n, href}, firstResponseP50S, resolutionP50S}]}. Errors: 400 (bad dates, from after to, over
 * 731 days), 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read", query: StatsQuerySchema }, async ({ query }) =>
  getAgentsWorkload(await getDb(), resolveRange(query)),
);
