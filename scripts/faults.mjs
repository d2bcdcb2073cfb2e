#!/usr/bin/env node
/**
 * Fault-injection suites (npm run test:faults [-- <vitest args>]): builds the production app when
 * it is stale (the same rule as the e2e runner and the demo), then runs vitest with
 * vitest.faults.config.mts over tests/reliability/faults/. Runs on PGlite, or on PostgreSQL when
 * DATABASE_URL is set (each file makes its own scratch database there). Exit code: vitest's.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureProductionBuild } from "./lib/build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
ensureProductionBuild(root, { force: process.env.E2E_BUILD === "1", log: (m) => console.log(`[faults] ${m}`) });

const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const child = spawn(process.execPath, [vitest, "run", "--config", "vitest.faults.config.mts", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
