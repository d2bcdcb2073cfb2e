import { getDb } from "@/db/client";
import { getDashboardSummary } from "@/lib/dashboard/summary";
import { route } from "@/lib/http/route";
import { StatsQuerySchema } from "@/lib/tickets/schemas";
import { resolveRange } from "@/lib/tickets/stats";

export const dynamic = "force-dynamic";

/**
 * GET /api/dashboard/summary?from=YYYY-MM-DD&to=YYYY-MM-DD — agents and admins. The headline
 * figures of the inclusive UTC-day range (default the last 90 days) next to the previous
 * period of equal length: created, resolved, firstResponseP50S, resolutionP50S (seconds),
 * csatGoodPct (0–100), deflections, each {unit, current, previous, change: {delta, pct,
 * direction}, href?}. → 200 {range, previous, figures}. Errors: 400 (bad dates, from after to,
 * over 731 days), 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read", query: StatsQuerySchema }, async ({ query }) =>
  getDashboardSummary(await getDb(), resolveRange(query)),
);
