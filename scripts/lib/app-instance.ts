import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import postgres from "postgres";
import { postgresJsTarget } from "../../db/connection-url";

/*
 * Production app processes for the load run (scripts/load.mts) and the process-fault tests
 * (tests/reliability/faults/): the real build (`next start`) on its own port and DATA_DIR, with
 * the child process exposed so a caller can SIGKILL it and start it again on the same port,
 * data folder and database. Also: scratch PostgreSQL databases and the repo's CLI scripts
 * (user-create, apikey-create) run against the same database.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const tsxCli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const serverOnlyHook = pathToFileURL(path.join(root, "scripts", "lib", "server-only-register.mjs")).href;

/** A free TCP port on 127.0.0.1 (closed again before returning; used right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The last `bytes` of a log file, or "(no log)". */
export function tailFile(file: string, bytes = 6000): string {
  try {
    return fs.readFileSync(file, "utf8").slice(-bytes);
  } catch {
    return "(no log)";
  }
}

export interface ScratchDatabase {
  /** postgres://…/<name> */
  url: string;
  name: string;
  /** DROP DATABASE … WITH (FORCE). */
  drop(): Promise<void>;
}

/**
 * Create an empty database `<prefix>_<ms>_<hex>` on the server of `baseUrl` (a PostgreSQL URL
 * whose user may CREATE DATABASE).
 */
export async function createScratchDatabase(baseUrl: string, prefix: string): Promise<ScratchDatabase> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`unsafe database prefix ${prefix}`);
  const name = `${prefix}_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const t = postgresJsTarget(baseUrl);
  const admin = postgres(t.url, { max: 1, ...t.options, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const a = postgres(t.url, { max: 1, ...t.options, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}

/**
 * Where an app's data lives: `databaseUrl` for PostgreSQL, or unset for embedded PGlite in
 * `dataDir` (one process at a time). Scripts and servers given the same target share it.
 */
export interface DataTarget {
  databaseUrl?: string;
  dataDir: string;
}

function baseEnv(target: DataTarget): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATA_DIR: target.dataDir, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1" };
  delete env.DATABASE_URL;
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  return env;
}

/**
 * Run one of the repo's tsx scripts (`scripts/<script>`) on `target`; returns its stdout.
 * @throws Error with stdout and stderr when it exits non-zero or runs past 180 s.
 */
export function runAppScript(target: DataTarget, script: string, args: string[], extraEnv: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [tsxCli, "--import", serverOnlyHook, path.join(root, "scripts", script), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...baseEnv(target), ...extraEnv },
  });
  if (r.status !== 0) throw new Error(`${script} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Create a user with `password` (scripts/user-create.mts; migrates a fresh database first). */
export function createAppUser(target: DataTarget, u: { email: string; name: string; role: "agent" | "admin" | "requester"; password: string }): void {
  runAppScript(target, "user-create.mts", ["--email", u.email, "--name", u.name, "--role", u.role], { SWITCHBOARD_PASSWORD: u.password });
}

/** Create an API key (scripts/apikey-create.mts) and return it. */
export function createAppApiKey(target: DataTarget, opts: { name: string; role: "agent" | "admin"; scopes?: string[] }): string {
  const args = ["--name", opts.name, "--role", opts.role];
  if (opts.scopes) args.push("--scopes", opts.scopes.join(","));
  const lines = runAppScript(target, "apikey-create.mts", args).trim().split("\n");
  const key = lines[lines.length - 1].trim();
  if (!/^\S{20,}$/.test(key)) throw new Error(`apikey-create printed:\n${lines.join("\n")}`);
  return key;
}

export interface AppProcess {
  /** A label for logs ("A", "B", …). */
  name: string;
  /** http://127.0.0.1:<port> (the same across restarts). */
  url: string;
  port: number;
  /** Server stdout+stderr, appended across restarts. */
  logFile: string;
  /** The current `next start` process. */
  child(): ChildProcess;
  /** True while the current process has not exited. */
  running(): boolean;
  /** Send `signal` to the current process and wait for it to exit (SIGKILL: no clean-up runs). */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Start a new process on the same port, data and settings (after `kill`). */
  restart(): Promise<void>;
  /**
   * Poll `path` (default /api/health) every 250 ms until it answers 200.
   * @throws Error with the log's tail when the process exits or `timeoutMs` (default 180 s) passes.
   */
  waitFor(path?: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/**
 * Start `next start` on `target` with `env` added (NEXTAUTH_SECRET defaults to a random one:
 * pass the same one to instances that must accept each other's sessions). Does not wait: call
 * `waitFor()`. `nodeArgs`: extra node flags (e.g. `--cpu-prof`).
 */
export async function startApp(opts: { name: string; target: DataTarget; logDir: string; env?: Record<string, string>; nodeArgs?: string[] }): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(opts.logDir, `server-${opts.name}.log`);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(opts.target),
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    NEXTAUTH_URL: url,
    S3_LOCAL_PORT: String(await freePort()),
    ...opts.env,
  };
  let child!: ChildProcess;
  let exited!: Promise<void>;
  const spawnIt = () => {
    const log = fs.openSync(logFile, "a");
    child = spawn(process.execPath, [...(opts.nodeArgs ?? []), nextBin, "start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "65000"], {
      cwd: root,
      stdio: ["ignore", log, log],
      env,
    });
    fs.closeSync(log);
    const c = child;
    exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
  };
  const running = () => child.exitCode === null && child.signalCode === null;
  const killNow = () => {
    if (running()) child.kill("SIGKILL");
  };
  process.once("exit", killNow);
  spawnIt();

  const kill = async (signal: NodeJS.Signals) => {
    if (running()) child.kill(signal);
    await exited;
  };
  return {
    name: opts.name,
    url,
    port,
    logFile,
    child: () => child,
    running,
    kill,
    restart: async () => {
      if (running()) throw new Error(`instance ${opts.name} is still running`);
      spawnIt();
    },
    waitFor: async (p = "/api/health", timeoutMs = 180_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = "no answer";
      for (;;) {
        if (!running()) throw new Error(`instance ${opts.name} exited (${child.exitCode ?? child.signalCode}):\n${tailFile(logFile)}`);
        try {
          const res = await fetch(`${url}${p}`, { signal: AbortSignal.timeout(10_000) });
          if (res.status === 200) return;
          last = `${res.status} ${(await res.text()).slice(0, 300)}`;
        } catch (err) {
          last = String(err);
        }
        if (Date.now() > deadline) throw new Error(`instance ${opts.name}: ${p} not 200 after ${timeoutMs} ms (last: ${last}):\n${tailFile(logFile)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop: async () => {
      if (running()) {
        child.kill("SIGTERM");
        const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
        if (!done) await kill("SIGKILL");
      }
      process.removeListener("exit", killNow);
    },
  };
}
