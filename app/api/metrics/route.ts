import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { METRICS_CONTENT_TYPE, metricsAccess, metricsText } from "@/lib/observability/metrics-endpoint";

export const dynamic = "force-dynamic";

/**
 * GET /api/metrics — Prometheus text format (prom-client): tickets created, triage confidence,
 * request duration by route, external calls, retries, LLM tokens and cost, jobs by queue and
 * state, SLA breaches, process metrics. With METRICS_TOKEN set: `Authorization: Bearer <token>`
 * required (401 otherwise); unset: loopback callers only (403 otherwise).
 */
export const GET = route(
  { auth: "public", scope: "none", rateClass: "exempt", openapi: { summary: "Prometheus metrics (bearer METRICS_TOKEN, or loopback only when unset)", tags: ["operations"] } },
  async ({ req }) => {
    const access = metricsAccess(req.headers);
    if (access === "unauthorized") throw new ApiError("unauthorized", "Send the metrics token (Authorization: Bearer <METRICS_TOKEN>)");
    if (access === "forbidden") throw new ApiError("forbidden", "Metrics answer loopback callers only unless METRICS_TOKEN is set");
    return new Response(await metricsText(), { status: 200, headers: { "Content-Type": METRICS_CONTENT_TYPE, "Cache-Control": "no-store" } });
  },
);
