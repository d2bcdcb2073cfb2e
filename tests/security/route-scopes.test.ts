import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import { rows } from "@/db/client";
import { clearApiKeyCache, createApiKey, flushApiKeyUsage } from "@/lib/auth/api-keys";
import { API_SCOPES, scopesForRole } from "@/lib/auth/scopes";
import { resetEnvForTests } from "@/lib/env";
import { peerHeaderName } from "@/lib/http/client-ip";
import type { RouteHandler } from "@/lib/http/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { loadRouteCases } from "./authz-routes";

/*
 * Every route declares the API-key scope it needs; keys are refused without it (403
 * insufficient_scope), after their expiry (401), and their use is counted. Every route is also
 * rate limited by class (read, write, classify, auth) per caller.
 */
const testDb = useTestDb();
const tickets = ticketsRoute as unknown as { GET: RouteHandler; POST: RouteHandler };
const classify = classifyRoute as unknown as { POST: RouteHandler };

describe("route scopes", () => {
  it("every route() config under app/api declares a valid scope; `none` only on public routes", async () => {
    const { cases } = await loadRouteCases(0, 1);
    expect(cases.length).toBeGreaterThan(100);
    const valid = new Set<string>([...API_SCOPES, "none"]);
    for (const c of cases) {
      const { scope, auth } = c.handler.routeConfig;
      const label = `${c.method} /api/${c.route}`;
      expect(valid.has(scope as string), `${label} declares scope ${String(scope)}`).toBe(true);
      if (scope === "none") expect(auth, `${label}: scope none needs auth public`).toBe("public");
      if (auth === "admin") expect(scope, `${label}: admin routes need the admin scope`).toBe("admin");
      if (c.handler.routeConfig.rateClass === "exempt") expect(["health", "health/ready", "metrics"], `${label}: only the operational probes skip rate limits`).toContain(c.route);
      if (c.method !== "GET" && scope === "tickets:read") expect(["tickets/classify"], `${label}: a write under tickets:read`).toContain(c.route);
    }
  });

  it("a key without the route's scope gets 403 insufficient_scope naming it; with it, the route answers", async () => {
    const a = await makeActor(testDb.db, "scoped@corp.test", "requester");
    const readOnly = await createApiKey(testDb.db, { name: "read-only", role: "requester", userId: a.id, scopes: ["tickets:read"] });
    const list = await call(tickets.GET, { path: "/api/tickets", key: readOnly.key });
    expect(list.status).toBe(200);
    const before = await rows<{ n: number }>(testDb.db, sql`SELECT count(*)::int AS n FROM tickets`);
    const denied = await call(tickets.POST, { path: "/api/tickets", key: readOnly.key, body: { email: a.email, title: "Printer jams", description: "The printer on floor 2 jams on every page" } });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: "insufficient_scope", details: { required: "tickets:write", granted: ["tickets:read"] } });
    expect(await rows<{ n: number }>(testDb.db, sql`SELECT count(*)::int AS n FROM tickets`)).toEqual(before);
  });

  it("keys get their role's scopes by default; a requester key never reaches admin routes whatever its scopes", async () => {
    expect(scopesForRole("requester")).toEqual(["tickets:read", "tickets:write", "files:write"]);
    expect(scopesForRole("admin")).toEqual(API_SCOPES);
    const a = await makeActor(testDb.db, "defaults@corp.test", "agent");
    const [row] = await testDb.db.select({ scopes: apiKeys.scopes }).from(apiKeys).where(eq(apiKeys.userId, a.id));
    expect(row.scopes).toEqual(["tickets:read", "tickets:write", "files:write", "webhook"]);
  });

  it("an expired key is refused with 401; a key expiring later works", async () => {
    const a = await makeActor(testDb.db, "expiry@corp.test", "requester");
    const expired = await createApiKey(testDb.db, { name: "old", role: "requester", userId: a.id, expiresAt: new Date(Date.now() - 1000) });
    const valid = await createApiKey(testDb.db, { name: "new", role: "requester", userId: a.id, expiresAt: new Date(Date.now() + 3_600_000) });
    expect((await call(tickets.GET, { path: "/api/tickets", key: expired.key })).status).toBe(401);
    expect((await call(tickets.GET, { path: "/api/tickets", key: valid.key })).status).toBe(200);
  });

  it("counts each request of a key and records its last use", async () => {
    const a = await makeActor(testDb.db, "count@corp.test", "requester");
    const k = await createApiKey(testDb.db, { name: "counted", role: "requester", userId: a.id });
    for (let i = 0; i < 5; i++) expect((await call(tickets.GET, { path: "/api/tickets", key: k.key })).status).toBe(200);
    await flushApiKeyUsage(testDb.db);
    const [row] = await testDb.db.select({ n: apiKeys.requestCount, last: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, k.id));
    expect(row.n).toBe(5);
    expect(row.last).toBeInstanceOf(Date);
    // Counts add up (several instances each add theirs).
    await call(tickets.GET, { path: "/api/tickets", key: k.key });
    await flushApiKeyUsage(testDb.db);
    const [again] = await testDb.db.select({ n: apiKeys.requestCount }).from(apiKeys).where(eq(apiKeys.id, k.id));
    expect(again.n).toBe(6);
  });
});

