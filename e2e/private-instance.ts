import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import postgres from "postgres";

/*
 * A private Switchboard instance for e2e tests that need settings the shared e2e server
 * (scripts/e2e.mjs serve: demo data, no SMTP/IMAP, no test clock) cannot have: the same production build
 * (`next start`) on its own port, data folder and database, with extra environment.
 *  - DATABASE_URL set: a fresh scratch database `<prefix>_<timestamp>_<hex>` on that server,
 *    dropped by stop();
 *  - DATABASE_URL unset: embedded PGlite under the instance's own DATA_DIR.
 * Users are created with scripts/user-create.mts before the server starts (PGlite belongs to
 * one process at a time).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const tsxCli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
/** Scripts resolve `server-only` through this hook (not the react-server condition, under which React Email cannot render). */
const serverOnlyHook = pathToFileURL(path.join(root, "scripts", "lib", "server-only-register.mjs")).href;

export { freePort, tailFile as tail } from "../scripts/lib/app-instance";
import { freePort, tailFile as tail } from "../scripts/lib/app-instance";

export interface InstanceUser {
  email: string;
  name: string;
  role: "agent" | "admin" | "requester";
  password: string;
}

export interface PrivateInstance {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Server stdout+stderr. */
  logFile: string;
  /** "PostgreSQL <db>" or "PGlite <dir>" */
  database: string;
  /** Stop the server (SIGTERM, then SIGKILL after 15 s), drop the scratch database; keeps the work folder when `keepFiles`. */
  stop(keepFiles: boolean): Promise<void>;
}

/**
 * Prepare a database, create `users`, start `next start` with `env` added, wait for /api/health.
 * @param opts.prefix names the work folder and the scratch database
 * @param opts.env extra server environment (SMTP_URL, IMAP_URL, SWITCHBOARD_TEST_CLOCK, …)
 * @throws Error with the server log's tail when the server exits or is not healthy within `healthTimeoutMs`.
 */
export async function startPrivateInstance(opts: {
  prefix: string;
  users: InstanceUser[];
  env: Record<string, string>;
  healthTimeoutMs?: number;
}): Promise<PrivateInstance> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `switchboard-${opts.prefix}-`));
  const baseUrl = process.env.DATABASE_URL;
  let dbName = "";
  const dbEnv: Record<string, string> = {};
  if (baseUrl) {
    dbName = `${opts.prefix}_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
    const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`CREATE DATABASE "${dbName}"`);
    } finally {
      await admin.end({ timeout: 5 });
    }
    const u = new URL(baseUrl);
    u.pathname = `/${dbName}`;
    dbEnv.DATABASE_URL = u.toString();
  }
  const dataDir = path.join(workDir, "data");
  // Without DATABASE_URL the scripts and the server share DATA_DIR (the PGlite files).
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1" };
  delete env.DATABASE_URL;
  Object.assign(env, dbEnv);

  for (const u of opts.users) {
    const r = spawnSync(
      process.execPath,
      [tsxCli, "--import", serverOnlyHook, path.join(root, "scripts", "user-create.mts"), "--email", u.email, "--name", u.name, "--role", u.role],
      { cwd: root, encoding: "utf8", timeout: 180_000, env: { ...env, SWITCHBOARD_PASSWORD: u.password } },
    );
    if (r.status !== 0) throw new Error(`user-create ${u.email} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(workDir, "server.log");
  const log = fs.openSync(logFile, "a");
  const child: ChildProcess = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "65000"], {
    cwd: root,
    stdio: ["ignore", log, log],
    env: {
      ...env,
      NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: url,
      S3_LOCAL_PORT: String(await freePort()),
      ...opts.env,
    },
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killNow = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killNow);

  const stop = async (keepFiles: boolean) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
      if (!done) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    process.removeListener("exit", killNow);
    if (dbName && baseUrl) {
      const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    }
    if (!keepFiles) fs.rmSync(workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.healthTimeoutMs ?? 180_000);
  let last = "no answer";
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the ${opts.prefix} instance exited (${child.exitCode}):\n${tail(logFile)}`);
      try {
        const res = await fetch(`${url}/api/health`);
        if (res.status === 200) break;
        last = `${res.status} ${await res.text()}`;
      } catch (err) {
        last = String(err);
      }
      if (Date.now() > deadline) throw new Error(`the ${opts.prefix} instance is not healthy (last: ${last}):\n${tail(logFile)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (err) {
    await stop(true);
    throw err;
  }
  return { url, logFile, database: dbName ? `PostgreSQL ${dbName}` : `PGlite ${dataDir}`, stop };
}
