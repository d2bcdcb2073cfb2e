import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createAppApiKey, createAppUser, createScratchDatabase, startApp, tailFile, type AppProcess, type ScratchDatabase } from "../../../scripts/lib/app-instance";

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** One production instance on a scratch PostgreSQL database, set up to be killed and restarted. */
export interface KillableApp {
  app: AppProcess;
  /** A direct connection to the scratch database (for staging and checks). */
  sql: postgres.Sql;
  /** Headers of an admin API key: `authorization` and a JSON `content-type`. */
  headers: Record<string, string>;
  /** Stop the app, drop the database; on failure print the instance log and keep the work folder. */
  close(failed: boolean): Promise<void>;
}

/**
 * Start `next start` (the production build) on a new scratch database with an admin user and key,
 * high rate limits, and `JOBS_EXPIRE_CAP_S=10` + `JOBS_MAINTENANCE_INTERVAL_S=2` so a killed
 * process's jobs come back within seconds after `app.restart()`. `env` adds settings (SMTP…).
 * Resolves once readiness answers 200.
 */
export async function startKillableApp(name: string, env: Record<string, string> = {}): Promise<KillableApp> {
  const tag = name.replaceAll("-", "_");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `switchboard-faults-${name}-`));
  const db: ScratchDatabase = await createScratchDatabase(ADMIN_URL, `faults_${tag}`);
  const sql = postgres(db.url, { max: 3, onnotice: () => {} });
  let app: AppProcess | null = null;
  const close = async (failed: boolean) => {
    await app?.stop();
    if (failed && app) console.log(`[faults/${name}] instance log (${app.logFile}):\n${tailFile(app.logFile)}`);
    await sql.end({ timeout: 5 });
    await db.drop();
    if (!failed) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const cli = { databaseUrl: db.url, dataDir: path.join(dir, "cli") };
    createAppUser(cli, { email: `${name}-admin@corp.test`, name: `${name} admin`, role: "admin", password: crypto.randomBytes(12).toString("base64url") });
    const adminKey = createAppApiKey(cli, { name: `${name}-admin`, role: "admin" });
    app = await startApp({
      name,
      target: { databaseUrl: db.url, dataDir: path.join(dir, "data") },
      logDir: dir,
      env: { RATE_LIMIT_READ_PER_MIN: "100000", RATE_LIMIT_WRITE_PER_MIN: "100000", JOBS_EXPIRE_CAP_S: "10", JOBS_MAINTENANCE_INTERVAL_S: "2", ...env },
    });
    await app.waitFor("/api/health/ready");
    return { app, sql, headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" }, close };
  } catch (err) {
    await close(true);
    throw err;
  }
}
