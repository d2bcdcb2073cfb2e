import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { StatsQuerySchema } from "@/lib/tickets/schemas";
import { getTicketStats } from "@/lib/tickets/stats";

export const dynamic = "force-dynamic";

/**
 * GET /api/tickets/stats?from=YYYY-MM-DD&to=YYYY-MM-DD — agents only. Tickets created in
 * the inclusive UTC-day range (default: last 90 days). → 200 {range, total, byStatus,
 * byPriority, byCategory, byTeam, firstResponse, resolution ({count, meanS, p50S, p90S},
 * seconds), perDay: [{day, count}]}. Exact and current (rollups + pending deltas).
 * Errors: 400 (bad dates, from after to, a range over 731 days), 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read", query: StatsQuerySchema }, async ({ query }) =>
  getTicketStats(await getDb(), query),
);
