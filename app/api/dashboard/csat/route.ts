import { getDb } from "@/db/client";
import { getCsatStats } from "@/lib/dashboard/csat";
import { route } from "@/lib/http/route";
import { StatsQuerySchema } from "@/lib/tickets/schemas";
import { resolveRange } from "@/lib/tickets/stats";

export const dynamic = "force-dynamic";

/**
 * GET /api/dashboard/csat?from=YYYY-MM-DD&to=YYYY-MM-DD — agents and admins. CSAT ratings
 * given in the inclusive UTC-day range (default the last 90 days): % good overall and per
 * assignment group, with counts, and the self-service deflections of the range.
 * → 200 {range, all: {good, bad, total, goodPct}, byTeam: [{team, …}], deflections}.
 * Errors: 400 (bad dates, from after to, over 731 days), 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read", query: StatsQuerySchema }, async ({ query }) => getCsatStats(await getDb(), resolveRange(query)));
