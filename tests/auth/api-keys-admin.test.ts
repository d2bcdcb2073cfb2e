import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import * as keysRoute from "@/app/api/admin/api-keys/route";
import * as keyRoute from "@/app/api/admin/api-keys/[id]/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import { apiKeys, auditEvents } from "@/db/schema";
import { flushApiKeyUsage, hashApiKey, principalFromApiKey } from "@/lib/auth/api-keys";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
let admin: Actor;
let agent: Actor;
let requester: Actor;

const create = (body: unknown, key = admin.key) => call(keysRoute.POST, { path: "/api/admin/api-keys", body, key });
const list = (key = admin.key) => call(keysRoute.GET, { path: "/api/admin/api-keys", key });
const revoke = (id: string, key = admin.key) => call(keyRoute.DELETE, { method: "DELETE", path: `/api/admin/api-keys/${id}`, params: { id }, key });
const tickets = (key: string) => call(ticketsRoute.GET, { path: "/api/tickets", key });

beforeAll(async () => {
  admin = await makeActor(t.db, "ada@corp.test", "admin");
  agent = await makeActor(t.db, "pat@corp.test", "agent");
  requester = await makeActor(t.db, "rita@corp.test", "requester");
});

describe("API key admin", () => {
  it("is for admins only", async () => {
    expect((await list("")).status).toBe(401);
    for (const k of [agent.key, requester.key]) {
      expect((await list(k)).status).toBe(403);
      expect((await create({ name: "x", scopes: ["tickets:read"] }, k)).status).toBe(403);
      const id = "00000000-0000-4000-8000-000000000000";
      expect((await revoke(id, k)).status).toBe(403);
      expect((await call(keyRoute.GET, { path: `/api/admin/api-keys/${id}`, params: { id }, key: k })).status).toBe(403);
    }
  });

  it("returns the secret once, stores only its hash, never lists it; the key works; revoke refuses it at once", async () => {
    const r = await create({ name: "n8n", scopes: ["tickets:read"], expiresInDays: 30 });
    expect(r.status).toBe(201);
    const secret: string = r.body.secret;
    expect(secret).toMatch(/^sb_/);
    expect(r.body.key).toMatchObject({ name: "n8n", role: "admin", scopes: ["tickets:read"], status: "active", requestCount: 0, revokedAt: null });
    expect(r.body.key.owner.email).toBe(admin.email);
    expect(r.body.key.createdBy.email).toBe(admin.email);
    expect(Date.parse(r.body.key.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const id: string = r.body.key.id;

    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row.keyHash).toBe(hashApiKey(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(secret.startsWith(row.prefix)).toBe(true);

    const l = await list();
    expect(l.status).toBe(200);
    const text = JSON.stringify(l.body);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(row.keyHash);
    expect(l.body.items.find((k: { id: string }) => k.id === id)).toBeTruthy();
    const one = await call(keyRoute.GET, { path: `/api/admin/api-keys/${id}`, params: { id }, key: admin.key });
    expect(one.status).toBe(200);
    expect(JSON.stringify(one.body)).not.toContain(secret);

    // It works against a route with its scope, and only with it.
    expect((await tickets(secret)).status).toBe(200);
    expect((await call(keysRoute.GET, { path: "/api/admin/api-keys", key: secret })).status).toBe(403);

    // Usage is flushed (lead's verify change) and shown.
    await flushApiKeyUsage(t.db);
    const used = (await list()).body.items.find((k: { id: string }) => k.id === id);
    expect(used.requestCount).toBeGreaterThanOrEqual(1);
    expect(used.lastUsedAt).not.toBeNull();

    const rv = await revoke(id);
    expect(rv.status).toBe(200);
    expect(rv.body.status).toBe("revoked");
    expect(rv.body.revokedAt).not.toBeNull();
    expect((await tickets(secret)).status).toBe(401);
    // Idempotent: same answer, one audit event.
    const again = await revoke(id);
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(rv.body.revokedAt);
    const events = await t.db.select().from(auditEvents).where(and(eq(auditEvents.entityType, "api_key"), eq(auditEvents.entityId, id)));
    expect(events.map((e) => e.action).sort()).toEqual(["api_key.created", "api_key.revoked"]);
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(JSON.stringify(events)).not.toContain(row.keyHash);
  });

  it("caps scopes by the owner's role (422) and makes keys for other users", async () => {
    const bad = await create({ name: "r", userId: requester.id, scopes: ["tickets:read", "webhook"] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.scopes).toEqual(["webhook"]);
    expect((await create({ name: "a", userId: agent.id, scopes: ["admin"] })).status).toBe(422);
    const ok = await create({ name: "a", userId: agent.id, scopes: ["webhook", "tickets:read"] });
    expect(ok.status).toBe(201);
    expect(ok.body.key).toMatchObject({ role: "agent", owner: { id: agent.id } });
    const r = await create({ name: "r", userId: requester.id, scopes: ["tickets:read", "tickets:write", "files:write"] });
    expect(r.status).toBe(201);
    expect((await tickets(r.body.secret)).status).toBe(200);
  });

  it("refuses bad input: past expiry 400, no scopes 400, unknown scope 400, unknown owner 404", async () => {
    const past = await create({ name: "p", scopes: ["tickets:read"], expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.status).toBe(400);
    expect((await create({ name: "p", scopes: [] })).status).toBe(400);
    expect((await create({ name: "p", scopes: ["root"] })).status).toBe(400);
    expect((await create({ name: "", scopes: ["tickets:read"] })).status).toBe(400);
    expect((await create({ name: "p", scopes: ["tickets:read"], userId: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    expect((await revoke("00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("adds each key's request count in one flush, and a later flush adds to it", async () => {
    const made: { id: string; secret: string }[] = [];
    for (const name of ["count-a", "count-b", "count-c"]) {
      const r = await create({ name, scopes: ["tickets:read"] });
      expect(r.status).toBe(201);
      made.push({ id: r.body.key.id as string, secret: r.body.secret as string });
    }
    await flushApiKeyUsage(t.db); // counts of earlier tests
    const uses = [3, 1, 5];
    for (const [i, k] of made.entries()) for (let n = 0; n < uses[i]; n++) expect(await principalFromApiKey(t.db, k.secret)).not.toBeNull();
    await flushApiKeyUsage(t.db);
    const counts = async () => {
      const rows = await t.db.select({ id: apiKeys.id, n: apiKeys.requestCount, at: apiKeys.lastUsedAt }).from(apiKeys).where(inArray(apiKeys.id, made.map((k) => k.id)));
      return made.map((k) => rows.find((r) => r.id === k.id)!);
    };
    const first = await counts();
    expect(first.map((r) => r.n)).toEqual(uses);
    for (const r of first) expect(r.at).not.toBeNull();
    expect(await principalFromApiKey(t.db, made[1].secret)).not.toBeNull();
    await flushApiKeyUsage(t.db);
    expect((await counts()).map((r) => r.n)).toEqual([3, 2, 5]);
    // Nothing pending: a flush writes nothing.
    await flushApiKeyUsage(t.db);
    expect((await counts()).map((r) => r.n)).toEqual([3, 2, 5]);
  });
});
