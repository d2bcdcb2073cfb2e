import { json, route } from "@/lib/http/route";
import { getReadiness, maySeeReadinessDetails, publicReadiness } from "@/lib/observability/readiness";

export const dynamic = "force-dynamic";

/**
 * GET /api/health/ready — readiness: 200 `{status: "ready", checks}` when start-up finished and
 * the database, storage and job queue answer; 503 `{status: "not_ready", checks}` otherwise
 * (llm is reported, never required: triage falls back to the local model). Anonymous callers
 * (load balancers, Docker HEALTHCHECK) get each check's status; admins and monitors sending the
 * METRICS_TOKEN bearer also `version`, latencies (ms) and failure details. Probes are cached
 * 1 s and bounded by 2 s each.
 */
export const GET = route(
  { auth: "public", scope: "none", rateClass: "exempt", openapi: { summary: "Readiness: start-up finished and database, storage and queue answer (503 otherwise)", tags: ["operations"] } },
  async ({ principal, req }) => {
    const r = await getReadiness();
    return json(maySeeReadinessDetails(principal, req.headers) ? r : publicReadiness(r), r.status === "ready" ? 200 : 503, { "Cache-Control": "no-store" });
  },
);
