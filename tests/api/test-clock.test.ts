import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as clock from "@/app/api/test/clock/route";
import { resetEnvForTests } from "@/lib/env";
import { openApiDocument } from "@/lib/http/openapi";
import { slaNow } from "@/lib/sla/now";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let admin: Actor;
let agent: Actor;
const saved = process.env.SWITCHBOARD_TEST_CLOCK;

function setFlag(v: string | undefined) {
  if (v === undefined) delete process.env.SWITCHBOARD_TEST_CLOCK;
  else process.env.SWITCHBOARD_TEST_CLOCK = v;
  resetEnvForTests();
}

beforeAll(async () => {
  db = testDb.db;
  admin = await makeActor(db, "admin-clock@corp.test", "admin");
  agent = await makeActor(db, "agent-clock@corp.test", "agent");
});
afterAll(() => setFlag(saved));

describe("/api/test/clock", () => {
  it("does not exist unless SWITCHBOARD_TEST_CLOCK=1 (404 before authentication)", async () => {
    setFlag(undefined);
    for (const o of [{}, { key: admin.key }]) {
      const res = await call(clock.POST, { path: "/api/test/clock", body: { advanceS: 60 }, ...o });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
      expect((await call(clock.GET, { path: "/api/test/clock", ...o })).status).toBe(404);
    }
  });

  it("moves the SLA clock for admins only, with the offset in seconds", async () => {
    setFlag("1");
    expect((await call(clock.POST, { path: "/api/test/clock", body: { advanceS: 60 } })).status).toBe(401);
    expect((await call(clock.POST, { path: "/api/test/clock", body: { advanceS: 60 }, key: agent.key })).status).toBe(403);

    expect((await call(clock.POST, { path: "/api/test/clock", body: { setS: 0 }, key: admin.key })).body).toEqual({ offsetS: 0 });
    const before = Date.now();
    const res = await call(clock.POST, { path: "/api/test/clock", body: { advanceS: 780 }, key: admin.key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ offsetS: 780 });
    expect((await call(clock.POST, { path: "/api/test/clock", body: { advanceS: 180 }, key: admin.key })).body).toEqual({ offsetS: 960 });
    expect((await call(clock.GET, { path: "/api/test/clock", key: admin.key })).body).toEqual({ offsetS: 960 });
    const now = (await slaNow(db)).getTime();
    expect(now).toBeGreaterThanOrEqual(before + 960_000);
    expect(now).toBeLessThan(Date.now() + 960_000 + 1);

    const swept = await call(clock.POST, { path: "/api/test/clock", body: { sweep: true }, key: admin.key });
    expect(swept.status).toBe(200);
    expect(swept.body).toMatchObject({ offsetS: 960, sweep: { checked: expect.any(Number), warnings: expect.any(Number), breaches: expect.any(Number) } });

    expect((await call(clock.POST, { path: "/api/test/clock", body: { setS: 0 }, key: admin.key })).body).toEqual({ offsetS: 0 });
  });

  it("refuses bad bodies with 400", async () => {
    setFlag("1");
    for (const body of [{}, { advanceS: 1, setS: 2 }, { advanceS: 1.5 }, { advanceS: "60" }, { advanceS: 60, extra: 1 }, { sweep: "yes" }]) {
      const res = await call(clock.POST, { path: "/api/test/clock", body, key: admin.key });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    expect((await call(clock.POST, { path: "/api/test/clock", raw: "{", key: admin.key })).status).toBe(400);
  });

  it("is not in the OpenAPI document (test-only)", () => {
    expect(Object.keys((openApiDocument() as { paths: Record<string, unknown> }).paths)).not.toContain("/api/test/clock");
  });
});
