import path from "node:path";
import { readdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import type { Role } from "@/db/schema";
import { clearApiKeyCache } from "@/lib/auth/api-keys";
import { API_SCOPES, type ApiScope } from "@/lib/auth/scopes";
import type { RouteHandler } from "@/lib/http/route";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * The authorization matrix's route side: every app/api/**\/route.ts is found by glob (not
 * listed by hand), imported, and each exported method handler's `.routeConfig` gives the
 * expected status per principal. A handler without a routeConfig must be in UNWRAPPED below,
 * so a new route written outside `route()` fails the matrix.
 */

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** Handlers deliberately outside `route()`: next-auth's own endpoints, the env-gated test clock, the public OpenAPI document. */
export const UNWRAPPED = new Set([
  "auth/[...nextauth] GET",
  "auth/[...nextauth] POST",
  "test/clock GET",
  "test/clock POST",
  "openapi.json GET",
  "metrics GET", // no principal lookup: it must answer while the database is down (own token/loopback check)
]);

export interface RouteCase {
  /** Path under app/api, e.g. `tickets/[key]/comments`. */
  route: string;
  method: Method;
  handler: RouteHandler;
}

const API_DIR = path.resolve(__dirname, "../../app/api");

/** Every route file under app/api, sorted (relative dir, e.g. `tickets/[key]`). */
export function routeDirs(): string[] {
  return (readdirSync(API_DIR, { recursive: true }) as string[])
    .filter((f) => path.basename(f) === "route.ts")
    .map((f) => path.dirname(f).split(path.sep).join("/"))
    .sort();
}

/**
 * Import the route files with index % parts === part and list their (route, method) handlers.
 * @returns cases plus the handlers skipped as UNWRAPPED (asserted by the caller).
 */
export async function loadRouteCases(part: number, parts: number): Promise<{ cases: RouteCase[]; unwrapped: string[]; files: number }> {
  const dirs = routeDirs().filter((_, i) => i % parts === part);
  const cases: RouteCase[] = [];
  const unwrapped: string[] = [];
  for (const dir of dirs) {
    const mod = (await import(/* @vite-ignore */ path.join(API_DIR, dir, "route.ts"))) as Record<string, unknown>;
    for (const m of METHODS) {
      const h = mod[m];
      if (typeof h !== "function") continue;
      if ("routeConfig" in h && h.routeConfig) cases.push({ route: dir, method: m, handler: h as RouteHandler });
      else unwrapped.push(`${dir} ${m}`);
    }
  }
  return { cases, unwrapped, files: dirs.length };
}

export interface Principals {
  /** Role keys (all scopes). */
  requesterA: Actor;
  requesterB: Actor;
  agent: Actor;
  admin: Actor;
  /** Admin-role keys holding exactly one scope, and all scopes but that one. */
  only: Record<ApiScope, string>;
  allBut: Record<ApiScope, string>;
  /** A ticket filed by requester A (for `[key]`). */
  ticketKey: string;
}

/** Users, role keys (with every scope), one-scope/all-but-one admin keys and requester A's ticket. */
export async function makePrincipals(db: Db, tag: string, createTicket: (a: Actor) => Promise<string>): Promise<Principals> {
  const mk = (email: string, role: Role) => makeActor(db, `${email}-${tag}@corp.test`, role, role === "agent" ? { teamSlug: "service-desk" } : {});
  const requesterA = await mk("req-a", "requester");
  const requesterB = await mk("req-b", "requester");
  const agent = await mk("agent", "agent");
  const admin = await mk("admin", "admin");
  for (const a of [requesterA, requesterB, agent, admin]) {
    await db.execute(sql`UPDATE api_keys SET scopes = ${`{${API_SCOPES.join(",")}}`}::text[] WHERE user_id = ${a.id}`);
  }
  const only = {} as Record<ApiScope, string>;
  const allBut = {} as Record<ApiScope, string>;
  for (const s of API_SCOPES) {
    const o = await mk(`only-${s.replace(":", "-")}`, "admin");
    await db.execute(sql`UPDATE api_keys SET scopes = ${`{${s}}`}::text[] WHERE user_id = ${o.id}`);
    only[s] = o.key;
    const b = await mk(`allbut-${s.replace(":", "-")}`, "admin");
    await db.execute(sql`UPDATE api_keys SET scopes = ${`{${API_SCOPES.filter((x) => x !== s).join(",")}}`}::text[] WHERE user_id = ${b.id}`);
    allBut[s] = b.key;
  }
  clearApiKeyCache();
  const ticketKey = await createTicket(requesterA);
  return { requesterA, requesterB, agent, admin, only, allBut, ticketKey };
}

