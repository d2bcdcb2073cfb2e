import "server-only";
import crypto from "node:crypto";
import client from "prom-client";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { env } from "@/lib/env";
import { clientIp, type HeaderSource } from "@/lib/http/client-ip";
import { ApiError } from "@/lib/http/errors";
import { errorResponse } from "@/lib/http/route";
import { BOSS_SCHEMA } from "@/lib/jobs/boss";
import { logger } from "./logger";
import { metrics } from "./metrics";

/**
 * GET /api/metrics: who may scrape, and the exposition text.
 *
 * Access: with `METRICS_TOKEN` set, `Authorization: Bearer <token>` (compared in constant time)
 * from anywhere; unset, loopback callers only (127.0.0.1, ::1 — the client address as
 * lib/http/client-ip.ts resolves it, so a proxy's X-Forwarded-For counts only from TRUSTED_PROXIES).
 */
export type MetricsAccess = "ok" | "unauthorized" | "forbidden";

/** Whether `headers` carry `Authorization: Bearer <METRICS_TOKEN>` (constant-time compare); false while no token is set. */
export function hasMetricsToken(headers: Headers): boolean {
  const token = env().METRICS_TOKEN;
  if (!token) return false;
  const auth = headers.get("authorization") ?? "";
  const given = auth.startsWith("Bearer ") ? auth.slice(7) : "";
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(token).digest();
  return given !== "" && crypto.timingSafeEqual(a, b);
}

/** Decide whether a scrape request may read the metrics. */
export function metricsAccess(headers: HeaderSource & Headers): MetricsAccess {
  if (env().METRICS_TOKEN) return hasMetricsToken(headers) ? "ok" : "unauthorized";
  const ip = clientIp(headers);
  return ip === "127.0.0.1" || ip === "::1" ? "ok" : "forbidden";
}

/** The scrape waits at most this long (ms) for the job counts; a slow database leaves the gauge empty, never the scrape hung. */
const JOBS_QUERY_TIMEOUT_MS = 2000;

const g = globalThis as unknown as { __switchboardJobsGauge?: client.Gauge<"queue" | "state"> };

/**
 * `switchboard_jobs{queue, state}`: jobs in the queue tables by state (created, retry, active,
 * failed, cancelled), read at scrape time from pg-boss's job table (shared by all instances, so
 * every instance reports the same numbers: aggregate with max, not sum). Completed jobs are
 * counted by `switchboard_job_runs_total` instead. A failing or slow read (over
 * {@link JOBS_QUERY_TIMEOUT_MS}) leaves the gauge empty.
 */
function jobsGauge(): client.Gauge<"queue" | "state"> {
  g.__switchboardJobsGauge ??= new client.Gauge({
    name: "switchboard_jobs",
    help: "Jobs in the queue by queue and state (not completed), read from the shared job table at scrape time",
    labelNames: ["queue", "state"],
    registers: [metrics().registry],
    async collect() {
      this.reset();
      let timer: NodeJS.Timeout | undefined;
      try {
        const counts = await Promise.race([
          getDb().then((db) =>
            rows<{ queue: string; state: string; n: number }>(
              db,
              sql`SELECT name AS queue, state::text AS state, count(*)::int AS n FROM ${sql.identifier(BOSS_SCHEMA)}.job WHERE state <> 'completed' GROUP BY 1, 2`,
            ),
          ),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`job counts took over ${JOBS_QUERY_TIMEOUT_MS} ms`)), JOBS_QUERY_TIMEOUT_MS);
          }),
        ]);
        for (const c of counts) this.set({ queue: c.queue, state: c.state }, c.n);
      } catch (err) {
        logger.warn({ err }, "metrics: job counts unavailable");
      } finally {
        clearTimeout(timer);
      }
    },
  });
  return g.__switchboardJobsGauge;
}

/** The Prometheus text exposition (content type {@link METRICS_CONTENT_TYPE}). */
export async function metricsText(): Promise<string> {
  jobsGauge();
  return metrics().registry.metrics();
}

/** Content type of the exposition: Prometheus text format 0.0.4. */
export const METRICS_CONTENT_TYPE = client.Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * Answer a scrape (GET /api/metrics): 401 `unauthorized` without the METRICS_TOKEN bearer when
 * one is set, 403 `forbidden` for non-loopback callers when none is set, else 200 with the
 * exposition text. It reads no session or API key, so it answers while the database is down
 * (only the job gauge then stays empty).
 */
export async function serveMetrics(req: Request): Promise<Response> {
  const access = metricsAccess(req.headers);
  if (access === "unauthorized") return errorResponse(new ApiError("unauthorized", "Send the metrics token (Authorization: Bearer <METRICS_TOKEN>)"), req);
  if (access === "forbidden") return errorResponse(new ApiError("forbidden", "Metrics answer loopback callers only unless METRICS_TOKEN is set"), req);
  return new Response(await metricsText(), { status: 200, headers: { "Content-Type": METRICS_CONTENT_TYPE, "Cache-Control": "no-store" } });
}
