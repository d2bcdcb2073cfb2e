import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { rows, sqlExecutor, type Db, type SqlExecutor } from "@/db/client";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import { route } from "@/lib/http/route";
import { consume, createRateLimiter } from "@/lib/rate-limit";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * Section 3 "Rate limits are shared across instances": the limiter was an in-memory map per
 * process, so N instances allowed N times the limit. Counters now live in PostgreSQL
 * (rate_limits, rate-limiter-flexible's RateLimiterPostgres), on PGlite and PostgreSQL alike.
 */

const testDb = useTestDb();
let db: Db;
let agent: Actor;
/** On PostgreSQL, "process B" talks to the database over its own connection. */
let other: postgres.Sql | undefined;

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "agent@corp.test", "agent");
  if (testDb.kind === "postgres") other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await other?.end({ timeout: 5 });
});

/** A second instance's executor: its own connection on PostgreSQL, the same embedded database on PGlite. */
function otherExecutor(): SqlExecutor {
  if (!other) return sqlExecutor(db);
  const sqlClient = other;
  return {
    async executeSql(text, values) {
      return { rows: (await sqlClient.unsafe(text, (values ?? []) as never[], { prepare: false })) as Record<string, unknown>[] };
    },
  };
}

describe("shared rate limits", () => {
  it("two limiter instances (two processes) on one database share the count", async () => {
    const a = createRateLimiter(async () => sqlExecutor(db));
    const b = createRateLimiter(async () => otherExecutor());
    const opts = { limit: 3, windowMs: 60_000 };
    expect(await a.consume("submit:203.0.113.7", opts)).toMatchObject({ ok: true, remaining: 2, limit: 3 });
    expect(await b.consume("submit:203.0.113.7", opts)).toMatchObject({ ok: true, remaining: 1 });
    expect(await a.consume("submit:203.0.113.7", opts)).toMatchObject({ ok: true, remaining: 0 });
    const refused = await b.consume("submit:203.0.113.7", opts);
    expect(refused).toMatchObject({ ok: false, remaining: 0 });
    expect(refused.retryAfterS).toBeGreaterThan(50);
    expect(refused.retryAfterS).toBeLessThanOrEqual(60);
    expect((await a.consume("submit:203.0.113.7", opts)).ok).toBe(false);
    // other keys and other limits are counted apart
    expect((await b.consume("submit:198.51.100.1", opts)).ok).toBe(true);
    expect((await b.consume("submit:203.0.113.7", { limit: 10, windowMs: 60_000 })).ok).toBe(true);
    const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from rate_limits`);
    expect(r.n).toBeGreaterThanOrEqual(3);
  });

  it("concurrent requests from both instances never pass more than the limit", async () => {
    const a = createRateLimiter(async () => sqlExecutor(db));
    const b = createRateLimiter(async () => otherExecutor());
    const opts = { limit: 5, windowMs: 60_000 };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).consume("burst", opts)));
    expect(results.filter((x) => x.ok)).toHaveLength(5);
  });

  it("a new window opens after windowMs", async () => {
    const a = createRateLimiter(async () => sqlExecutor(db));
    const opts = { limit: 1, windowMs: 1000 };
    expect((await a.consume("short", opts)).ok).toBe(true);
    expect((await a.consume("short", opts)).ok).toBe(false);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await a.consume("short", opts)).ok).toBe(true);
  });

  it("long keys are hashed to fit the key column", async () => {
    const r = await consume(`x:${"é".repeat(400)}`, { limit: 2, windowMs: 60_000 });
    expect(r.ok).toBe(true);
  });
});

describe("limited route handlers answer 429 with Retry-After and RateLimit-* headers", () => {
  it("the route wrapper's limit, per caller", async () => {
    const handler = route({ auth: "public", scope: "none", rateLimit: { name: "test-route", limit: 2, windowMs: 60_000 } }, async () => ({ hi: 1 }));
    const first = await call(handler, { path: "/api/x" });
    expect(first.status).toBe(200);
    expect(first.headers.get("RateLimit-Limit")).toBe("2");
    expect(first.headers.get("RateLimit-Remaining")).toBe("1");
    expect(Number(first.headers.get("RateLimit-Reset"))).toBeGreaterThan(0);
    expect((await call(handler, { path: "/api/x" })).status).toBe(200);
    const third = await call(handler, { path: "/api/x" });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe("rate_limited");
    expect(Number(third.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(third.headers.get("RateLimit-Remaining")).toBe("0");
    // a signed-in caller has its own budget
    expect((await call(handler, { path: "/api/x", key: agent.key })).status).toBe(200);
  });

  it("POST /api/tickets/classify: 60 a minute per caller", async () => {
    // use up the caller's budget as another instance would (same key, same table)
    const other = createRateLimiter(async () => otherExecutor());
    const me = await makeActor(db, "classifier@corp.test", "requester");
    const first = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: me.key, body: { description: "My laptop will not boot" } });
    expect(first.status).toBe(200);
    expect(first.headers.get("RateLimit-Limit")).toBe("60");
    const [k] = await rows<{ key: string }>(db, sql`select key from rate_limits where key like ${"%classify:%"} order by key limit 1`);
    const bare = k.key.slice(k.key.indexOf("classify:"));
    for (let i = 0; i < 59; i++) await other.consume(bare, { limit: 60, windowMs: 60_000 });
    const limited = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: me.key, body: { description: "My laptop will not boot" } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});
