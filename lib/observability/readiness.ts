import "server-only";
import { HeadObjectCommand, type S3ServiceException } from "@aws-sdk/client-s3";
import { sql } from "drizzle-orm";
import { getDbHandle, rows } from "@/db/client";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { storage } from "@/lib/files/storage/s3";
import { BOSS_SCHEMA } from "@/lib/jobs/boss";
import { llmConfig } from "@/lib/llm/config";
import { localModelVersion } from "@/lib/triage/local-classifier";
import { hasMetricsToken } from "./metrics-endpoint";
import pkg from "@/package.json" with { type: "json" };

/**
 * Readiness (GET /api/health/ready): may this instance take traffic? It is ready when start-up
 * finished (migrations, reference data, model load, workers started; lib/server-start.ts) and
 * its required dependencies answer: the database, the object store and the job queue. The LLM
 * is reported but never required: without it triage falls back to the local model
 * (seed 001's `dependencies`: database, storage, queue, llm).
 */
export type CheckStatus = "ok" | "fail";

export interface DependencyCheck {
  status: CheckStatus;
  /** Whether a failure makes the instance not ready. */
  required: boolean;
  latencyMs?: number;
  /** What failed, or what is in use (driver, provider); shown to staff and metrics scrapers only. */
  detail?: string;
}

export interface Readiness {
  status: "ready" | "not_ready";
  version: string;
  checks: { startup: DependencyCheck; database: DependencyCheck; storage: DependencyCheck; queue: DependencyCheck; llm: DependencyCheck };
}

type StartupState = { state: "starting" } | { state: "ready"; at: number } | { state: "failed"; error: string };
const g = globalThis as unknown as { __switchboardStartup?: StartupState; __switchboardReadiness?: { at: number; result: Promise<Readiness> } };

/** Mark start-up as finished (end of startServer) or failed; readiness answers 503 until `ready`. */
export function markStartup(state: "ready" | "failed", error?: unknown): void {
  g.__switchboardStartup = state === "ready" ? { state, at: Date.now() } : { state, error: error instanceof Error ? error.message : String(error) };
  g.__switchboardReadiness = undefined;
}

/** Forget the start-up state and the cached probe (tests). */
export function resetReadinessForTests(): void {
  g.__switchboardStartup = undefined;
  g.__switchboardReadiness = undefined;
}

/** How long a readiness result is reused, in ms (load balancers poll every few seconds). */
const TTL_MS = 1000;
/** Each dependency probe's deadline, in ms: a hung dependency answers "fail", not a hung probe. */
export const PROBE_TIMEOUT_MS = 2000;

async function timed(required: boolean, probe: () => Promise<string | undefined>): Promise<DependencyCheck> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { status: "ok", required, latencyMs: Math.round((performance.now() - t0) * 100) / 100, ...(detail ? { detail } : {}) };
  } catch (err) {
    return { status: "fail", required, detail: err instanceof Error ? err.message.slice(0, 300) : String(err).slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

async function probe(): Promise<Readiness> {
  const st = g.__switchboardStartup ?? { state: "starting" as const };
  const startup: DependencyCheck =
    st.state === "ready" ? { status: "ok", required: true } : { status: "fail", required: true, detail: st.state === "failed" ? `start-up failed: ${st.error}` : "starting" };
  const [database, storageCheck, queue, llm] = await Promise.all([
    timed(true, async () => {
      const h = await getDbHandle();
      await h.db.execute(sql`select 1`);
      return h.kind;
    }),
    timed(true, async () => {
      const s = await storage();
      // HEAD of a key that need not exist: a signed answer (200, or 404 for a missing key)
      // proves the store is up and our credentials work; 403 or no answer is a failure.
      // (Bucket-level calls are not used: the embedded S3 server rejects their signatures.)
      try {
        await s.client.send(new HeadObjectCommand({ Bucket: s.bucket, Key: ".switchboard-readiness" }), { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      } catch (err) {
        if ((err as S3ServiceException).$metadata?.httpStatusCode !== 404) throw err;
      }
      return s.local ? "local" : "s3";
    }),
    timed(true, async () => {
      // The queue lives in the database (pg-boss): its schema must be installed and readable.
      const h = await getDbHandle();
      const [v] = await rows<{ version: number }>(h.db, sql`SELECT version FROM ${sql.identifier(BOSS_SCHEMA)}.version LIMIT 1`);
      if (!v) throw new Error("the job queue schema is not installed");
      return `pg-boss schema v${v.version}`;
    }),
    timed(false, async () => {
      // No paid call per probe: the configured provider is reported; the local model must be loaded.
      const version = localModelVersion();
      const c = llmConfig();
      return c ? `${c.provider} ${c.model} (local model ${version} as fallback)` : `local model ${version}`;
    }),
  ]);
  const checks = { startup, database, storage: storageCheck, queue, llm };
  const ready = Object.values(checks).every((c) => c.status === "ok" || !c.required);
  return { status: ready ? "ready" : "not_ready", version: pkg.version, checks };
}

/**
 * Probe readiness (cached {@link TTL_MS} ms, each dependency bounded by {@link PROBE_TIMEOUT_MS}).
 * @returns `ready` only when start-up finished and database, storage and queue answer.
 */
export async function getReadiness(): Promise<Readiness> {
  const now = Date.now();
  let cached = g.__switchboardReadiness;
  if (!cached || now - cached.at > TTL_MS) {
    cached = { at: now, result: probe() };
    g.__switchboardReadiness = cached;
  }
  return cached.result;
}

/** What anonymous callers see: the overall status and each check's status (no versions or error texts). */
export function publicReadiness(r: Readiness): { status: Readiness["status"]; checks: Record<string, CheckStatus> } {
  return { status: r.status, checks: Object.fromEntries(Object.entries(r.checks).map(([k, c]) => [k, c.status])) };
}

/** Whether a caller may see readiness details (version, latencies, failure texts): admins, and monitors sending the METRICS_TOKEN bearer. */
export function maySeeReadinessDetails(principal: Principal | null, headers: Headers): boolean {
  return hasRole(principal, "admin") || hasMetricsToken(headers);
}
