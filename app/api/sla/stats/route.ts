import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { slaNow } from "@/lib/sla/now";
import { resolveSlaStatsRange, SlaStatsQuerySchema } from "@/lib/sla/stats-schema";
import { slaStats } from "@/lib/sla/stats";

export const dynamic = "force-dynamic";

/**
 * GET /api/sla/stats?from=&to= — agents and admins. SLA figures for [from, to) (ISO dates =
 * whole UTC days, or ISO date-times; default the last 30 UTC days) and the backlog at the SLA
 * clock's now. → 200 {range, now, met: {all, byPriority, byTeam} ({met, breached, total,
 * metPct}), breaches, breachesPerDay: [{day, first_response, next_response, resolution, total}],
 * businessTime: {firstResponse, resolution} ({count, meanS, meanTargetS, withinTarget}, business
 * seconds), backlog: {atRisk, breached, byPriority, links}}. Definitions: docs/SLA.md "Reporting".
 * Errors: 400 (bad dates, from not before to, a range over 366 days, unknown parameters), 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read", query: SlaStatsQuerySchema }, async ({ query }) => {
  const db = await getDb();
  const now = await slaNow(db);
  return slaStats(db, { ...resolveSlaStatsRange(query, now), now });
});
