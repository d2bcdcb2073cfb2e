import { isStaff } from "@/lib/auth/principal";
import { json, route } from "@/lib/http/route";
import { getLiveness } from "@/lib/observability/health";

export const dynamic = "force-dynamic";

/**
 * GET /api/health — liveness: 200 while the process answers; it probes no dependency (that is
 * GET /api/health/ready). Anonymous callers get `{status: "ok"}`; agents and admins also
 * `version` and `uptimeS` (s).
 */
export const GET = route(
  { auth: "public", scope: "none", rateClass: "exempt", openapi: { summary: "Liveness: the process answers (no dependency is probed)", tags: ["operations"] } },
  async ({ principal }) => {
    const l = getLiveness();
    return json(isStaff(principal) ? l : { status: l.status }, 200, { "Cache-Control": "no-store" });
  },
);
