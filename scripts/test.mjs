#!/usr/bin/env node
/**
 * `npm test`: every test. 1) vitest (unit + integration + hostile input; on PGlite, and on
 * PostgreSQL too when DATABASE_URL is set — each test file gets its own database there); 2) the
 * Playwright e2e on a production build in Debian's Chromium (scripts/e2e.mjs installs chromium
 * with apt-get when run as root, or says how); 3) the fault-injection suites
 * (scripts/faults.mjs, tests/reliability/faults/) on the same build.
 * Flags: --unit (vitest only), --e2e (e2e only), --faults (fault suites only).
 * Prints one plain line per suite, e.g. `unit: 124 passed, 0 failed`, and exits non-zero on
 * any failure.
 * Flaky tests: a test that passed only on a retry is never counted as passed. Playwright
 * retries once under CI (playwright.config.ts); its flaky tests are listed by name on a line of
 * their own (`e2e flaky (...): file › title [project]; ...`), and under CI (env CI set) they
 * count as failed and fail the run. Locally there are no retries unless asked (`--retries`);
 * flaky ones are then listed and left out of "passed" but do not fail the run. Vitest runs
 * with --retry=0: a test that fails once fails the run.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { summarizePlaywright, summarizeVitest } from "./lib/test-summary.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const args = new Set(process.argv.slice(2));
const only = ["--unit", "--e2e", "--faults"].filter((f) => args.has(f));
const runUnit = only.length === 0 || args.has("--unit");
const runE2e = only.length === 0 || args.has("--e2e");
const runFaults = only.length === 0 || args.has("--faults");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-test-"));
const summaries = [];

function run(cmd, argv, env = {}) {
  console.log(`\n$ ${[cmd, ...argv].join(" ")}`);
  return spawnSync(cmd, argv, { stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const db = process.env.DATABASE_URL ? `PostgreSQL (${new URL(process.env.DATABASE_URL).host})` : "PGlite";
let failed = false;
if (runUnit) {
  console.log(`Unit and integration tests on ${db}`);
  const out = path.join(tmp, "vitest.json");
  const status = run(process.execPath, [
    path.join(root, "node_modules", "vitest", "vitest.mjs"),
    "run",
    "--retry=0",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${out}`,
  ]);
  const r = summarizeVitest(readJson(out));
  summaries.push(...r.lines);
  failed ||= status !== 0 || r.failed;
}
if (runE2e && !failed) {
  console.log(`End-to-end tests (production build, Chromium) on ${db}`);
  const out = path.join(tmp, "playwright.json");
  const status = run(process.execPath, [path.join(root, "scripts", "e2e.mjs"), "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  const r = summarizePlaywright(readJson(out), { ci: Boolean(process.env.CI) });
  summaries.push(...r.lines);
  failed ||= status !== 0 || r.failed;
}
if (runFaults && !failed) {
  console.log(`Fault-injection suites (production build, real servers taken down) on ${db}`);
  const out = path.join(tmp, "faults.json");
  const status = run(process.execPath, [
    path.join(root, "scripts", "faults.mjs"),
    "--retry=0",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${out}`,
  ]);
  const r = summarizeVitest(readJson(out), "faults");
  summaries.push(...r.lines);
  failed ||= status !== 0 || r.failed;
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log("");
for (const line of summaries) console.log(line);
process.exit(failed ? 1 : 0);