/** Fill a route's dynamic segments: `[key]` → requester A's ticket, catch-alls → ["session"], others → an unknown id. */
export function paramsFor(route: string, ticketKey: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const segs = route.split("/").map((s) => {
    const m = /^\[(\.\.\.)?(\w+)\]$/.exec(s);
    if (!m) return s;
    const v = m[2] === "key" || m[2] === "other" ? ticketKey
      : m[2] === "slug" ? "no-such-slug"
      : m[2] === "day" ? "2026-12-25"
      : "00000000-0000-4000-8000-000000000000";
    params[m[2]] = v;
    return v;
  });
  return { path: `/api/${segs.join("/")}`, params };
}

const RANK: Record<Role, number> = { requester: 1, agent: 2, admin: 3 };

export type Who = "anonymous" | "requesterA" | "requesterB" | "agent" | "admin";

/** Expected outcome for a role principal: `allowed` (not 401/403), 401 or 403. */
export function expectedFor(c: RouteCase, who: Who): "allowed" | 401 | 403 {
  const auth = c.handler.routeConfig.auth;
  if (auth === "public") return "allowed";
  if (who === "anonymous") return 401;
  if (auth === "signed-in") return "allowed";
  const role: Role = who === "requesterA" || who === "requesterB" ? "requester" : who;
  return RANK[role] >= RANK[auth] ? "allowed" : 403;
}

/** Call a case as a principal (key or none) with a minimal body; returns status and error code. */
export async function hit(c: RouteCase, ticketKey: string, key: string | undefined, body?: unknown): Promise<{ status: number; code?: string }> {
  const { path: p, params } = paramsFor(c.route, ticketKey);
  const res = await call<{ error?: { code?: string } }>(c.handler, {
    method: c.method,
    path: p,
    params,
    key,
    body: body ?? (c.method === "GET" || c.method === "DELETE" ? undefined : {}),
  });
  return { status: res.status, code: res.body && typeof res.body === "object" ? res.body.error?.code : undefined };
}

/** Public routes that answer by their own rule, with the statuses a test call may get: readiness (503 until start-up ran, which route tests never run). */
export const OWN_RULE: Record<string, number[]> = { "health/ready GET": [200, 503] };

/** Assert one (case, principal) cell against its expectation, naming the cell on failure. */
export function assertCell(c: RouteCase, who: string, expected: "allowed" | 401 | 403, got: { status: number; code?: string }): void {
  const label = `${c.method} /api/${c.route} as ${who}: got ${got.status} ${got.code ?? ""}`;
  const own = OWN_RULE[`${c.route} ${c.method}`];
  if (own && expected === "allowed") {
    expect(own, label).toContain(got.status);
  } else if (expected === "allowed") {
    expect([401, 403], label).not.toContain(got.status);
    expect(got.status, label).toBeLessThan(500);
  } else {
    expect(got.status, label).toBe(expected);
  }
}

/** Valid bodies for the ownership checks (requester B on requester A's ticket must get 404). */
const VALID_BODIES: Record<string, unknown> = {
  "PATCH tickets/[key]": { status: "resolved" },
  "POST tickets/[key]/comments": { body: "Any news on this?" },
  "POST tickets/[key]/requester-status": { action: "solve" },
  "POST tickets/[key]/csat": { rating: "good" },
};

const WHO: Who[] = ["anonymous", "requesterB", "requesterA", "agent", "admin"];

/**
 * Register the matrix for one slice of the route files (call at a test file's top level, after
 * `useTestDb()`): role principals × every (route, method), ownership on `[key]` routes, and —
 * for routes declaring a `scope` — a key with only that scope (allowed) and one with every
 * other scope (403 insufficient_scope).
 */
