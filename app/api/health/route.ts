import { isStaff } from "@/lib/auth/principal";
import { json, route } from "@/lib/http/route";
import { getHealth, publicHealth } from "@/lib/observability/health";

export const dynamic = "force-dynamic";

/**
 * GET /api/health — liveness/readiness. Anonymous callers (load balancers, Docker) get
 * `{status}` only: 200 "ok" or 503 "degraded". Agents and admins (session or API key) also get
 * `version` and `checks` (database driver, latency, error details; model version). The
 * database probe is cached for 1 s so health polling cannot load the database.
 */
export const GET = route({ auth: "public", scope: "none" }, async ({ principal }) => {
  const h = await getHealth();
  return json(isStaff(principal) ? h : publicHealth(h), h.status === "ok" ? 200 : 503, { "Cache-Control": "no-store" });
});
