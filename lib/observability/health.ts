import pkg from "@/package.json" with { type: "json" };

/**
 * Liveness (GET /api/health): the process is up and answering. It never probes dependencies:
 * an orchestrator restarting a process because the database is briefly down would only make
 * things worse. Whether the instance may take traffic is readiness (lib/observability/readiness.ts,
 * GET /api/health/ready).
 */
export interface Liveness {
  status: "ok";
  version: string;
  /** Seconds since the process started. */
  uptimeS: number;
}

/** This process's liveness: always `ok` while it can answer. */
export function getLiveness(): Liveness {
  return { status: "ok", version: pkg.version, uptimeS: Math.round(process.uptime()) };
}
