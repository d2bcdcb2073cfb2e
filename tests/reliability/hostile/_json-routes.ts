import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { resetEnvForTests } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { call, type CallResult } from "../../helpers/http";
import { changedTables, dbFingerprint, expectErrorShape, gatedJsonRoutes, jsonRoutes, makeFixtures, pathOf, REQUESTER_ROUTES, schemaKeys, type Fixtures, type JsonRoute } from "./_routes";

/*
 * Property-based hostile input over every JSON route (issue 15 §3), one slice of the routes per
 * test file. For each route with a zod body schema (and each GET with a query schema), called
 * in-process as an actor the route admits, with real entities behind its path parameters:
 *   (a) arbitrary JSON values, (b) mutations of a valid body (a field dropped, of the wrong type,
 *   null, 1 MB or 60 KB long, deeply nested, out-of-range numbers, "NaN", extra keys, NUL and
 *   lone surrogates), (c) raw non-JSON bodies (truncated JSON, wrong content types, bad UTF-8),
 *   and for GET routes random query strings.
 * Properties: never a 5xx; every 4xx has the `{error: {code, message, details}}` shape; a 4xx
 * writes nothing (every app table's row count and content checksum unchanged).
 */

/** Runs per route and generator kind; keep the files fast (issue 15: seconds, not minutes). */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 20);

/** Inputs tried and outcomes, summed over the file (printed as one line at the end). */
const tally = { routes: 0, inputs: 0, s2xx: 0, s4xx: 0, s5xx: 0 };

const deep = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

/** Values that replace one field of a valid body. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(-1, 0, 1.5, -0.0001, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER, 99999999999999999999),
  fc.constantFrom("NaN", "Infinity", "-1", "1e999", "", " ", "true", "null", "0x10", "2026-13-45", "00000000-0000-0000-0000-000000000000", "T-0", "T-99999999999999999"),
  fc.constantFrom("a\u0000b", "\uD800", "x\uDFFFy", "\u202Eevil\u202C", "\u200B", "👩‍👩‍👧‍👦", "'; DROP TABLE tickets; --", "<script>alert(1)</script>"),
  fc.constant("x".repeat(60_000)),
  fc.constant("y".repeat(1024 * 1024)),
  fc.constant(deep(200)),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.array(fc.integer(), { minLength: 0, maxLength: 3 }),
  fc.constant(Array.from({ length: 2000 }, (_, i) => `v${i}`)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
);

type Mutation = { what: string; body: unknown };

/**
 * Mutations of a valid body: drop / replace / add a field, or replace the whole body. Fields are
 * the valid body's and the schema's (so optional ones such as `metadata` get hostile values too).
 */
export function mutations(valid: unknown, schemaFields: string[]): fc.Arbitrary<Mutation> {
  const obj = valid && typeof valid === "object" && !Array.isArray(valid) ? (valid as Record<string, unknown>) : {};
  const keys = [...new Set([...Object.keys(obj), ...schemaFields])];
  const arbs: fc.Arbitrary<Mutation>[] = [
    fc.record({ k: fc.string({ maxLength: 12 }), v: hostileValue }).map(({ k, v }) => ({ what: `extra key ${JSON.stringify(k)}`, body: { ...obj, [k]: v } })),
    hostileValue.map((v) => ({ what: "whole body replaced", body: v })),
  ];
  if (keys.length) {
    const key = fc.constantFrom(...keys);
    arbs.push(
      key.map((k) => {
        const { [k]: _, ...rest } = obj;
        return { what: `dropped ${k}`, body: rest };
      }),
      fc.record({ k: key, v: hostileValue }).map(({ k, v }) => ({ what: `${k} replaced`, body: { ...obj, [k]: v } })),
      fc.record({ k: key, v: hostileValue }).map(({ k, v }) => ({ what: `${k} nested`, body: { ...obj, [k]: typeof obj[k] === "object" && obj[k] !== null ? { ...(obj[k] as object), x: v } : [v] } })),
    );
  }
  return fc.oneof(...arbs);
}

/** Raw bodies that are not the JSON the route expects. */
function rawBodies(valid: unknown): fc.Arbitrary<{ what: string; raw: string | Uint8Array; type?: string }> {
  const text = JSON.stringify(valid ?? {});
  return fc.oneof(
    fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((n) => ({ what: `truncated at ${n}`, raw: text.slice(0, n) })),
    fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "", "application/jsonx", "application/json; charset=latin1")
      .map((type) => ({ what: `content-type ${JSON.stringify(type)}`, raw: text, type })),
    fc.constantFrom(
      "{", "}", "[", "nul", "NaN", "{'a': 1}", '{"a":1,}', "\u0000", "\uFEFF{}", "[[[[[[[[[[", '{"a":"\\uD800"}', '{"a":"\\u0000"}',
      `${"[".repeat(20_000)}${"]".repeat(20_000)}`, `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`, '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}',
    ).map((raw) => ({ what: `raw ${JSON.stringify(raw.slice(0, 20))}`, raw })),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((raw) => ({ what: "random bytes", raw })),
    fc.constant({ what: "invalid UTF-8", raw: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]) }),
  );
}

