#!/usr/bin/env node
/**
 * `npm test`: every test. 1) vitest (unit + integration; on PGlite, and on PostgreSQL too
 * when DATABASE_URL is set — each test file gets its own database there); 2) the Playwright
 * e2e on a production build in Debian's Chromium (scripts/e2e.mjs installs chromium with
 * apt-get when run as root, or says how).
 * Flags: --unit (vitest only), --e2e (e2e only).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const args = new Set(process.argv.slice(2));
const runUnit = !args.has("--e2e");
const runE2e = !args.has("--unit");

function run(cmd, argv, env = {}) {
  console.log(`\n$ ${[cmd, ...argv].join(" ")}`);
  const r = spawnSync(cmd, argv, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${argv.join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

const db = process.env.DATABASE_URL ? `PostgreSQL (${new URL(process.env.DATABASE_URL).host})` : "PGlite";
if (runUnit) {
  console.log(`Unit and integration tests on ${db}`);
  run(process.execPath, [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run"]);
}
if (runE2e) {
  console.log(`End-to-end tests (production build, Chromium) on ${db}`);
  run(process.execPath, [path.join(root, "scripts", "e2e.mjs")]);
}
