import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, EnvSchema, parseEnv } from "@/lib/env";

/*
 * `.env.example` is the settings reference: every key of EnvSchema appears there (as `KEY=` or
 * `# KEY=`) with its default, every key there is a setting EnvSchema validates, and code under
 * lib/ app/ db/ scripts/ reads no other variable from process.env directly.
 */

/**
 * Variables that are not Switchboard settings, so EnvSchema does not validate them. Each entry
 * says why. A name ending in `*` is a prefix.
 */
const NOT_SETTINGS: Record<string, string> = {
  // Node.js / Next.js built-ins
  NODE_ENV: "set by next dev / next start / the test runner, not by the operator",
  PORT: "read by next start itself (listed in .env.example for completeness)",
  NEXT_RUNTIME: "Next.js built-in (instrumentation.ts)",
  NEXT_PHASE: "Next.js built-in (instrumentation.ts)",
  CI: "CI runners' own flag (scripts/test.mjs output format)",
  VITEST: "set by vitest",
  NEXT_OUTPUT: "build time only: next.config.ts output mode, set by the Dockerfile's build stage",
  // Test and e2e harness only
  "E2E_*": "scripts/e2e.mjs harness",
  CHROMIUM_PATH: "scripts/e2e.mjs harness (browser binary)",
  DEMO_BUILD: "scripts/demo.mjs: force a rebuild",
  SWITCHBOARD_PGLITE_TEMPLATE: "tests only: migrated PGlite template made by tests/global-setup.ts",
  // Developer tools that read their own variables (never the server)
  "BENCH_*": "npm run bench / bench:files only",
  "LOAD_*": "npm run test:load only (scripts/load.mts: rate, duration, in-flight cap, report)",
  SWITCHBOARD_URL: "npm run desk, a client CLI talking to a running app",
  SWITCHBOARD_API_KEY: "npm run desk, a client CLI talking to a running app",
  SWITCHBOARD_PASSWORD: "npm run user:create: a one-off secret input, never a setting",
};

function allowed(key: string): boolean {
  return Object.keys(NOT_SETTINGS).some((k) => (k.endsWith("*") ? key.startsWith(k.slice(0, -1)) : key === k));
}

const schemaKeys = Object.keys(EnvSchema.shape);

/** KEY → the values written on its `KEY=` / `# KEY=` lines in .env.example. */
function exampleEntries(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of fs.readFileSync(path.resolve(".env.example"), "utf8").split("\n")) {
    const m = /^#?\s?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out.set(m[1], [...(out.get(m[1]) ?? []), m[2]]);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(ts|tsx|mts|mjs|js)$/.test(d.name) && !d.parentPath.includes("node_modules"))
    .map((d) => path.join(d.parentPath, d.name));
}

describe(".env.example ↔ EnvSchema", () => {
  const entries = exampleEntries();

  it("lists every setting of EnvSchema", () => {
    const missing = schemaKeys.filter((k) => !entries.has(k) && !allowed(k));
    expect(missing).toEqual([]);
  });

  it("shows each setting that has a default with exactly that default", () => {
    const defaults = EnvSchema.parse({}) as Record<string, unknown>;
    const wrong: string[] = [];
    for (const key of schemaKeys) {
      if (defaults[key] === undefined || !entries.has(key)) continue;
      const shown = entries.get(key)!;
      const ok = shown.some((v) => {
        const r = parseEnv({ [key]: v });
        return r.ok && JSON.stringify((r.env as Record<string, unknown>)[key]) === JSON.stringify(defaults[key]);
      });
      if (!ok) wrong.push(`${key}: default ${JSON.stringify(defaults[key])}, .env.example shows ${JSON.stringify(shown)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("lists nothing EnvSchema does not validate (except the commented allow-list)", () => {
    const unknown = [...entries.keys()].filter((k) => !schemaKeys.includes(k) && !allowed(k));
    expect(unknown).toEqual([]);
  });

  it("code reads no setting from process.env outside EnvSchema", () => {
    const offenders: string[] = [];
    const files = ["lib", "app", "db", "scripts"].flatMap(sourceFiles).concat(["instrumentation.ts", "proxy.ts", "next.config.ts"].filter((f) => fs.existsSync(f)));
    for (const f of files) {
      const text = fs.readFileSync(f, "utf8");
      for (const m of text.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\])/g)) {
        const key = m[1] ?? m[2];
        if (!schemaKeys.includes(key) && !allowed(key)) offenders.push(`${f}: ${key}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe("start-up validation", () => {
  it("names every bad variable in one error, with its problem, and never echoes a value", () => {
    const r = parseEnv({
      DATABASE_POOL_MAX: "0",
      LOG_LEVEL: "loud",
      S3_BUCKET: "Not_A_Bucket",
      METRICS_TOKEN: "short-secret",
      TRIAGE_MODE: "local", // valid: must not be named
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(EnvError);
    expect(r.error.problems.map((p) => p.key).sort()).toEqual(["DATABASE_POOL_MAX", "LOG_LEVEL", "METRICS_TOKEN", "S3_BUCKET"]);
    expect(r.error.message).toMatch(/^Invalid environment \(4 bad settings/);
    for (const key of ["DATABASE_POOL_MAX", "LOG_LEVEL", "S3_BUCKET", "METRICS_TOKEN"]) expect(r.error.message).toMatch(new RegExp(`\\n  ${key}: \\S`));
    expect(r.error.message).toMatch(/S3_BUCKET: .*an S3 bucket name/);
    expect(r.error.message).not.toContain("short-secret");
    expect(r.error.message).not.toContain("TRIAGE_MODE");
  });

  it("accepts an empty environment (every setting has a default or is optional) and treats empty strings as unset", () => {
    expect(parseEnv({}).ok).toBe(true);
    const r = parseEnv({ DATABASE_URL: "", JOBS_WORKERS: "" });
    expect(r.ok && r.env.JOBS_WORKERS).toBe(2);
  });

  it("instrumentation.ts validates the environment before starting the server", () => {
    const src = fs.readFileSync(path.resolve("instrumentation.ts"), "utf8");
    const check = src.indexOf("validateEnvAtStartup()");
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(src.indexOf("startServer()"));
  });
});
