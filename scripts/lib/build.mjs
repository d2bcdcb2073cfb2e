import { pathToFileURL } from "node:url";
/**
 * One rule for "is the production build current?", shared by `npm run demo`, the e2e runner
 * and the benchmark: rebuild when .next/BUILD_ID is missing or older than any source or config
 * file (tests excluded).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "components", "lib", "db", "public"];
const CONFIG_FILES = ["next.config.ts", "tailwind.config.ts", "postcss.config.mjs", "instrumentation.ts", "tsconfig.json", "package.json", "package-lock.json"];

/** Why the build in `root` is stale (the newest changed file), or null when it is current. */
export function staleBuildReason(root) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return "no production build yet";
  const built = fs.statSync(buildId).mtimeMs;
  let newest = 0;
  let newestFile = "";
  const consider = (file) => {
    const m = fs.statSync(file).mtimeMs;
    if (m > newest) {
      newest = m;
      newestFile = file;
    }
  };
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!/\.test\.[cm]?[jt]sx?$/.test(entry.name)) consider(p);
    }
  };
  for (const d of SOURCE_DIRS) walk(path.join(root, d));
  for (const f of CONFIG_FILES) if (fs.existsSync(path.join(root, f))) consider(path.join(root, f));
  return newest > built ? `sources changed since the last build (${path.relative(root, newestFile)})` : null;
}

/**
 * Run `next build` in `root` when the build is stale (or `force`). Exits the process on failure.
 * @param log one-line progress messages
 */
export function ensureProductionBuild(root, { force = false, log = console.log } = {}) {
  const reason = force ? "rebuild forced" : staleBuildReason(root);
  if (!reason) {
    log("production build is up to date");
    return;
  }
  log(`building the production app (next build): ${reason}`);
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const r = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) {
    console.error("next build failed; fix the build and run again.");
    process.exit(r.status ?? 1);
  }
}

/**
 * Seed demo users and tickets into the database `env` points at (DATA_DIR or DATABASE_URL),
 * in a child process that closes the database before returning: PGlite can be opened by one
 * process at a time, so run this BEFORE `next start`. Exits the process on failure.
 * @param extraArgs e.g. ["--tickets", "200"]
 */
export function seedDemoData(root, env, { log = console.log, extraArgs = [] } = {}) {
  log("seeding demo data (first run on a fresh database takes a while)…");
  const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const r = spawnSync(process.execPath, [tsx, "--import", pathToFileURL(path.join(root, "scripts", "lib", "server-only-register.mjs")).href, path.join(root, "scripts", "demo-seed.mts"), ...extraArgs], {
    cwd: root,
    stdio: "inherit",
    env,
  });
  if (r.status !== 0) {
    console.error("seeding the demo data failed (see above).");
    process.exit(r.status ?? 1);
  }
}
