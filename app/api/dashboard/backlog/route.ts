import { getDb } from "@/db/client";
import { getBacklog } from "@/lib/dashboard/backlog";
import { BacklogQuerySchema } from "@/lib/dashboard/schemas";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/dashboard/backlog — agents and admins. Unsolved tickets now (new, open, in
 * progress, waiting) by status, assignment group and age bucket (< 1 day, 1–3, 3–7, 7–30,
 * > 30 days), each count with `href`, the ticket list filtered to exactly those tickets.
 * → 200 {now, total: {n, href}, byAge, byStatus, byTeam}. Errors: 400 (any parameter), 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read", query: BacklogQuerySchema }, async () => getBacklog(await getDb(), new Date()));
