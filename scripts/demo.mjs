#!/usr/bin/env node
/**
 * `npm run demo`: build if needed, then serve the production build at http://localhost:$PORT
 * (default 3000) on embedded defaults (PGlite under DATA_DIR, default .data/, seeded with demo
 * users and ~2,000 real tickets on first start). With DATABASE_URL set it uses PostgreSQL
 * (demo data is seeded there too when SEED_DEMO_DATA=true).
 */
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const port = process.env.PORT ?? "3000";
const nextBin = path.join(root, "node_modules", ".bin", "next");

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    const m = entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
const sources = ["app", "components", "lib", "db", "public"].map((d) => newestMtime(path.join(root, d)));
const configs = ["package.json", "next.config.ts", "tailwind.config.ts", "instrumentation.ts"].map((f) =>
  fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0,
);
const stale = !fs.existsSync(buildId) || Math.max(...sources, ...configs) > fs.statSync(buildId).mtimeMs;
if (stale || process.env.DEMO_BUILD === "1") {
  console.log("Building the production bundle (next build)…");
  const r = spawnSync(nextBin, ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
};
if (!process.env.DATABASE_URL) console.log(`Embedded database: ${path.resolve(process.env.DATA_DIR ?? ".data")}/pglite`);
console.log(`Switchboard on http://localhost:${port}  (sign in as agent@example.com / agent-demo-2026)`);
const child = spawn(nextBin, ["start", "-p", port], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
