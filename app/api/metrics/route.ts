import { serveMetrics } from "@/lib/observability/metrics-endpoint";

export const dynamic = "force-dynamic";

/**
 * GET /api/metrics — Prometheus text format (prom-client): tickets created, triage confidence,
 * request duration by route, external calls, retries, LLM tokens and cost, jobs by queue and
 * state, SLA breaches, process metrics. With METRICS_TOKEN set: `Authorization: Bearer <token>`
 * required (401 otherwise); unset: loopback callers only (403 otherwise).
 *
 * Outside route() on purpose: route() would look the bearer token up as an API key in the
 * database, and metrics must answer while the database is down.
 */
export function GET(req: Request): Promise<Response> {
  return serveMetrics(req);
}
