import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { listDepartments } from "@/lib/routing/employees/service";

export const dynamic = "force-dynamic";

/**
 * GET /api/departments (public) → 200 {items: [{slug, name}]}: the departments a ticket can be
 * filed for (pass `slug` as `team` to POST /api/tickets or the webhook) — the teams with at
 * least one active employee, or every team while no employee profile is active. Rate-limited per
 * caller (120 a minute).
 */
export const GET = route({ auth: "public", scope: "none", rateLimit: { name: "departments", limit: 120, windowMs: 60_000 } }, async () => ({
  items: await listDepartments(await getDb()),
}));