/** Random query strings for a GET route: its own keys and others, any values, repeats, bad escapes. */
function queries(keys: string[]): fc.Arbitrary<string> {
  const key = keys.length ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 });
  const value = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: "grapheme", maxLength: 10 }), hostileValue.filter((v) => typeof v === "string" && v.length < 2000).map(String), fc.integer().map(String));
  const pairs = fc.array(fc.tuple(key, value), { maxLength: 6 }).map((ps) => new URLSearchParams(ps).toString());
  const raw = fc.constantFrom("%", "%E0%A4%A", "limit=%00", "q=%uD800", "a&&&=&=", "limit=1e999", "limit=-1&limit=2", "cursor=%FF%FE", "sort=__proto__", `q=${"x".repeat(10_000)}`);
  return fc.oneof(pairs, raw);
}

/** Where POST /api/assistant keeps its exchanges (db/schema: chat_conversations, chat_messages). */
const ASSISTANT_HISTORY_TABLES = ["chat_conversations", "chat_messages"];

function isRejected(res: CallResult): boolean {
  return res.status >= 400 && res.status < 500;
}

/**
 * Register the hostile-JSON suite for the routes with index % parts === part (call at the top
 * level of a test file after `useTestDb()`).
 */
export function defineHostileJsonSuite(opts: { part: number; parts: number; getDb: () => Db }): void {
  const { part, parts, getDb } = opts;
  const bodyRoutes = [...jsonRoutes("body"), ...gatedJsonRoutes()].filter((_, i) => i % parts === part);
  const queryRoutes = jsonRoutes("query").filter((_, i) => i % parts === part);
  let fx: Fixtures;
  let db: Db;

  const testClockWas = process.env.SWITCHBOARD_TEST_CLOCK;
  beforeAll(async () => {
    // The gated test clock route answers 404 without it (gatedJsonRoutes).
    process.env.SWITCHBOARD_TEST_CLOCK = "1";
    resetEnvForTests();
    db = getDb();
    fx = await makeFixtures(db, `p${part}`);
  }, 120_000);

  afterAll(() => {
    if (testClockWas === undefined) delete process.env.SWITCHBOARD_TEST_CLOCK;
    else process.env.SWITCHBOARD_TEST_CLOCK = testClockWas;
    resetEnvForTests();
    // One line for docs/RELIABILITY.md.
    console.log(`hostile-json: ${tally.routes} routes, ${tally.inputs} inputs, ${tally.s5xx} 5xx (part ${part + 1}/${parts}; ${tally.s2xx} accepted, ${tally.s4xx} rejected with 4xx)`);
  });

  /** Send one input; check the properties; returns nothing (throws on a violation). */
  async function attempt(c: JsonRoute, label: string, send: { body?: unknown; raw?: string | Uint8Array; type?: string; query?: string }): Promise<void> {
    const params = fx.params[c.route] ?? {};
    const key = REQUESTER_ROUTES.has(`${c.method} ${c.route}`) ? fx.requester.key : fx.admin.key;
    if (c.handler.routeConfig.rateLimit) await db.execute(sql`DELETE FROM rate_limits`);
    const before = await dbFingerprint(db);
    const headers: Record<string, string> = {};
    if (send.type !== undefined) headers["content-type"] = send.type;
    let res: CallResult;
    try {
      res = await call(c.handler, {
        method: c.method,
        path: pathOf(c.route, params) + (send.query ? `?${send.query}` : ""),
        params,
        key,
        headers,
        body: send.raw === undefined && c.method !== "GET" ? (send.body === undefined ? null : send.body) : undefined,
        raw: send.raw,
      });
    } catch (err) {
      throw new Error(`${label}: the handler threw instead of answering: ${String(err)}`);
    }
    tally.inputs++;
    const where = `${c.method} /api/${c.route} ${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
    if (res.status >= 500) tally.s5xx++;
    else if (res.status >= 400) tally.s4xx++;
    else tally.s2xx++;
    expect(res.status, where).toBeLessThan(500);
    if (isRejected(res)) {
      expectErrorShape(res, where);
      // POST /api/assistant stores a failed operation as an answer in the caller's conversation
      // (op envelope; lib/assistant/service.ts): those two tables only. A rejected request
      // (no envelope: bad body, a confirm token we never issued) writes nothing.
      const answered = c.route === "assistant" && typeof (res.body as { op?: unknown } | null)?.op === "string";
      const changed = changedTables(before, await dbFingerprint(db)).filter((t) => !(answered && ASSISTANT_HISTORY_TABLES.includes(t)));
      expect(changed, `${where}: a rejected request wrote`).toEqual([]);
    }
  }

  if (part === 0) {
    it("the properties catch a 5xx and a 4xx that wrote (a deliberately broken route)", async () => {
      const broken: JsonRoute = {
        route: "hostile-self-check",
        method: "POST",
        schema: z.object({ n: z.number() }),
        handler: route({ auth: "admin", scope: "admin", body: z.object({ n: z.number() }) }, async ({ body }) => {
          if (body.n > 1000) throw new Error("unexpected");
          if (body.n < -1000) {
            await db.execute(sql`UPDATE tickets SET updated_at = now() - interval '1 day'`);
            throw new ApiError("bad_request", "negative");
          }
          return {};
        }),
      };
      const saved = { ...tally };
      try {
        const failure = (arb: fc.Arbitrary<number>) =>
          fc.assert(fc.asyncProperty(arb, (n) => attempt(broken, `n=${n}`, { body: { n } })), { numRuns: 5, includeErrorInReport: true }).then(() => "passed", (e: unknown) => String(e));
        expect(await failure(fc.integer({ min: 1001 }))).toMatch(/expected 500 to be less than 500/);
        expect(await failure(fc.integer({ max: -1001 }))).toMatch(/a rejected request wrote/);
        await fc.assert(fc.asyncProperty(fc.integer({ min: -1000, max: 1000 }), (n) => attempt(broken, `n=${n}`, { body: { n } })), { numRuns: 5 });
      } finally {
        Object.assign(tally, saved);
      }
    });
  }

  describe(`hostile JSON bodies, routes ${part + 1}/${parts}`, () => {
    it("finds the body routes in the registry and has a valid body for each", () => {
      expect(bodyRoutes.length).toBeGreaterThan(15);
      for (const c of bodyRoutes) {
        const valid = fx.valid[`${c.method} ${c.route}`];
        expect(valid, `no valid body for ${c.method} ${c.route} in _routes.ts`).toBeDefined();
        const parsed = c.schema.safeParse(valid);
        expect(parsed.success, `${c.method} ${c.route}: the valid body fails its schema: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    });

    for (const c of bodyRoutes.filter((r) => gatedJsonRoutes().some((g) => g.route === r.route && g.method === r.method))) {
      it(`${c.method} /api/${c.route} is enabled for the suite: its valid body is accepted (not a 404 everywhere)`, async () => {
        const res = await call(c.handler, { method: c.method, path: pathOf(c.route, fx.params[c.route] ?? {}), key: fx.admin.key, body: fx.valid[`${c.method} ${c.route}`] });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      });
    }

    for (const c of bodyRoutes) {
      it(`${c.method} /api/${c.route}: arbitrary JSON, mutated and raw bodies → no 5xx, 4xx shaped and writing nothing`, async () => {
        tally.routes++;
        const valid = fx.valid[`${c.method} ${c.route}`];
        await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), (v) => attempt(c, `json ${JSON.stringify(v).slice(0, 80)}`, { body: v })), { numRuns: RUNS });
        await fc.assert(fc.asyncProperty(mutations(valid, schemaKeys(c.schema)), (m) => attempt(c, m.what, { body: m.body })), { numRuns: RUNS });
        await fc.assert(fc.asyncProperty(rawBodies(valid), (r) => attempt(c, r.what, { raw: r.raw, type: r.type ?? "application/json" })), { numRuns: Math.ceil(RUNS / 2) });
      }, 120_000);
    }
  });

  describe(`hostile query strings, GET routes ${part + 1}/${parts}`, () => {
    it("finds the GET routes with query schemas", () => {
      expect(queryRoutes.length).toBeGreaterThan(5);
    });
    for (const c of queryRoutes) {
      it(`GET /api/${c.route}: random query strings → no 5xx, 4xx shaped`, async () => {
        tally.routes++;
        await fc.assert(fc.asyncProperty(queries(schemaKeys(c.schema)), (q) => attempt(c, `?${q.slice(0, 80)}`, { query: q })), { numRuns: RUNS });
      }, 120_000);
    }
  });
}
