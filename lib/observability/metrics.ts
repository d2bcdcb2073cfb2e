import client from "prom-client";

/**
 * Process-wide Prometheus metrics (prom-client). One registry per process, kept on globalThis
 * because Next.js may load this module more than once; served at GET /api/metrics
 * (lib/observability/metrics-endpoint.ts) with the default process metrics (prefix
 * `switchboard_`) and the job queue gauge collected at scrape time.
 */
interface Metrics {
  registry: client.Registry;
  /** Failures of background work (periodic tasks, cache refreshes, dispatch), by task. */
  backgroundErrors: client.Counter<"task">;
  /** Job handler runs by queue and outcome (`done`, `skipped` = already done for that event, `failed`). */
  jobRuns: client.Counter<"queue" | "outcome">;
  /** Domain events turned into jobs. */
  eventsDispatched: client.Counter<"type">;
  /** LLM tokens billed, by provider, kind (prompt, completion) and outcome (ok, or the fallback reason). */
  llmTokens: client.Counter<"provider" | "kind" | "outcome">;
  /** Estimated LLM cost in USD, by provider and outcome. */
  llmCostUsd: client.Counter<"provider" | "outcome">;
  /** External push attempts by target kind and outcome (done, found, retry, dead, skipped). */
  pushes: client.Counter<"kind" | "outcome">;
  /** API request processing time in seconds, by method, route template and status class. */
  httpDuration: client.Histogram<"method" | "route" | "status">;
  /** Tickets created, by source (web, email, api, webhook, …) and category slug. */
  ticketsCreated: client.Counter<"source" | "category">;
  /** Triage confidence (0–1) of each classification, by provider. */
  confidence: client.Histogram<"provider">;
  /** Outgoing calls to other systems by target (jira, slack, webhook, llm, smtp, …) and result. */
  externalCalls: client.Counter<"target" | "result">;
  /** Job attempts that failed and will be retried, by queue. */
  retries: client.Counter<"queue">;
  /** SLA breaches recorded by the sweep, by metric (first_response, resolution). */
  slaBreaches: client.Counter<"metric">;
}

const globalForMetrics = globalThis as unknown as { __switchboardMetrics?: Metrics };

/** The process's metrics, created on first use. */
export function metrics(): Metrics {
  if (globalForMetrics.__switchboardMetrics) return globalForMetrics.__switchboardMetrics;
  const registry = new client.Registry();
  const m: Metrics = {
    registry,
    backgroundErrors: new client.Counter({
      name: "switchboard_background_errors_total",
      help: "Failures of background work (periodic tasks, cache refreshes, event dispatch), by task",
      labelNames: ["task"],
      registers: [registry],
    }),
    jobRuns: new client.Counter({
      name: "switchboard_job_runs_total",
      help: "Job handler runs by queue and outcome (done, skipped, failed)",
      labelNames: ["queue", "outcome"],
      registers: [registry],
    }),
    eventsDispatched: new client.Counter({
      name: "switchboard_events_dispatched_total",
      help: "Domain events dispatched to job queues, by event type",
      labelNames: ["type"],
      registers: [registry],
    }),
    llmTokens: new client.Counter({
      name: "switchboard_llm_tokens_total",
      help: "LLM tokens billed (answers that failed the JSON or schema check included), by provider, kind and outcome",
      labelNames: ["provider", "kind", "outcome"],
      registers: [registry],
    }),
    llmCostUsd: new client.Counter({
      name: "switchboard_llm_cost_usd_total",
      help: "Estimated LLM cost in USD (failed answers included), by provider and outcome",
      labelNames: ["provider", "outcome"],
      registers: [registry],
    }),
    pushes: new client.Counter({
      name: "switchboard_external_pushes_total",
      help: "External push attempts by target kind and outcome (done, found = an earlier attempt's record was looked up, retry, dead, skipped)",
      labelNames: ["kind", "outcome"],
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: "switchboard_http_request_duration_seconds",
      help: "API request processing time in seconds, by method, route template and status class",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    ticketsCreated: new client.Counter({
      name: "switchboard_tickets_created_total",
      help: "Tickets created, by source and category",
      labelNames: ["source", "category"],
      registers: [registry],
    }),
    confidence: new client.Histogram({
      name: "switchboard_classification_confidence",
      help: "Triage confidence (0-1) of each classification, by provider",
      labelNames: ["provider"],
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
      registers: [registry],
    }),
    externalCalls: new client.Counter({
      name: "switchboard_external_calls_total",
      help: "Outgoing calls to other systems, by target and result (ok, http_4xx, http_5xx, timeout, error)",
      labelNames: ["target", "result"],
      registers: [registry],
    }),
    retries: new client.Counter({
      name: "switchboard_retries_total",
      help: "Job attempts that failed and will be retried, by queue",
      labelNames: ["queue"],
      registers: [registry],
    }),
    slaBreaches: new client.Counter({
      name: "switchboard_sla_breaches_total",
      help: "SLA breaches recorded by the breach sweep, by metric",
      labelNames: ["metric"],
      registers: [registry],
    }),
  };
  client.collectDefaultMetrics({ register: registry, prefix: "switchboard_" });
  // prom-client's active handles/requests/resources are gauges named `*_total`, which
  // Prometheus's lint (promtool check metrics) rejects: left out.
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    if (type === "gauge" && name.endsWith("_total")) registry.removeSingleMetric(name);
  }
  globalForMetrics.__switchboardMetrics = m;
  return m;
}

/**
 * Count an LLM call's billed usage: tokens and cost, whether its answer was used (`ok`) or
 * rejected (`outcome` = the fallback reason, e.g. `invalid_json`).
 */
export function countLlmUsage(provider: string, outcome: string, usage: { promptTokens: number; completionTokens: number; costUsd: number }): void {
  const m = metrics();
  m.externalCalls.inc({ target: "llm", result: outcome });
  if (usage.promptTokens) m.llmTokens.inc({ provider, kind: "prompt", outcome }, usage.promptTokens);
  if (usage.completionTokens) m.llmTokens.inc({ provider, kind: "completion", outcome }, usage.completionTokens);
  if (usage.costUsd) m.llmCostUsd.inc({ provider, outcome }, usage.costUsd);
}

/** Current value of a counter for one label set (tests and health details). */
export async function counterValue(counter: client.Counter<string>, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return hit?.value ?? 0;
}

/**
 * Record one handled API request: its duration (ms, observed in seconds) by method, route
 * template and status class. Filled by the operations lane (processing time by route).
 */
export function observeRoute(method: string, route: string, status: number, durationMs: number): void {
  const m = metrics();
  m.httpDuration.observe({ method, route, status: `${Math.floor(status / 100)}xx` }, durationMs / 1000);
}

/** Count one outgoing call to another system (`target`: jira, slack, webhook, llm, smtp, …). */
export function countExternalCall(target: string, result: string): void {
  metrics().externalCalls.inc({ target, result });
}
