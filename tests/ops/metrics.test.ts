import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { peerHeaderName } from "@/lib/http/client-ip";
import { getBoss, stopBoss } from "@/lib/jobs/boss";
import { metrics } from "@/lib/observability/metrics";
import * as metricsRoute from "@/app/api/metrics/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * GET /api/metrics: Prometheus text that promtool accepts, the metrics seed 001 lists with
 * samples after real work, and its protection (bearer METRICS_TOKEN, else loopback only).
 */
const testDb = useTestDb();
const PROMTOOL = "/usr/bin/promtool";
const loopback = { [peerHeaderName()]: "127.0.0.1" };

afterAll(async () => {
  await stopBoss();
});

afterEach(() => {
  delete process.env.METRICS_TOKEN;
  resetEnvForTests();
});

async function scrape(headers: Record<string, string> = loopback) {
  return call<string>(metricsRoute.GET, { path: "/api/metrics", headers });
}

describe("GET /api/metrics", () => {
  it("exposes the operations metrics with samples after real work, in a format promtool accepts", async () => {
    const a = await makeActor(testDb.db, "metrics@corp.test", "requester");
    const created = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: a.key,
      headers: { "X-Request-Id": "metrics-test-1" },
      body: { email: a.email, title: "Outlook keeps asking for my password", description: "Since this morning Outlook prompts for the password every few minutes" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("X-Request-Id")).toBe("metrics-test-1");
    // A queued job (pg-boss installs its schema on start) for switchboard_jobs, read at scrape time.
    const boss = await getBoss();
    await boss.createQueue("test.metrics");
    await boss.send("test.metrics", {});
    metrics().retries.inc({ queue: "routing.push" });
    metrics().slaBreaches.inc({ metric: "resolution" });
    metrics().externalCalls.inc({ target: "jira", result: "http_5xx" });

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = res.body;
    const sample = (re: RegExp) => expect(text, re.source).toMatch(re);
    sample(/^switchboard_tickets_created_total\{source="api",category="[a-z0-9_-]+"\} 1$/m);
    sample(/^switchboard_classification_confidence_bucket\{le="1",provider="[a-z-]+"\} 1$/m);
    sample(/^switchboard_http_request_duration_seconds_bucket\{le="[0-9.]+",method="POST",route="\/api\/tickets",status="2xx"\} \d+$/m);
    sample(/^switchboard_external_calls_total\{target="jira",result="http_5xx"\} 1$/m);
    sample(/^switchboard_retries_total\{queue="routing.push"\} 1$/m);
    sample(/^switchboard_sla_breaches_total\{metric="resolution"\} 1$/m);
    sample(/^# TYPE switchboard_llm_tokens_total counter$/m);
    sample(/^# TYPE switchboard_llm_cost_usd_total counter$/m);
    sample(/^switchboard_jobs\{queue="test.metrics",state="created"\} 1$/m);
    sample(/^switchboard_process_resident_memory_bytes \d+/m);

    if (!existsSync(PROMTOOL)) {
      if (process.env.CI) throw new Error(`${PROMTOOL} is missing: .ci/run installs Debian's prometheus package`);
      console.warn(`skipping promtool check: ${PROMTOOL} not installed (apt-get install prometheus)`);
      return;
    }
    const check = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" });
    // promtool exits 0 for valid text (lint warnings go to stdout as well); 1 on problems.
    expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
  });

  it("answers only loopback callers when METRICS_TOKEN is unset", async () => {
    expect((await scrape({ [peerHeaderName()]: "203.0.113.9" })).status).toBe(403);
    expect((await scrape({})).status).toBe(403);
    expect((await scrape({ [peerHeaderName()]: "::1" })).status).toBe(200);
  });

  it("with METRICS_TOKEN set, requires it as a bearer token, from anywhere", async () => {
    process.env.METRICS_TOKEN = "scrape-token-0123456789";
    resetEnvForTests();
    expect((await scrape(loopback)).status).toBe(401);
    expect((await scrape({ ...loopback, authorization: "Bearer wrong-token-0123456789" })).status).toBe(401);
    const ok = await scrape({ [peerHeaderName()]: "203.0.113.9", authorization: "Bearer scrape-token-0123456789" });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("switchboard_http_request_duration_seconds");
  });
});
