import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as healthRoute from "@/app/api/health/route";
import { clearApiKeyCache, createApiKey, hashApiKey } from "@/lib/auth/api-keys";
import { authSecret } from "@/lib/auth/secret";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let alice: Actor;

async function sessionCookie(a: Actor, role: "requester" | "agent" | "admin") {
  const token = await encode({ token: { sub: a.id, email: a.email, name: a.email, role, sv: 1 }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "agent@corp.test", "agent");
  alice = await makeActor(db, "alice@corp.test", "requester");
});

describe("authentication", () => {
  it("accepts a next-auth session cookie and applies the user's current role", async () => {
    const res = await call(ticketsRoute.GET, { path: "/api/tickets", cookie: await sessionCookie(agent, "agent") });
    expect(res.status).toBe(200);
    // a token claiming admin for a requester does not grant more: the role is read from the database
    const forged = await call(ticketRoute.PATCH, {
      method: "PATCH",
      path: "/api/tickets/T-1",
      cookie: await sessionCookie(alice, "admin"),
      params: { key: "T-1" },
      body: { status: "open" },
    });
    expect(forged.status).toBe(403);
  });

  it("rejects a cookie signed with another secret", async () => {
    const token = await encode({ token: { sub: agent.id, role: "agent" }, secret: "another-secret-another-secret-xx" });
    const res = await call(ticketsRoute.GET, { path: "/api/tickets", cookie: `next-auth.session-token=${token}` });
    expect(res.status).toBe(401);
  });

  it("stores only the key's hash and stops accepting a revoked key", async () => {
    const k = await createApiKey(db, { name: "n8n", role: "agent" });
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, k.id));
    expect(row.keyHash).toBe(hashApiKey(k.key));
    expect(JSON.stringify(row)).not.toContain(k.key);
    expect((await call(ticketsRoute.GET, { path: "/api/tickets", key: k.key })).status).toBe(200);
    await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, k.id));
    clearApiKeyCache();
    expect((await call(ticketsRoute.GET, { path: "/api/tickets", key: k.key })).status).toBe(401);
  });

  it("rejects malformed Authorization headers", async () => {
    for (const h of ["Basic abc", "Bearer", "Token sb_x"]) {
      const res = await call(ticketsRoute.GET, { path: "/api/tickets", headers: { authorization: h } });
      expect(res.status, h).toBe(401);
    }
  });
});

describe("GET /api/health (liveness)", () => {
  it("tells anonymous callers the status only, and staff the version and uptime; it probes no dependency", async () => {
    const anon = await call(healthRoute.GET, { path: "/api/health" });
    expect(anon.status).toBe(200);
    expect(anon.body).toEqual({ status: "ok" });
    const staff = await call(healthRoute.GET, { path: "/api/health", key: agent.key });
    expect(staff.status).toBe(200);
    expect(staff.body).toEqual({ status: "ok", version: expect.any(String), uptimeS: expect.any(Number) });
    const requester = await call(healthRoute.GET, { path: "/api/health", key: alice.key });
    expect(requester.body).toEqual({ status: "ok" });
  });
});
