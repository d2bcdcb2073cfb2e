import { sql } from "drizzle-orm";
import { getDbHandle } from "@/db/client";
import { localModelVersion } from "@/lib/triage/local-classifier";
import pkg from "@/package.json" with { type: "json" };

export interface HealthCheck {
  status: "ok" | "fail";
  latencyMs?: number;
  detail?: string;
}
export interface Health {
  status: "ok" | "degraded";
  version: string;
  checks: { database: HealthCheck & { driver?: string }; model: HealthCheck & { version?: string } };
}

/** How long a database probe result is reused, in ms. */
const DB_PROBE_TTL_MS = 1000;
const globalForHealth = globalThis as unknown as { __switchboardDbProbe?: { at: number; result: Promise<Health["checks"]["database"]> } };

async function probeDatabase(): Promise<Health["checks"]["database"]> {
  const t0 = performance.now();
  try {
    const h = await getDbHandle();
    await h.db.execute(sql`select 1`);
    return { status: "ok", driver: h.kind, latencyMs: Math.round((performance.now() - t0) * 100) / 100 };
  } catch (err) {
    return { status: "fail", detail: err instanceof Error ? err.message : String(err) };
  }
}

/** Liveness and readiness: database reachable (probe cached 1 s) and the local model loaded. */
export async function getHealth(): Promise<Health> {
  const now = Date.now();
  let probe = globalForHealth.__switchboardDbProbe;
  if (!probe || now - probe.at > DB_PROBE_TTL_MS) {
    probe = { at: now, result: probeDatabase() };
    globalForHealth.__switchboardDbProbe = probe;
  }
  const database = await probe.result;
  let model: Health["checks"]["model"];
  try {
    model = { status: "ok", version: localModelVersion() };
  } catch (err) {
    model = { status: "fail", detail: err instanceof Error ? err.message : String(err) };
  }
  const ok = database.status === "ok" && model.status === "ok";
  return { status: ok ? "ok" : "degraded", version: pkg.version, checks: { database, model } };
}

/** What anonymous callers see: the overall status only (no versions, drivers or error texts). */
export function publicHealth(h: Health): Pick<Health, "status"> {
  return { status: h.status };
}
