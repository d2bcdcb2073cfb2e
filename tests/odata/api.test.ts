import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { odataSources } from "@/db/schema";
import * as listRoute from "@/app/api/odata/sources/route";
import * as itemRoute from "@/app/api/odata/sources/[id]/route";
import * as runRoute from "@/app/api/odata/sources/[id]/run/route";
import * as runsRoute from "@/app/api/odata/sources/[id]/runs/route";
import * as runItemRoute from "@/app/api/odata/runs/[id]/route";
import { decryptSecret, resetSecretKeys } from "@/lib/crypto/secrets";
import { resetEnvForTests } from "@/lib/env";
import { openApiDocument } from "@/lib/http/openapi";
import { getBoss } from "@/lib/jobs/boss";
import { ensureQueues } from "@/lib/jobs/worker";
import { odataPullTask } from "@/lib/odata/jobs";
import { ODATA_PULL_TASK } from "@/lib/odata/pull";
import { startODataFake, type ODataFake } from "../fakes/odata-server";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let admin: Actor;
let agent: Actor;
let f: ODataFake;
const originalKey = process.env.ENCRYPTION_KEY;

const PASSWORD = "sap-pass-9f3e-never-shown";
const TOKEN = "bearer-tok-77a1-never-shown";
/** Every response body of this file, checked for secrets at the end. */
const seen: unknown[] = [];

async function api<T = any>(handler: Parameters<typeof call>[0], o: Parameters<typeof call>[1]) {
  const res = await call<T>(handler, o);
  seen.push(res.body);
  return res;
}

beforeAll(async () => {
  process.env.ENCRYPTION_KEY = crypto.randomBytes(32).toString("base64");
  resetEnvForTests();
  resetSecretKeys();
  db = testDb.db;
  admin = await makeActor(db, "admin-od@corp.test", "admin");
  agent = await makeActor(db, "agent-od@corp.test", "agent", { teamSlug: "service-desk" });
  f = await startODataFake("v2", [[{ NotificationId: "N-1", ShortText: "Pump P-9 seal leaking", LongText: "Drops under the pump.", Priority: "2", Status: "OPEN" }]]);
  // Run now enqueues an odata.pull job: its queue must exist (no worker runs here).
  await ensureQueues(db, testDb.kind, await getBoss(), [{ name: ODATA_PULL_TASK }]);
});
afterAll(async () => {
  await f?.close();
  if (originalKey === undefined) delete process.env.ENCRYPTION_KEY;
  else process.env.ENCRYPTION_KEY = originalKey;
  resetEnvForTests();
  resetSecretKeys();
});

const source = () => ({
  name: "Plant maintenance",
  version: "v2",
  baseUrl: f.root,
  entitySet: "NotificationSet",
  filter: "Status ne 'CLOSED'",
  select: "NotificationId,ShortText,LongText,Priority,Status",
  authKind: "basic",
  username: "SB_RFC",
  secret: PASSWORD,
  sapClient: "100",
  sapLanguage: "EN",
  mapping: { title: "ShortText", description: "LongText", priority: "Priority", externalId: "NotificationId", priorityMap: { "1": "P1", "2": "P2" }, closed: { field: "Status", values: ["CLOSED"] } },
  team: "service-desk",
  intervalMin: 30,
  reportTo: ["Plant.Manager@corp.test"],
});

