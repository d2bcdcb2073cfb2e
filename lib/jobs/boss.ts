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
 * The process's working pg-boss instance, started on first use (it installs or migrates its
 * schema, supervises and schedules; see `newBoss`).
 * @throws whatever pg-boss throws while starting (e.g. the database is unreachable).
 */
export function getBoss(): Promise<PgBoss> {
  globalForBoss.__switchboardBoss ??= startBoss().catch((err: unknown) => {
    globalForBoss.__switchboardBoss = undefined;
    throw err;
  });
  return globalForBoss.__switchboardBoss;
}

/**
 * A new, unstarted pg-boss on the app's database.
 * - PostgreSQL: its own small pool (3 connections) on `DATABASE_URL`.
 * - PGlite: runs its SQL through the app's embedded database (pg-boss accepts any `db` with
 *   `executeSql`), so jobs live in the same durable files and survive a restart.
 * @param role `worker`: supervises (expiry, archiving) and keeps the cron schedules;
 *   `install`: only installs or migrates the schema when started (a web-only instance).
 */
async function newBoss(role: "worker" | "install"): Promise<PgBoss> {
  const handle = await getDbHandle();
  const worker = role === "worker";
  const common = {
    schema: BOSS_SCHEMA,
    migrate: true,
    supervise: worker,
    // Cron schedules (lib/jobs/handlers/index.ts SCHEDULES: the SLA breach sweep, OData pulls):
    // pg-boss's timekeeper sends each due schedule once per minute across all instances.
    schedule: worker,
    // Completed jobs are kept 7 days for inspection, then archived and deleted by pg-boss.
    retentionDays: 14,
    archiveCompletedAfterSeconds: 7 * 86_400,
    // Expiring jobs whose process died happens on this beat (JOBS_MAINTENANCE_INTERVAL_S).
    maintenanceIntervalSeconds: env().JOBS_MAINTENANCE_INTERVAL_S,
  };
  const url = env().DATABASE_URL;
  const boss =
    handle.kind === "postgres" && url
      ? new PgBoss({ ...common, connectionString: url, max: worker ? 3 : 1, application_name: "switchboard-jobs" })
      : new PgBoss({ ...common, db: sqlExecutor(handle.db) as PgBoss.Db });
  boss.on("error", (err: unknown) => {
    metrics().backgroundErrors.inc({ task: "pg-boss" });
    logger.error({ err }, "job queue error");
  });
  return boss;
}

async function startBoss(): Promise<PgBoss> {
  const boss = await newBoss("worker");
  await boss.start();
  return boss;
}

/**
 * For a web-only instance (`JOBS_WORKERS=0`): install or migrate pg-boss's schema (pg-boss does
 * it under its own advisory lock), run `setup` with that pg-boss (creating the queues), then stop
 * it and close its connection. Requests enqueue tasks into those queues (lib/jobs/tasks.ts), so
 * a web-only instance must not depend on a worker having started first.
 * @throws whatever pg-boss or `setup` throws (e.g. the database is unreachable).
 */
export async function installQueueSchema(setup: (boss: PgBoss) => Promise<void>): Promise<void> {
  const boss = await newBoss("install");
  await boss.start();
  try {
    await setup(boss);
  } finally {
    await boss.stop({ graceful: false, close: true, wait: true });
  }
}

/** Stop pg-boss (waits up to `timeoutMs` for running jobs). Safe when it never started. */
export async function stopBoss(timeoutMs = 10_000): Promise<void> {
  const pending = globalForBoss.__switchboardBoss;
  globalForBoss.__switchboardBoss = undefined;
  if (!pending) return;
  const boss = await pending.catch(() => undefined);
  await boss?.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
}
