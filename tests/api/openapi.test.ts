import { readFileSync } from "node:fs";
import path from "node:path";
import { validate } from "@readme/openapi-parser";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import * as openapiRoute from "@/app/api/openapi.json/route";
import * as healthRoute from "@/app/api/health/route";
import * as readyRoute from "@/app/api/health/ready/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import * as statsRoute from "@/app/api/tickets/stats/route";
import { openApiDocument } from "@/lib/http/openapi";
import { referenceGroups, tryItUrl } from "@/app/docs/reference";
import * as docsTryRoute from "@/app/docs/try/route";
import { EXCLUDED, HTTP_METHODS, openApiPath } from "@/lib/http/openapi-generate";
import { ErrorBodySchema, RESPONSE_META } from "@/lib/http/openapi-responses";
import { ROUTE_MODULES } from "@/lib/http/route-registry.generated";
import { registrySource, routeDirs } from "@/lib/http/openapi-registry";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * The OpenAPI document (/api/openapi.json): a valid OpenAPI 3.1 document, generated from every
 * route file on disk (the registry must match the files), and real responses of the main routes
 * match their documented zod response schemas.
 */

type Doc = { paths: Record<string, Record<string, { responses: Record<string, unknown>; "x-required-scope"?: string; security?: unknown[] }>> };
const API_DIR = path.resolve(__dirname, "../../app/api");
const doc = openApiDocument() as unknown as Doc;

describe("OpenAPI document", () => {
  it("is valid OpenAPI 3.1 (@readme/openapi-parser)", async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect((doc as unknown as { openapi: string }).openapi).toBe("3.1.0");
  });

  it("the route registry matches the route files on disk (npm run gen:routes)", () => {
    const dirs = routeDirs(API_DIR);
    expect(Object.keys(ROUTE_MODULES)).toEqual(dirs);
    const current = readFileSync(path.resolve(__dirname, "../../lib/http/route-registry.generated.ts"), "utf8");
    expect(current).toBe(registrySource(dirs));
  });

  it("documents every exported method of every route file, except the listed exclusions", async () => {
    // Exactly these files are left out, each with a reason: next-auth's browser flow and the test clock.
    expect(Object.keys(EXCLUDED).sort()).toEqual(["auth/[...nextauth]", "test/clock"]);
    const missing: string[] = [];
    let operations = 0;
    for (const dir of routeDirs(API_DIR)) {
      if (dir in EXCLUDED) continue;
      const mod = (await import(/* @vite-ignore */ path.join(API_DIR, dir, "route.ts"))) as Record<string, unknown>;
      for (const m of HTTP_METHODS) {
        if (typeof mod[m] !== "function") continue;
        operations++;
        if (!doc.paths[openApiPath(dir)]?.[m.toLowerCase()]) missing.push(`${m} ${openApiPath(dir)}`);
      }
    }
    expect(missing).toEqual([]);
    expect(operations).toBeGreaterThan(80);
    // and nothing else: every documented operation is served by a route file
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.length).toBe(operations);
  });

  it("names the scope, security and error responses from the route config", () => {
    const post = doc.paths["/api/tickets"].post;
    expect(post["x-required-scope"]).toBe("tickets:write");
    for (const s of ["201", "400", "401", "403", "429"]) expect(post.responses).toHaveProperty(s);
    expect(post.responses).not.toHaveProperty("200");
    expect(post.responses).toHaveProperty("429.headers.Retry-After");
    const health = doc.paths["/api/health"].get;
    expect(health.security).toEqual([]);
    expect(health.responses).not.toHaveProperty("401");
    expect(doc.paths["/api/admin/users"].get["x-required-scope"]).toBe("admin");
  });

  it("every operation: unique operationId; 401/403 and security unless public; 429 with Retry-After unless exempt", () => {
    const ids = new Set<string>();
    const wrong: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, raw] of Object.entries(ops)) {
        const op = raw as typeof raw & { operationId: string; "x-auth": string; description: string };
        const name = `${m.toUpperCase()} ${p}`;
        if (ids.has(op.operationId)) wrong.push(`${name}: duplicate operationId`);
        ids.add(op.operationId);
        if (op["x-auth"] !== "public" && !("401" in op.responses && "403" in op.responses && op.security?.length)) wrong.push(`${name}: auth responses`);
        if (op["x-auth"] === "public" && op.security?.length !== 0) wrong.push(`${name}: public but secured`);
        const exempt = op.description.includes("Not rate limited.");
        const r429 = op.responses["429"] as { headers?: Record<string, unknown> } | undefined;
        if (!exempt && !r429?.headers?.["Retry-After"]) wrong.push(`${name}: 429`);
        if (!op["x-required-scope"]) wrong.push(`${name}: scope`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("is served at GET /api/openapi.json", async () => {
    const res = await call(openapiRoute.GET as never, { path: "/api/openapi.json" });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toContain("/api/tickets/{key}/comments");
  });
});

