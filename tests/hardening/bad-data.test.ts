import { beforeAll, describe, expect, it, vi } from "vitest";
import pino from "pino";
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { rows, type Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import * as statsRoute from "@/app/api/tickets/stats/route";
import * as triageStatsRoute from "@/app/api/triage/stats/route";
import * as categoriesRoute from "@/app/api/categories/route";
import * as teamsRoute from "@/app/api/teams/route";
import { fromDatabaseError } from "@/lib/http/errors";
import { errorResponse } from "@/lib/http/route";
import { logger } from "@/lib/observability/logger";
import { METADATA_MAX_BYTES } from "@/lib/tickets/schemas";
import { useTestDb } from "../helpers/db";
import { makeActor, tableCounts, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * Section 4 "500s that leak ticket text": each input below used to reach the database and
 * come back as a 500 (and a log line holding the SQL parameters). Now they are 400s naming the
 * field, the database's data errors map to 400, and error logs carry no parameters or e-mails.
 */

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let admin: Actor;
let key: string;
const valid = { title: "Monitor flickers", description: "My external monitor flickers every few seconds", email: "a@corp.test" };
const NUL = "\u0000";

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "agent@corp.test", "agent");
  admin = await makeActor(db, "admin@corp.test", "admin");
  const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: valid });
  expect(res.status).toBe(201);
  key = res.body.ticket.key;
});

function expectFieldError(res: { status: number; body: any }, path: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe("validation_error");
  expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
}

/** A metadata body sent as raw JSON text (a 5,000-deep object cannot even be JSON.stringify'd here). */
const rawTicket = (metadataJson: string) => `${JSON.stringify(valid).slice(0, -1)},"metadata":${metadataJson}}`;

describe("NUL in any text field is a 400 naming the field", () => {
  const post = (body: unknown) => call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body });
  it.each([
    ["title", { ...valid, title: `Mon${NUL}itor` }, "title"],
    ["description", { ...valid, description: `flickers ${NUL} every few seconds` }, "description"],
    ["email", { ...valid, email: `a${NUL}@corp.test` }, "email"],
    ["metadata value", { ...valid, metadata: { note: `x${NUL}` } }, "metadata.note"],
    ["nested metadata value", { ...valid, metadata: { a: [1, { b: `x${NUL}` }] } }, "metadata.a.1.b"],
    ["metadata key", { ...valid, metadata: { [`k${NUL}`]: 1 } }, `metadata.k${NUL}`],
  ])("POST /api/tickets %s", async (_n, body, path) => {
    const before = await tableCounts(db);
    expectFieldError(await post(body), path);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("comment, resolution, classify, category and team", async () => {
    const p = { key };
    expectFieldError(await call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: agent.key, params: p, body: { body: `hi${NUL}` } }), "body");
    expectFieldError(
      await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: p, body: { resolution: `done${NUL}` } }),
      "resolution",
    );
    expectFieldError(await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: { description: `x${NUL}y` } }), "description");
    expectFieldError(
      await call(categoriesRoute.POST, { path: "/api/categories", key: admin.key, body: { slug: "nul", name: `Nul${NUL}`, team: "service-desk" } }),
      "name",
    );
    expectFieldError(await call(teamsRoute.POST, { path: "/api/teams", key: admin.key, body: { slug: "nul", name: "Nul team", description: NUL } }), "description");
  });

  it("q=%00 and a NUL in the cursor", async () => {
    expectFieldError(await call(ticketsRoute.GET, { path: "/api/tickets?q=%00", key: agent.key }), "q");
    expectFieldError(await call(ticketsRoute.GET, { path: "/api/tickets?q=printer%00", key: agent.key }), "q");
    expectFieldError(await call(ticketsRoute.GET, { path: "/api/tickets?cursor=%00", key: agent.key }), "cursor");
  });
});

