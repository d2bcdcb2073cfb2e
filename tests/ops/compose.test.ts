/**
 * Static checks of the deployment files (no Docker engine here: they are parsed, not run):
 * docker-compose.yml, the Dockerfile, deploy/caddy/Caddyfile, deploy/prometheus/prometheus.yml and
 * the provisioned Grafana dashboard. See docs/DEPLOYMENT.md for what each piece is for.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = path.resolve(__dirname, "..", "..");
const read = (rel: string) => fs.readFileSync(path.join(root, rel), "utf8");

interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
}
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { environment?: string; file?: string }>;
}

const compose = parse(read("docker-compose.yml"), { merge: true }) as Compose;
const services = compose.services;
const APP_SERVICES = ["app1", "app2"];

/** Service names other services wait for with `service_completed_successfully` (one-shot jobs). */
function oneShotServices(): Set<string> {
  const out = new Set<string>();
  for (const s of Object.values(services)) {
    if (s.depends_on && !Array.isArray(s.depends_on)) {
      for (const [name, dep] of Object.entries(s.depends_on)) {
        if (dep?.condition === "service_completed_successfully") out.add(name);
      }
    }
  }
  return out;
}

function envOf(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((kv) => [kv.split("=")[0], kv.split("=").slice(1).join("=")]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? "" : String(v)]));
}

/** Every variable .env.example documents (`KEY=` or `# KEY=`). */
function envExampleKeys(): Set<string> {
  const keys = new Set<string>();
  for (const line of read(".env.example").split("\n")) {
    const m = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (m) keys.add(m[1]);
  }
  return keys;
}

/** Metrics the dashboard may query (lib/observability/metrics.ts and metrics-endpoint.ts). */
const KNOWN_METRICS = [
  "switchboard_tickets_created_total",
  "switchboard_classification_confidence",
  "switchboard_http_request_duration_seconds",
  "switchboard_external_calls_total",
  "switchboard_retries_total",
  "switchboard_llm_tokens_total",
  "switchboard_llm_cost_usd_total",
  "switchboard_jobs",
  "switchboard_sla_breaches_total",
];
const HISTOGRAMS = ["switchboard_classification_confidence", "switchboard_http_request_duration_seconds"];

/** The known metric a series name belongs to (histogram suffixes stripped), or null. */
function baseMetric(series: string): string | null {
  if (KNOWN_METRICS.includes(series)) return series;
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  if (m && HISTOGRAMS.includes(m[1])) return m[1];
  if (series.startsWith("switchboard_process_")) return "switchboard_process_*";
  return null;
}

