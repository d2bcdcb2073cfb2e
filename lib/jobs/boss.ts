import "server-only";
import PgBoss from "pg-boss";
import { getDbHandle, sqlExecutor } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/** pg-boss keeps its tables in this schema, on PostgreSQL and PGlite alike. */
export const BOSS_SCHEMA = "pgboss";

const globalForBoss = globalThis as unknown as { __switchboardBoss?: Promise<PgBoss> };

/**
 * The process's pg-boss instance, started on first use (it installs or migrates its schema).
 * - PostgreSQL: its own small pool (3 connections) on `DATABASE_URL`.
 * - PGlite: runs its SQL through the app's embedded database (pg-boss accepts any `db` with
 *   `executeSql`), so jobs live in the same durable files and survive a restart.
 * @throws whatever pg-boss throws while starting (e.g. the database is unreachable).
 */
export function getBoss(): Promise<PgBoss> {
  globalForBoss.__switchboardBoss ??= startBoss().catch((err: unknown) => {
    globalForBoss.__switchboardBoss = undefined;
    throw err;
  });
  return globalForBoss.__switchboardBoss;
}

async function startBoss(): Promise<PgBoss> {
  const handle = await getDbHandle();
  const common = {
    schema: BOSS_SCHEMA,
    migrate: true,
    supervise: true,
    // Cron schedules (lib/jobs/handlers/index.ts SCHEDULES: the SLA breach sweep, OData pulls):
    // pg-boss's timekeeper sends each due schedule once per minute across all instances.
    schedule: true,
    // Completed jobs are kept 7 days for inspection, then archived and deleted by pg-boss.
    retentionDays: 14,
    archiveCompletedAfterSeconds: 7 * 86_400,
    // Expiring jobs whose process died happens on this beat (JOBS_MAINTENANCE_INTERVAL_S).
    maintenanceIntervalSeconds: env().JOBS_MAINTENANCE_INTERVAL_S,
  };
  const url = env().DATABASE_URL;
  const boss =
    handle.kind === "postgres" && url
      ? new PgBoss({ ...common, connectionString: url, max: 3, application_name: "switchboard-jobs" })
      : new PgBoss({ ...common, db: sqlExecutor(handle.db) as PgBoss.Db });
  boss.on("error", (err: unknown) => {
    metrics().backgroundErrors.inc({ task: "pg-boss" });
    logger.error({ err }, "job queue error");
  });
  await boss.start();
  return boss;
}

/** Stop pg-boss (waits up to `timeoutMs` for running jobs). Safe when it never started. */
export async function stopBoss(timeoutMs = 10_000): Promise<void> {
  const pending = globalForBoss.__switchboardBoss;
  globalForBoss.__switchboardBoss = undefined;
  if (!pending) return;
  const boss = await pending.catch(() => undefined);
  await boss?.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
}