describe("metadata depth and size", () => {
  it("a 5,000-deep object is a 400 (no stack overflow, nothing written)", async () => {
    const before = await tableCounts(db);
    const deep = `${'{"a":'.repeat(5000)}{}${"}".repeat(5000)}`;
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, raw: rawTicket(deep) });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
    expect(res.body.error.details.issues[0].message).toMatch(/nested at most 10 levels/);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("accepts 10 levels, refuses 11", async () => {
    const nest = (n: number) => `${'{"a":'.repeat(n - 1)}{}${"}".repeat(n - 1)}`;
    expect((await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, raw: rawTicket(nest(10)) })).status).toBe(201);
    const deep = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, raw: rawTicket(nest(11)) });
    expect(deep.status).toBe(400);
    expect(deep.body.error.details.issues[0].path).toBe(`metadata${".a".repeat(10)}`);
    // arrays count as levels too
    expect((await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, raw: rawTicket(`{"a":${"[".repeat(10)}${"]".repeat(10)}}`) })).status).toBe(400);
  });

  it("the size bound is the database CHECK's (32,768 bytes of jsonb text): at the limit 201, one byte over 400", async () => {
    // Many keys: jsonb prints a space after each ':' and ',', so its text is longer than JSON's.
    const build = (pad: number) => {
      const m: Record<string, string> = {};
      for (let i = 0; i < 400; i++) m[`k${String(i).padStart(3, "0")}`] = "v".repeat(60);
      m.zz = "é".repeat(pad); // 2 bytes each in UTF-8
      return m;
    };
    const stored = async (m: unknown) =>
      (await rows<{ n: number }>(db, sql`select octet_length(${JSON.stringify(m)}::jsonb::text)::int as n`))[0].n;
    const base = await stored(build(0));
    const pad = Math.floor((METADATA_MAX_BYTES - base) / 2);
    const atLimit = build(pad);
    expect(await stored(atLimit)).toBeLessThanOrEqual(METADATA_MAX_BYTES);
    expect(await stored(build(pad + 1))).toBeGreaterThan(METADATA_MAX_BYTES);
    expect(JSON.stringify(build(pad + 1)).length).toBeLessThan(METADATA_MAX_BYTES); // plain JSON would pass a naive check
    const ok = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { ...valid, metadata: atLimit } });
    expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(201);
    const over = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { ...valid, metadata: build(pad + 1) } });
    expectFieldError(over, "metadata");
  });
});

describe("cursor dates", () => {
  const cursor = (t: unknown, id: unknown = 5) => Buffer.from(JSON.stringify([t, id])).toString("base64url");
  it.each([
    ["year 275760 (PostgreSQL text)", cursor("275760-09-13 00:00:00+00")],
    ["year 275760 (JS ISO)", cursor("+275760-09-13T00:00:00.000Z")],
    ["year 1000", cursor("1000-01-01 00:00:00+00")],
    ["BC date", cursor("2026-01-01 00:00:00+00 BC")],
    ["infinity", cursor("infinity")],
    ["month 13", cursor("2026-13-01 00:00:00+00")],
    ["negative id", cursor("2026-01-01 00:00:00+00", -1)],
  ])("%s → 400", async (_n, c) => {
    const res = await call(ticketsRoute.GET, { path: `/api/tickets?cursor=${c}`, key: agent.key });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "validation_error", details: { field: "cursor" } });
  });

  it("a real nextCursor still pages", async () => {
    const first = await call(ticketsRoute.GET, { path: "/api/tickets?limit=1", key: agent.key });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await call(ticketsRoute.GET, { path: `/api/tickets?limit=1&cursor=${first.body.nextCursor}`, key: agent.key });
    expect(next.status).toBe(200);
    expect(next.body.items[0].key).not.toBe(first.body.items[0].key);
  });
});

describe("stats ranges", () => {
  const routes = [
    ["/api/tickets/stats", statsRoute.GET],
    ["/api/triage/stats", triageStatsRoute.GET],
  ] as const;
  it.each(routes)("%s: year 1000 to 9999, from after to, and over 731 days are fast 400s", async (path, handler) => {
    for (const q of ["from=1000-01-01&to=9999-12-31", "from=1000-01-01", "from=2026-03-09&to=2026-03-01", "from=2024-01-01&to=2026-01-02"]) {
      const t0 = Date.now();
      const res = await call(handler, { path: `${path}?${q}`, key: agent.key });
      expectFieldError(res, "from");
      expect(Date.now() - t0, q).toBeLessThan(1000);
    }
  });
  it.each(routes)("%s: exactly 731 days is fine", async (path, handler) => {
    const res = await call(handler, { path: `${path}?from=2024-01-01&to=2025-12-31`, key: agent.key });
    expect(res.status).toBe(200);
  });
});

