import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { closeDb, getDb, getDbHandle } from "@/db/client";
import { resetEnvForTests } from "@/lib/env";
import { getBoss, stopBoss } from "@/lib/jobs/boss";
import { markStartup, resetReadinessForTests } from "@/lib/observability/readiness";
import * as healthRoute from "@/app/api/health/route";
import * as readyRoute from "@/app/api/health/ready/route";
import * as metricsRoute from "@/app/api/metrics/route";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { useTestStorage } from "../helpers/storage";
import { TcpProxy } from "../helpers/tcp-proxy";

/*
 * Liveness and readiness against real dependencies: a scratch PostgreSQL database reached
 * through a loopback TCP proxy (closing the proxy is "PostgreSQL is stopped" for this process
 * without stopping the shared server), the local S3-compatible server, pg-boss's schema.
 */
const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dbName = `sbt_ready_${crypto.randomBytes(5).toString("hex")}`;

// The embedded S3 server on a free port (the default port may be another test process's).
useTestStorage();
const upstream = new URL(ADMIN_URL);
const proxy = new TcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
const saved = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR };

async function ready() {
  return call(readyRoute.GET, { path: "/api/health/ready" });
}

/** Poll readiness until `ok(answer)` (results are cached 1 s; bounded number of tries, no timing asserted). */
async function untilAnswer(ok: (r: Awaited<ReturnType<typeof ready>>) => boolean) {
  let last = await ready();
  for (let i = 0; i < 60 && !ok(last); i++) {
    await new Promise((r) => setTimeout(r, 500));
    last = await ready();
  }
  return last;
}

/** Poll readiness until it answers `status`. */
function until(status: number) {
  return untilAnswer((r) => r.status === status);
}

beforeAll(async () => {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  await admin.end();
  await proxy.up();
  const u = new URL(ADMIN_URL);
  u.host = `127.0.0.1:${proxy.port}`;
  u.pathname = `/${dbName}`;
  process.env.DATABASE_URL = u.toString();
  resetEnvForTests();
  await closeDb();
  await getDbHandle(); // migrates through the proxy
  await getBoss(); // installs the job queue schema
  resetReadinessForTests();
}, 120_000);

afterAll(async () => {
  await stopBoss().catch(() => {});
  await closeDb().catch(() => {});
  await proxy.down();
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  process.env.DATABASE_URL = saved.DATABASE_URL;
  resetEnvForTests();
});

describe("GET /api/health (liveness)", () => {
  it("answers 200 whatever the dependencies, with the status only for anonymous callers", async () => {
    const res = await call(healthRoute.GET, { path: "/api/health" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("GET /api/health/ready (readiness)", () => {
  it("answers 503 until start-up has finished", async () => {
    // On a loaded machine a first probe can miss its deadline (cold S3 client, pool): wait until
    // the dependencies answer; start-up alone must still hold readiness back.
    const before = await untilAnswer((r) => ["database", "storage", "queue"].every((k) => r.body.checks?.[k] === "ok"));
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({ status: "not_ready", checks: { startup: "fail", database: "ok", storage: "ok", queue: "ok" } });
    markStartup("ready");
    const after = await until(200);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ status: "ready", checks: { startup: "ok", database: "ok", storage: "ok", queue: "ok", llm: "ok" } });
  }, 60_000);

  it("shows details (version, latencies) to admins and to the METRICS_TOKEN bearer only", async () => {
    markStartup("ready");
    const db = await getDb();
    const admin = await makeActor(db, "ready-admin@corp.test", "admin");
    const agent = await makeActor(db, "ready-agent@corp.test", "agent");
    const detailed = { status: "ready", version: expect.any(String), checks: { database: { status: "ok", latencyMs: expect.any(Number), detail: "postgres" } } };
    expect((await call(readyRoute.GET, { path: "/api/health/ready", key: admin.key })).body).toMatchObject(detailed);
    expect((await call(readyRoute.GET, { path: "/api/health/ready", key: agent.key })).body.checks.database).toBe("ok");
    process.env.METRICS_TOKEN = "ready-details-token-0123456";
    resetEnvForTests();
    try {
      expect((await call(readyRoute.GET, { path: "/api/health/ready", headers: { authorization: "Bearer ready-details-token-0123456" } })).body).toMatchObject(detailed);
      expect((await call(readyRoute.GET, { path: "/api/health/ready", headers: { authorization: "Bearer wrong-token-0123456789" } })).body.checks.database).toBe("ok");
    } finally {
      delete process.env.METRICS_TOKEN;
      resetEnvForTests();
    }
  }, 60_000);

  it("answers 503 while PostgreSQL is unreachable, shows no error text to anonymous callers, and recovers by itself", async () => {
    markStartup("ready");
    expect((await until(200)).status).toBe(200);
    await proxy.down();
    const down = await until(503);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: "not_ready", checks: { database: "fail", queue: "fail", startup: "ok" } });
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|password/);
    // Liveness and the metrics scrape (bearer token, no API-key lookup) still answer meanwhile.
    expect((await call(healthRoute.GET, { path: "/api/health" })).status).toBe(200);
    process.env.METRICS_TOKEN = "scrape-token-while-down-0123";
    resetEnvForTests();
    try {
      const scrape = await call<string>(metricsRoute.GET, { path: "/api/metrics", headers: { authorization: "Bearer scrape-token-while-down-0123" } });
      expect(scrape.status).toBe(200);
      expect(scrape.body).toMatch(/^switchboard_process_resident_memory_bytes \d+/m);
    } finally {
      delete process.env.METRICS_TOKEN;
      resetEnvForTests();
    }
    await proxy.up();
    const back = await until(200);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: "ready", checks: { database: "ok", queue: "ok" } });
  }, 90_000);

  it("a failed start-up keeps the instance not ready", async () => {
    markStartup("failed", new Error("migration 0016 failed"));
    const res = await ready();
    expect(res.status).toBe(503);
    expect(res.body.checks.startup).toBe("fail");
    markStartup("ready");
  });
});