describe("OData sources API", () => {
  let id: string;

  it("creates a source (admins): secret sealed, never returned; hasSecret instead", async () => {
    const res = await api(listRoute.POST, { path: "/api/odata/sources", key: admin.key, body: source() });
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(res.body).toMatchObject({ name: "Plant maintenance", version: "v2", authKind: "basic", username: "SB_RFC", hasSecret: true, sapClient: "100", intervalMin: 30, reportTo: ["plant.manager@corp.test"], active: true, lastRun: null });
    expect(res.body).not.toHaveProperty("secret");
    const [row] = await db.select().from(odataSources).where(eq(odataSources.id, id));
    expect(row.secretCiphertext).toMatch(/^v1\./);
    expect(decryptSecret(row.secretCiphertext!)).toBe(PASSWORD);
    const [audit] = await rows<{ after: unknown }>(db, sql`SELECT after FROM audit_events WHERE entity_type = 'odata_source' AND entity_id = ${id}`);
    expect(JSON.stringify(audit.after)).not.toContain(PASSWORD);
  });

  it("refuses bad input with 400 and field paths, a taken name with 409, unknown team with 422, non-admins with 403", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...source(), name: "x1", version: "v3" }, "version"],
      [{ ...source(), name: "x2", baseUrl: "ftp://sap.example.com" }, "baseUrl"],
      [{ ...source(), name: "x3", baseUrl: "https://u:p@sap.example.com/x" }, "baseUrl"],
      [{ ...source(), name: "x4", sapClient: "10" }, "sapClient"],
      [{ ...source(), name: "x5", secret: undefined }, "secret"],
      [{ ...source(), name: "x6", authKind: "bearer", secret: undefined }, "secret"],
      [{ ...source(), name: "x7", mapping: { title: "ShortText" } }, "mapping.externalId"],
      [{ ...source(), name: "x8", mapping: { ...source().mapping, priorityMap: { "1": "P9" } } }, "mapping.priorityMap.1"],
      [{ ...source(), name: "x9", intervalMin: 0 }, "intervalMin"],
      [{ ...source(), name: "x10", reportTo: ["not-an-address"] }, "reportTo.0"],
      [{ ...source(), name: "x11", entitySet: "Notification Set" }, "entitySet"],
      [{ ...source(), name: "x12", extra: 1 }, ""],
    ];
    for (const [body, path] of cases) {
      const res = await api(listRoute.POST, { path: "/api/odata/sources", key: admin.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
      if (path) expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect((await api(listRoute.POST, { path: "/api/odata/sources", key: admin.key, body: source() })).status).toBe(409);
    expect((await api(listRoute.POST, { path: "/api/odata/sources", key: admin.key, body: { ...source(), name: "Other", team: "no-such-team" } })).status).toBe(422);
    expect((await api(listRoute.POST, { path: "/api/odata/sources", key: agent.key, body: { ...source(), name: "Agent's" } })).status).toBe(403);
    expect((await api(listRoute.GET, { path: "/api/odata/sources", key: agent.key })).status).toBe(403);
    expect((await api(listRoute.GET, { path: "/api/odata/sources" })).status).toBe(401);
    expect((await api(itemRoute.PATCH, { method: "PATCH", path: `/api/odata/sources/${id}`, key: admin.key, params: { id }, body: {} })).status).toBe(400);
    expect((await api(itemRoute.GET, { path: "/api/odata/sources/nope", key: admin.key, params: { id: "nope" } })).status).toBe(404);
    expect((await api(runsRoute.GET, { path: `/api/odata/sources/${id}/runs?limit=0`, key: admin.key, params: { id } })).status).toBe(400);
  });

  it("changes a source: secret kept when left out, replaced when sent, dropped with auth none", async () => {
    let res = await api(itemRoute.PATCH, { method: "PATCH", path: `/api/odata/sources/${id}`, key: admin.key, params: { id }, body: { intervalMin: 60, filter: null } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ intervalMin: 60, filter: null, hasSecret: true });
    res = await api(itemRoute.PATCH, { method: "PATCH", path: `/api/odata/sources/${id}`, key: admin.key, params: { id }, body: { authKind: "bearer", secret: TOKEN } });
    expect(res.body).toMatchObject({ authKind: "bearer", username: null, hasSecret: true });
    const [row] = await db.select().from(odataSources).where(eq(odataSources.id, id));
    expect(decryptSecret(row.secretCiphertext!)).toBe(TOKEN);
    // Back to basic with the password, for the pull below.
    res = await api(itemRoute.PATCH, { method: "PATCH", path: `/api/odata/sources/${id}`, key: admin.key, params: { id }, body: { authKind: "basic", username: "SB_RFC", secret: PASSWORD } });
    expect(res.status).toBe(200);
    expect((await api(itemRoute.PATCH, { method: "PATCH", path: `/api/odata/sources/${id}`, key: admin.key, params: { id }, body: { secret: null } })).status).toBe(400);
  });

  it("run now: 202 with a running run; the worker pulls into it; runs and the run show the report", async () => {
    const res = await api(runRoute.POST, { path: `/api/odata/sources/${id}/run`, key: admin.key, params: { id } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ sourceId: id, status: "running", trigger: "manual" });
    const runId = res.body.id;
    const [job] = await rows<{ data: { sourceId: string; runId: string } }>(db, sql`SELECT data FROM pgboss.job WHERE name = ${ODATA_PULL_TASK}`);
    expect(job.data).toEqual({ sourceId: id, runId, requestId: res.headers.get("X-Request-Id") }); // the task runs under the request id
    await odataPullTask.run(job.data, { db });
    const run = await api(runItemRoute.GET, { path: `/api/odata/runs/${runId}`, key: admin.key, params: { id: runId } });
    expect(run.body).toMatchObject({ id: runId, status: "succeeded", fetched: 1, created: 1, updated: 0, skipped: 0, errors: [] });
    // A redelivered job finds its run finished and does nothing.
    await odataPullTask.run(job.data, { db });
    const list = await api(runsRoute.GET, { path: `/api/odata/sources/${id}/runs`, key: admin.key, params: { id } });
    expect(list.body.items).toHaveLength(1);
    const one = await api(itemRoute.GET, { path: `/api/odata/sources/${id}`, key: admin.key, params: { id } });
    expect(one.body.lastRun).toMatchObject({ id: runId, created: 1 });
    const all = await api(listRoute.GET, { path: "/api/odata/sources", key: admin.key });
    expect(all.body.items[0].lastRun.id).toBe(runId);
    const [req] = f.pageRequests();
    expect(req.url.searchParams.get("sap-client")).toBe("100");
    expect(req.url.searchParams.get("$filter")).toBeNull();
  });

  it("documents every endpoint in the OpenAPI document", () => {
    const doc = openApiDocument() as any;
    for (const p of ["/api/odata/sources", "/api/odata/sources/{id}", "/api/odata/sources/{id}/run", "/api/odata/sources/{id}/runs", "/api/odata/runs/{id}"]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const create = doc.paths["/api/odata/sources"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["name", "version", "baseUrl", "entitySet", "mapping"]));
  });

  it("deletes a source (its tickets stay); never returned a secret", async () => {
    expect((await api(itemRoute.DELETE, { method: "DELETE", path: `/api/odata/sources/${id}`, key: admin.key, params: { id } })).status).toBe(204);
    expect((await api(itemRoute.GET, { path: `/api/odata/sources/${id}`, key: admin.key, params: { id } })).status).toBe(404);
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM tickets WHERE source = 'odata'`);
    expect(n.n).toBe(1);
    const all = JSON.stringify(seen);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain("v1.");
  });
});