describe("database data errors (SQLSTATE class 22) map to 400", () => {
  async function dbError(query: ReturnType<typeof sql>): Promise<unknown> {
    try {
      await db.execute(query);
    } catch (err) {
      return err;
    }
    throw new Error("expected the query to fail");
  }
  it.each([
    ["NUL in text", sql`select ${"a\u0000b"}::text`, /^22021$/],
    ["NUL in jsonb", sql`select ${'{"a":"\\u0000"}'}::jsonb`, /^22P05$/],
    ["bad integer", sql`select ${"twelve"}::int`, /^22P02$/],
    ["timestamp out of range", sql`select ${"275760-09-13 00:00:00+00"}::timestamptz + interval '100000 years'`, /^22008$/],
    ["division by zero", sql`select 1 / ${0}::int`, /^22012$/],
  ])("%s", async (_n, q, code) => {
    const err = await dbError(q);
    const mapped = fromDatabaseError(err);
    expect(mapped?.status).toBe(400);
    expect(mapped?.code).toBe("validation_error");
    expect((mapped?.details as { sqlstate: string }).sqlstate).toMatch(code);
    const res = errorResponse(err);
    expect(res.status).toBe(400);
  });

  it("leaves genuine server errors as null (→ logged 500)", async () => {
    expect(fromDatabaseError(await dbError(sql`select * from no_such_table`))).toBeNull();
  });

  it("maps an unreachable database (refused, reset, shutting down) to 503 unavailable with Retry-After", async () => {
    // A real refused connection: postgres.js to a closed loopback port, wrapped as drizzle wraps it.
    const postgres = (await import("postgres")).default;
    const dead = postgres("postgres://postgres@127.0.0.1:9/none", { max: 1, connect_timeout: 2, onnotice: () => {} });
    let refused: unknown;
    try {
      await dead`select 1`;
    } catch (e) {
      refused = e;
    } finally {
      await dead.end({ timeout: 1 }).catch(() => {});
    }
    for (const err of [refused, new Error("Failed query: select 1", { cause: refused }), Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })]) {
      const mapped = fromDatabaseError(err);
      expect(mapped?.status, String(err)).toBe(503);
      expect(mapped?.code).toBe("unavailable");
      const res = errorResponse(err);
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toBe("5");
    }
  });
});

describe("error logs hold no SQL parameters, ticket text or e-mails", () => {
  it("an unmapped database error with a known title and e-mail", async () => {
    const title = "Zanzibar quokka secret title";
    const email = "carol.secret@example.org";
    let err: unknown;
    try {
      await db.execute(sql`select * from no_such_table where title = ${title} and requester_email = ${email}`);
    } catch (e) {
      err = e;
    }
    expect(String((err as Error).message)).toContain(email); // drizzle's message does hold the parameters

    const stream = (logger as unknown as Record<symbol, { write: (s: string) => unknown }>)[pino.symbols.streamSym];
    const lines: string[] = [];
    const spy = vi.spyOn(stream, "write").mockImplementation((s: string) => {
      lines.push(s);
      return true;
    });
    try {
      const req = new NextRequest(`http://localhost:3000/api/tickets?q=${encodeURIComponent(title)}&email=${encodeURIComponent(email)}`);
      const res = errorResponse(err, req);
      expect(res.status).toBe(500);
      expect(JSON.stringify(await res.json())).not.toContain(email);
      // also an error logged straight from a service, and a postgres.js/PGlite error without drizzle
      logger.error({ err: (err as { cause?: unknown }).cause }, "driver error");
      logger.warn({ err: new Error(`could not notify ${email}`) }, "plain error");
    } finally {
      spy.mockRestore();
    }
    const out = lines.join("");
    expect(lines).toHaveLength(3);
    expect(out).not.toContain(title);
    expect(out).not.toContain("Zanzibar");
    expect(out).not.toContain(email);
    expect(out).not.toContain("carol.secret");
    expect(out).not.toMatch(/params|parameters/i);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ msg: "unhandled error in route handler", method: "GET", path: "/api/tickets" });
    expect(first.err.cause.code).toBe("42P01");
    expect(first.err.message).toMatch(/^Failed query: select \* from no_such_table/);
    expect(first.err.stack).toMatch(/^\s+at /);
    expect(JSON.parse(lines[2]).err.message).toBe("could not notify [email]");
  });
});