describe("docker-compose.yml", () => {
  it("pins every image to a version tag (no :latest, no bare name)", () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.image, `${name} has an image`).toBeTruthy();
      if (s.build) continue; // built here (tagged switchboard:local)
      const image = s.image!;
      const tag = image.includes("@sha256:") ? "digest" : image.split("/").pop()!.split(":")[1];
      expect(tag, `${name}: ${image} has a tag`).toBeTruthy();
      expect(tag, `${name}: ${image}`).not.toBe("latest");
      expect(tag, `${name}: ${image} names a version`).toMatch(/\d/);
    }
  });

  it("gives every long-running service a health check", () => {
    const oneShot = oneShotServices();
    expect(oneShot.has("minio-init")).toBe(true);
    for (const [name, s] of Object.entries(services)) {
      if (oneShot.has(name)) {
        expect(s.restart, `${name} is one-shot`).toBe("no");
        continue;
      }
      expect(s.healthcheck?.test, `${name} has a health check`).toBeTruthy();
      expect(s.healthcheck?.disable).not.toBe(true);
    }
  });

  it("runs two app instances from the local build, probed on readiness", () => {
    for (const name of APP_SERVICES) {
      const s = services[name];
      expect(s, name).toBeDefined();
      expect(s.build, `${name} builds the Dockerfile`).toBeDefined();
      expect(JSON.stringify(s.healthcheck?.test)).toContain("/api/health/ready");
      const deps = s.depends_on as Record<string, { condition?: string }>;
      expect(deps.db?.condition).toBe("service_healthy");
      expect(deps["minio-init"]?.condition).toBe("service_completed_successfully");
    }
  });

  it("app environment: every key documented in .env.example, the shared ones set", () => {
    const documented = envExampleKeys();
    for (const name of APP_SERVICES) {
      const env = envOf(services[name]);
      const undocumented = Object.keys(env).filter((k) => !documented.has(k));
      expect(undocumented, `${name} keys missing from .env.example`).toEqual([]);
      // Shared by all instances, or each one would have its own database, secret or files.
      for (const key of ["DATABASE_URL", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "S3_ENDPOINT", "S3_BUCKET", "METRICS_TOKEN", "TRUSTED_PROXIES"]) {
        expect(env[key], `${name} sets ${key}`).toBeTruthy();
      }
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.*@db:5432\//);
      expect(env.S3_ENDPOINT).toBe("http://minio:9000");
      // Secrets come from the operator's .env and stop `docker compose up` when missing.
      for (const key of ["NEXTAUTH_SECRET", "METRICS_TOKEN", "S3_SECRET_ACCESS_KEY"]) {
        expect(env[key], `${name} requires ${key}`).toMatch(/^\$\{[A-Z_]+:\?/);
      }
    }
    expect(envOf(services.app1)).toEqual(envOf(services.app2));
  });

  it("leaves compression to the proxy: the image is built and run with HTTP_COMPRESSION=off, and Caddy encodes", () => {
    for (const name of APP_SERVICES) {
      const build = services[name].build as { args?: Record<string, string> };
      expect(build.args?.HTTP_COMPRESSION, `${name} build arg`).toBe("off");
      expect(envOf(services[name]).HTTP_COMPRESSION, `${name} environment`).toBe("off");
    }
    expect(read("deploy/caddy/Caddyfile")).toMatch(/^\s*encode\b.*\bgzip\b/m);
    expect(read("Dockerfile")).toMatch(/^ARG HTTP_COMPRESSION=on$/m);
  });

  it("trusts forwarded headers from the proxy's fixed address only", () => {
    const proxy = parse(read("docker-compose.yml")).services.proxy as { networks: Record<string, { ipv4_address?: string }> };
    const address = Object.values(proxy.networks)[0]?.ipv4_address;
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const name of APP_SERVICES) expect(envOf(services[name]).TRUSTED_PROXIES).toBe(address);
  });

  it("hands Prometheus the metrics token as a secret", () => {
    expect(compose.secrets?.metrics_token?.environment).toBe("METRICS_TOKEN");
    expect(JSON.stringify(services.prometheus)).toContain("metrics_token");
  });
});

describe("deploy/caddy/Caddyfile", () => {
  const caddyfile = read("deploy/caddy/Caddyfile");

  it("balances both app instances with readiness health checks", () => {
    const line = caddyfile.split("\n").find((l) => l.trim().startsWith("reverse_proxy "));
    expect(line).toBeDefined();
    for (const name of APP_SERVICES) expect(line).toContain(`${name}:3000`);
    expect(caddyfile).toMatch(/health_uri\s+\/api\/health\/ready/);
  });

  it("keeps /api/metrics off the public site", () => {
    expect(caddyfile).toMatch(/respond\s+\/api\/metrics\s+404/);
  });

  it("is mounted by the proxy service", () => {
    expect(JSON.stringify(services.proxy)).toContain("./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile");
  });
});