describe("/docs reference", () => {
  it("lists every operation of the document, grouped by tag", () => {
    const ops = referenceGroups().flatMap((g) => g.operations);
    const documented = Object.values(doc.paths).reduce((n, o) => n + Object.keys(o).length, 0);
    expect(ops.length).toBe(documented);
    const post = ops.find((o) => o.method === "POST" && o.path === "/api/tickets")!;
    expect(post.scope).toBe("tickets:write");
    expect(post.requestExample).toBeDefined();
    expect(post.curl).toContain("Authorization: Bearer $API_KEY");
  });

  it("try-it URLs: fill path parameters, drop empty values, refuse unknown paths and non-GET paths", async () => {
    expect(tryItUrl("/api/tickets/{key}", { key: "T-1" })).toBe("/api/tickets/T-1");
    expect(tryItUrl("/api/tickets", { status: "open", q: "" })).toBe("/api/tickets?status=open");
    expect(tryItUrl("/api/tickets/{key}", { key: "" })).toBeNull();
    expect(tryItUrl("//evil.example/x", {})).toBeNull();
    expect(tryItUrl("/api/tickets/classify", {})).toBeNull();
    const ok = await call(docsTryRoute.GET as never, { path: "/docs/try?_path=%2Fapi%2Ftickets%2F%7Bkey%7D&key=T-9" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/api/tickets/T-9");
    const bad = await call(docsTryRoute.GET as never, { path: "/docs/try?_path=https%3A%2F%2Fevil.example" });
    expect(bad.status).toBe(400);
  });
});

describe("real responses match their documented schemas", () => {
  const testDb = useTestDb();
  let alice: Actor;
  let agent: Actor;
  let key: string;

  /** Parse a body with the documented schema of an operation and assert the status is the documented one. */
  function expectDocumented(op: string, status: number, body: unknown): void {
    const meta = RESPONSE_META[op];
    expect(meta?.response, op).toBeDefined();
    expect(status, `${op} → ${JSON.stringify(body).slice(0, 300)}`).toBe(meta.status ?? 200);
    const [method, p] = op.split(" ");
    expect(doc.paths[p][method.toLowerCase()].responses).toHaveProperty(String(meta.status ?? 200));
    const r = (meta.response as z.ZodType).safeParse(body);
    expect(r.success ? [] : r.error.issues, op).toEqual([]);
  }

  beforeAll(async () => {
    ({ alice, agent } = await makeDeskActors(testDb.db));
  });

  it("POST /api/tickets → 201 {ticket, triage}", async () => {
    const res = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: alice.key,
      body: { title: "VPN drops every 10 minutes", description: "The VPN client disconnects every ten minutes since this morning.", email: alice.email },
    });
    expectDocumented("POST /api/tickets", res.status, res.body);
    key = res.body.ticket.key;
  });

  it("GET /api/tickets, GET /api/tickets/{key}", async () => {
    const list = await call(ticketsRoute.GET, { path: "/api/tickets", key: agent.key });
    expectDocumented("GET /api/tickets", list.status, list.body);
    expect(list.body.items.length).toBeGreaterThan(0);
    const one = await call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: agent.key, params: { key } });
    expectDocumented("GET /api/tickets/{key}", one.status, one.body);
  });

  it("PATCH /api/tickets/{key}, POST /api/tickets/{key}/comments", async () => {
    const c = await call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: agent.key, params: { key }, body: { body: "We are looking into it." } });
    expectDocumented("POST /api/tickets/{key}/comments", c.status, c.body);
    const p = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { priority: "P2" } });
    expectDocumented("PATCH /api/tickets/{key}", p.status, p.body);
  });

  it("POST /api/tickets/classify, GET /api/tickets/stats", async () => {
    const c = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: alice.key, body: { title: "Printer jams", description: "The printer on floor 3 jams on every job since Monday." } });
    expectDocumented("POST /api/tickets/classify", c.status, c.body);
    const s = await call(statsRoute.GET, { path: "/api/tickets/stats", key: agent.key });
    expectDocumented("GET /api/tickets/stats", s.status, s.body);
  });

  it("GET /api/health (anonymous and staff), GET /api/health/ready", async () => {
    const anon = await call(healthRoute.GET, { path: "/api/health" });
    expectDocumented("GET /api/health", anon.status, anon.body);
    const staff = await call(healthRoute.GET, { path: "/api/health", key: agent.key });
    expectDocumented("GET /api/health", staff.status, staff.body);
    const ready = await call(readyRoute.GET, { path: "/api/health/ready" });
    expect([200, 503]).toContain(ready.status);
    const r = RESPONSE_META["GET /api/health/ready"].response!.safeParse(ready.body);
    expect(r.success ? [] : r.error.issues).toEqual([]);
  });

  it("error bodies match the Error schema (404, 400, 401)", async () => {
    const nf = await call(ticketRoute.GET, { path: "/api/tickets/T-999999", key: agent.key, params: { key: "T-999999" } });
    expect(nf.status).toBe(404);
    const bad = await call(ticketsRoute.POST, { path: "/api/tickets", key: alice.key, body: { title: "x" } });
    expect(bad.status).toBe(400);
    const anon = await call(ticketsRoute.GET, { path: "/api/tickets" });
    expect(anon.status).toBe(401);
    for (const b of [nf.body, bad.body, anon.body]) expect(ErrorBodySchema.safeParse(b).success, JSON.stringify(b)).toBe(true);
    expect(ErrorBodySchema.safeParse({ error: { code: "x" } }).success).toBe(false);
  });
});
