#!/usr/bin/env node
/**
 * End-to-end test runner (npm run test:e2e [-- <playwright args>]).
 *
 *   node scripts/e2e.mjs [playwright args]   build if needed, check Chromium, run Playwright
 *   node scripts/e2e.mjs serve               (used by playwright.config.ts) start the server under test
 *
 * Run mode:
 *  - builds with `next build` when .next/BUILD_ID is missing or older than any source file,
 *    or always with E2E_BUILD=1;
 *  - checks that Chromium exists (CHROMIUM_PATH, default /usr/bin/chromium) and installs it
 *    with apt-get when running as root, else explains how and exits 1;
 *  - picks a free port in 3100–3199 (or E2E_PORT) and a fresh data folder (E2E_DATA_DIR);
 *  - runs `playwright test` with the remaining arguments; removes the data folder after a
 *    passing run unless E2E_KEEP_DATA=1.
 *
 * Serve mode: with DATABASE_URL set, creates a fresh database `e2e_<timestamp>` on that
 * server and drops it when the server stops (keep it with E2E_KEEP_DB=1); seeds the demo data
 * (scripts/demo-seed.mts, the same step as `npm run demo`, finished before the server opens the
 * database); then runs `next start` on 127.0.0.1:$E2E_PORT with public submissions on.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureProductionBuild, seedDemoData } from "./lib/build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const log = (msg) => console.log(`[e2e] ${msg}`);

// Route-class rate limits (RATE_LIMIT_*_PER_MIN) would throttle one demo user driving many
// specs for minutes; rate limiting is tested by vitest (tests/security/rate-limit-classes.test.ts).
for (const c of ["READ", "WRITE", "CLASSIFY", "AUTH"]) process.env[`RATE_LIMIT_${c}_PER_MIN`] ??= "1000000";

if (process.argv[2] === "serve") await serve();
else await run(process.argv.slice(2));

// ---------------------------------------------------------------- run mode

async function run(playwrightArgs) {
  ensureProductionBuild(root, { force: process.env.E2E_BUILD === "1", log });

  ensureChromium();

  const port = process.env.E2E_PORT ? Number(process.env.E2E_PORT) : await freePort(3100, 3199);
  const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-e2e-"));
  log(`server on http://127.0.0.1:${port}, data in ${dataDir}${process.env.DATABASE_URL ? " (PostgreSQL from DATABASE_URL)" : " (embedded PGlite)"}`);

  const playwrightCli = path.join(root, "node_modules", "@playwright", "test", "cli.js");
  const child = spawn(process.execPath, [playwrightCli, "test", ...playwrightArgs], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, E2E_PORT: String(port), E2E_DATA_DIR: dataDir },
  });
  const forward = (sig) => child.kill(sig);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  const code = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(c ?? (sig ? 1 : 0))));
  if (code === 0 && !process.env.E2E_KEEP_DATA && !process.env.E2E_DATA_DIR) {
    fs.rmSync(dataDir, { recursive: true, force: true });
  } else if (code !== 0) {
    log(`kept the server data in ${dataDir} for inspection`);
  }
  process.exit(code);
}

/** True when .next/BUILD_ID is missing or older than the newest source file (or E2E_BUILD=1). */
function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (fs.existsSync(chromium)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (!process.env.CHROMIUM_PATH && isRoot && hasApt) {
    log("Chromium is missing; installing it with apt-get (about 30 s)…");
    const r = spawnSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"], {
      stdio: "inherit",
    });
    if (r.status === 0 && fs.existsSync(chromium)) return;
    console.error("[e2e] installing Chromium failed (see above).");
    process.exit(1);
  }
  console.error(
    [
      `[e2e] Chromium was not found at ${chromium}.`,
      "Playwright's own browser download is not used here; install the distribution's Chromium:",
      "    sudo apt-get update && sudo apt-get install -y chromium",
      "or point CHROMIUM_PATH at an existing Chromium/Chrome binary:",
      "    CHROMIUM_PATH=/path/to/chrome npm run test:e2e",
    ].join("\n"),
  );
  process.exit(1);
}

function freePort(from, to) {
  return new Promise((resolve, reject) => {
    const attempt = (port) => {
      if (port > to) return reject(new Error(`no free port in ${from}-${to}`));
      const srv = net.createServer();
      srv.once("error", () => attempt(port + 1));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(port)));
    };
    attempt(from);
  });
}

// ---------------------------------------------------------------- serve mode

async function serve() {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const env = { ...process.env, NODE_ENV: "production", PUBLIC_SUBMISSIONS: process.env.PUBLIC_SUBMISSIONS ?? "true" };
  let dropDatabase = null;

  if (process.env.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const name = `e2e_${Date.now()}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    await admin.end({ timeout: 5 });
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    console.log(`[e2e] created database ${name}`);
    if (!process.env.E2E_KEEP_DB) {
      dropDatabase = async () => {
        const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
        try {
          await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          console.log(`[e2e] dropped database ${name}`);
        } catch (err) {
          console.error(`[e2e] could not drop database ${name}: ${err.message}`);
        } finally {
          await sql.end({ timeout: 5 });
        }
      };
    }
  }

  seedDemoData(root, env, { log: (m) => console.log(`[e2e] ${m}`) });

  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "65000"], { cwd: root, stdio: "inherit", env });
  let stopping = false;
  const stop = (sig) => {
    if (stopping) return;
    stopping = true;
    child.kill(sig);
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  const code = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(c ?? (sig ? 0 : 1))));
  if (dropDatabase) await dropDatabase();
  process.exit(code);
}