describe("rate limits by route class", () => {
  const saved = { ...process.env };
  beforeAll(() => clearApiKeyCache());
  afterEach(() => {
    for (const k of ["RATE_LIMIT_READ_PER_MIN", "RATE_LIMIT_WRITE_PER_MIN", "RATE_LIMIT_CLASSIFY_PER_MIN", "RATE_LIMIT_AUTH_PER_MIN"]) process.env[k] = saved[k];
    resetEnvForTests();
  });

  it("read, write and classify each have their own per-caller limit; 429 carries Retry-After and RateLimit-*", async () => {
    process.env.RATE_LIMIT_READ_PER_MIN = "3";
    process.env.RATE_LIMIT_WRITE_PER_MIN = "2";
    process.env.RATE_LIMIT_CLASSIFY_PER_MIN = "1";
    resetEnvForTests();
    const a = await makeActor(testDb.db, "limited@corp.test", "requester");
    const b = await makeActor(testDb.db, "other@corp.test", "requester");
    const get = () => call(tickets.GET, { path: "/api/tickets", key: a.key });
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get("RateLimit-Limit")).toBe("3");
    expect(first.headers.get("RateLimit-Remaining")).toBe("2");
    await get();
    await get();
    const over = await get();
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({ code: "rate_limited", details: { class: "read" } });
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(over.headers.get("RateLimit-Remaining")).toBe("0");
    // Another key is not affected; the same key can still write (own class).
    expect((await call(tickets.GET, { path: "/api/tickets", key: b.key })).status).toBe(200);
    const body = { email: a.email, title: "Laptop will not boot", description: "Black screen after the update this morning" };
    expect((await call(tickets.POST, { path: "/api/tickets", key: a.key, body })).status).toBe(201);
    expect((await call(tickets.POST, { path: "/api/tickets", key: a.key, body })).status).toBe(201);
    const before = await rows<{ n: number }>(testDb.db, sql`SELECT count(*)::int AS n FROM tickets`);
    const w = await call(tickets.POST, { path: "/api/tickets", key: a.key, body });
    expect(w.status).toBe(429);
    expect(await rows<{ n: number }>(testDb.db, sql`SELECT count(*)::int AS n FROM tickets`)).toEqual(before);
    // Classify is its own class.
    const c1 = await call(classify.POST, { path: "/api/tickets/classify", key: b.key, body: { title: "VPN down", description: "Cannot connect to the VPN from home" } });
    expect(c1.status).toBe(200);
    const c2 = await call(classify.POST, { path: "/api/tickets/classify", key: b.key, body: { title: "VPN down", description: "Cannot connect to the VPN from home" } });
    expect(c2.status).toBe(429);
    expect(c2.body.error.details.class).toBe("classify");
  });

  it("anonymous callers are limited per client IP, before the 401 (key guessing is limited too)", async () => {
    process.env.RATE_LIMIT_READ_PER_MIN = "2";
    resetEnvForTests();
    const from = (ip: string, key?: string) => call(tickets.GET, { path: "/api/tickets", key, headers: { [peerHeaderName()]: ip } });
    expect((await from("192.0.2.10")).status).toBe(401);
    expect((await from("192.0.2.10", "sb_not-a-real-key")).status).toBe(401);
    const third = await from("192.0.2.10", "sb_another-guess");
    expect(third.status).toBe(429);
    expect(third.headers.get("Retry-After")).toBeTruthy();
    expect((await from("192.0.2.11")).status).toBe(401);
  });
});