export function defineRouteMatrix(opts: { part: number; parts: number; getDb: () => Db; describe: typeof import("vitest").describe; it: typeof import("vitest").it; beforeAll: typeof import("vitest").beforeAll }): void {
  const { part, parts, getDb, describe, it, beforeAll } = opts;
  let loaded: Awaited<ReturnType<typeof loadRouteCases>>;
  let p: Principals;
  beforeAll(async () => {
    loaded = await loadRouteCases(part, parts);
    const tickets = (await import("@/app/api/tickets/route")) as unknown as { POST: RouteHandler };
    p = await makePrincipals(getDb(), `p${part}`, async (a) => {
      const res = await call<{ ticket: { key: string } }>(tickets.POST, {
        path: "/api/tickets",
        key: a.key,
        body: { email: a.email, title: "VPN drops every few minutes", description: "The VPN client disconnects every few minutes since this morning, from home" },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.ticket.key;
    });
  }, 60_000);

  describe(`authorization matrix, route files ${part + 1}/${parts}`, () => {
    it("finds the route files and only known handlers outside route()", () => {
      expect(loaded.files).toBeGreaterThan(10);
      expect(loaded.cases.length).toBeGreaterThan(10);
      for (const u of loaded.unwrapped) expect(UNWRAPPED.has(u), `${u} is not built with route() (no routeConfig)`).toBe(true);
    });

    it("requester B cannot see or act on requester A's ticket (404 on every [key] route open to requesters)", async () => {
      const keyed = loaded.cases.filter((c) => /\[key\]/.test(c.route) && expectedFor(c, "requesterB") === "allowed");
      for (const c of keyed) {
        const body = VALID_BODIES[`${c.method} ${c.route}`];
        const got = await hit(c, p.ticketKey, p.requesterB.key, body);
        const label = `${c.method} /api/${c.route} as requester B on A's ticket: ${got.status} ${got.code ?? ""}`;
        // With a valid body it must be 404; with the minimal body a 400 from body parsing (before
        // any lookup, so it reveals nothing) is also fine.
        // A 403 is fine only when the owner herself gets the same role refusal (reveals nothing).
        if (body && got.status === 403) expect((await hit(c, p.ticketKey, p.requesterA.key, body)).status, `${label} (owner is not refused)`).toBe(403);
        else if (body) expect(got.status, label).toBe(404);
        else expect(got.status === 404 || (got.status === 400 && got.code === "validation_error"), label).toBe(true);
      }
      // The owner does reach her own ticket.
      const view = loaded.cases.find((c) => c.route === "tickets/[key]" && c.method === "GET");
      if (view) expect((await hit(view, p.ticketKey, p.requesterA.key)).status).toBe(200);
    });

    it("every (route, method) × role principal gets the status its config implies", async () => {
      let cells = 0;
      const kinds = { allowed: 0, 401: 0, 403: 0 };
      for (const who of WHO) {
        for (const c of loaded.cases) {
          const key = who === "anonymous" ? undefined : p[who].key;
          const expected = expectedFor(c, who);
          assertCell(c, who, expected, await hit(c, p.ticketKey, key));
          kinds[expected]++;
          cells++;
        }
      }
      expect(cells).toBe(loaded.cases.length * WHO.length);
      // Not vacuous: the slice has refusals of both kinds and allowed cells.
      expect(kinds.allowed).toBeGreaterThan(0);
      expect(kinds[401]).toBeGreaterThan(0);
      expect(kinds[403]).toBeGreaterThan(0);
    }, 120_000);

    it("API keys: only the declared scope opens a route; every other scope is refused with insufficient_scope", async () => {
      let cells = 0;
      for (const c of loaded.cases) {
        const scope = c.handler.routeConfig.scope;
        if (scope === undefined) continue;
        if (scope === "none") {
          expect(c.handler.routeConfig.auth, `${c.method} /api/${c.route}: scope none on a non-public route`).toBe("public");
          continue;
        }
        assertCell(c, `admin key with only ${scope}`, "allowed", await hit(c, p.ticketKey, p.only[scope]));
        const denied = await hit(c, p.ticketKey, p.allBut[scope]);
        expect(denied, `${c.method} /api/${c.route} with every scope but ${scope}`).toEqual({ status: 403, code: "insufficient_scope" });
        cells += 2;
      }
      if (SCOPES_REQUIRED) expect(cells).toBeGreaterThan(0);
    }, 120_000);
  });
}

/** Every route declares a scope (tests/security/route-scopes.test.ts), so the scope cells cannot be empty. */
export const SCOPES_REQUIRED = true;
