#!/usr/bin/env node
/**
 * `npm run demo`: build if needed, seed the demo data (demo users and ~300 hand-written tickets, on a
 * fresh database only), then serve the production build at http://localhost:$PORT (default 3000)
 * with public submissions on. Embedded defaults: PGlite under DATA_DIR (default .data/); with
 * DATABASE_URL set it uses (and seeds) that PostgreSQL database. This is the ONLY command that
 * creates the published demo accounts: `npm start` and the Docker image never do.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ensureProductionBuild, seedDemoData } from "./lib/build.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const port = process.env.PORT ?? "3000";
const nextBin = path.join(root, "node_modules", ".bin", "next");

ensureProductionBuild(root, { force: process.env.DEMO_BUILD === "1" });

const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  PUBLIC_SUBMISSIONS: process.env.PUBLIC_SUBMISSIONS ?? "true",
};
// Seed in its own process, which closes the database before `next start` opens it (PGlite is single-process).
seedDemoData(root, env);
if (!process.env.DATABASE_URL) console.log(`Embedded database: ${path.resolve(process.env.DATA_DIR ?? ".data")}/pglite`);
console.log(`Switchboard on http://localhost:${port}  (sign in as agent@example.com / agent-demo-2026)`);
const child = spawn(nextBin, ["start", "-p", port, "--keepAliveTimeout", "65000"], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