describe("deploy/prometheus/prometheus.yml", () => {
  const config = parse(read("deploy/prometheus/prometheus.yml")) as {
    scrape_configs: { job_name: string; metrics_path?: string; authorization?: { credentials_file?: string }; static_configs: { targets: string[] }[] }[];
  };
  const job = config.scrape_configs.find((j) => j.job_name === "switchboard")!;

  it("scrapes /api/metrics on both instances with the bearer token file", () => {
    expect(job.metrics_path).toBe("/api/metrics");
    const targets = job.static_configs.flatMap((c) => c.targets);
    for (const name of APP_SERVICES) expect(targets).toContain(`${name}:3000`);
    expect(job.authorization?.credentials_file).toBe("/run/secrets/metrics_token");
  });

  const promtool = spawnSync("promtool", ["--version"]).status === 0;
  it.skipIf(!promtool && !process.env.CI)("passes promtool check config (token file path swapped for a scratch file)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-prom-"));
    try {
      const token = path.join(dir, "token");
      fs.writeFileSync(token, "x".repeat(32));
      const file = path.join(dir, "prometheus.yml");
      fs.writeFileSync(file, read("deploy/prometheus/prometheus.yml").replace("/run/secrets/metrics_token", token));
      execFileSync("promtool", ["check", "config", file], { stdio: "pipe" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Grafana provisioning", () => {
  const dashboard = JSON.parse(read("deploy/grafana/dashboards/switchboard.json")) as {
    uid: string;
    panels: { title: string; datasource?: { uid?: string }; targets: { expr: string }[] }[];
  };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
  const series = exprs.flatMap((e) => e.match(/\bswitchboard_[a-z0-9_]+/g) ?? []);

  it("queries only metrics the app exports", () => {
    expect(series.length).toBeGreaterThan(0);
    const unknown = series.filter((s) => baseMetric(s) === null);
    expect(unknown).toEqual([]);
  });

  it("covers every exported metric and the process metrics", () => {
    const used = new Set(series.map(baseMetric));
    for (const m of [...KNOWN_METRICS, "switchboard_process_*"]) expect(used.has(m), m).toBe(true);
  });

  it("every panel reads the provisioned Prometheus data source", () => {
    const ds = parse(read("deploy/grafana/provisioning/datasources/prometheus.yml")) as { datasources: { uid: string; url: string }[] };
    expect(ds.datasources[0].url).toBe("http://prometheus:9090");
    for (const p of dashboard.panels) expect(p.datasource?.uid, p.title).toBe(ds.datasources[0].uid);
    const provider = parse(read("deploy/grafana/provisioning/dashboards/switchboard.yml")) as { providers: { options: { path: string } }[] };
    expect(JSON.stringify(services.grafana)).toContain(`./deploy/grafana/dashboards:${provider.providers[0].options.path}`);
  });

  it("the bucket script is mounted for the one-shot init and creates S3_BUCKET", () => {
    const script = read("deploy/minio/create-bucket.sh");
    expect(script).toContain('mc mb --ignore-existing "local/$S3_BUCKET"');
    expect(envOf(services["minio-init"]).S3_BUCKET).toBe(envOf(services.app1).S3_BUCKET);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  const lines = dockerfile.split("\n").filter((l) => !l.trim().startsWith("#"));
  const froms = lines.filter((l) => /^FROM\s/i.test(l));

  it("is multi-stage on a Node 24 base image", () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const nodeVersion = /^ARG NODE_VERSION=(\S+)/m.exec(dockerfile)?.[1];
    for (const from of froms) {
      const image = from.split(/\s+/)[1].replace("${NODE_VERSION}", nodeVersion ?? "");
      expect(image, from).toMatch(/^node:24(\.\d+)*-/);
    }
  });

  it("builds the standalone output and runs its server.js", () => {
    expect(dockerfile).toMatch(/NEXT_OUTPUT=standalone/);
    expect(dockerfile).toContain("/app/.next/standalone");
    expect(dockerfile).toMatch(/^CMD \["node", "server\.js"\]/m);
    for (const dir of ["db/migrations", "db/seed-data", "lib/triage/local/artifacts", ".next/static", "public"]) {
      expect(dockerfile, dir).toContain(`/app/${dir} ./${dir}`);
    }
  });

  it("switches to a non-root user before the command", () => {
    const user = lines.filter((l) => /^USER\s/.test(l)).pop();
    expect(user).toBeDefined();
    const who = user!.split(/\s+/)[1].split(":")[0];
    expect(["root", "0"]).not.toContain(who);
    const lastFrom = lines.lastIndexOf(froms[froms.length - 1]);
    expect(lines.indexOf(user!)).toBeGreaterThan(lastFrom);
  });

  it("health-checks readiness", () => {
    const hc = dockerfile.slice(dockerfile.indexOf("HEALTHCHECK"));
    expect(hc).toContain("/api/health/ready");
    expect(hc).toMatch(/status===200/);
  });

  it("keeps secrets and local data out of the build context", () => {
    const ignore = read(".dockerignore").split("\n").map((l) => l.trim());
    for (const entry of [".env", ".env.*", ".data", "node_modules", ".next", ".git"]) expect(ignore, entry).toContain(entry);
    expect(ignore).toContain("!.env.example");
  });
});
