import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import * as prefsRoute from "@/app/api/mail/preferences/route";
import * as unsubscribeRoute from "@/app/api/mail/unsubscribe/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { describeUnsubscribe } from "@/lib/mail/admin/unsubscribe";
import { OPTIONAL_MAIL_KINDS } from "@/lib/mail/kinds";
import { isMailEnabled, unsubscribeToken } from "@/lib/mail/preferences";
import { REQUESTER_MAIL_KINDS, UpdatePreferencesSchema } from "@/lib/mail/schemas";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let requester: Actor;
let integrationKey: string;

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "agent.prefs@corp.test", "agent", { teamSlug: "service-desk" });
  requester = await makeActor(db, "req-prefs@corp.test", "requester");
  integrationKey = (await createApiKey(db, { name: "n8n", role: "agent", userId: null })).key;
});

const kindsOf = (body: { kinds: { kind: string; enabled: boolean }[] }) => Object.fromEntries(body.kinds.map((k) => [k.kind, k.enabled]));

describe("/api/mail/preferences", () => {
  it("401 signed out; 403 for an API key that is not a person", async () => {
    expect((await call(prefsRoute.GET, { path: "/api/mail/preferences" })).status).toBe(401);
    expect((await call(prefsRoute.PUT, { method: "PUT", path: "/api/mail/preferences", body: { resolved: false } })).status).toBe(401);
    const res = await call(prefsRoute.GET, { path: "/api/mail/preferences", key: integrationKey });
    expect(res.status).toBe(403);
  });

  it("GET: everything on by default; requesters see their kinds only, agents all optional kinds", async () => {
    const r = await call(prefsRoute.GET, { path: "/api/mail/preferences", key: requester.key });
    expect(r.status).toBe(200);
    expect(r.body.email).toBe("req-prefs@corp.test");
    expect(r.body.kinds.map((k: { kind: string }) => k.kind)).toEqual([...REQUESTER_MAIL_KINDS]);
    expect(r.body.kinds.every((k: { enabled: boolean; label: string }) => k.enabled && k.label.length > 0)).toBe(true);
    const a = await call(prefsRoute.GET, { path: "/api/mail/preferences", key: agent.key });
    expect(a.body.kinds.map((k: { kind: string }) => k.kind)).toEqual([...OPTIONAL_MAIL_KINDS]);
  });

  it("PUT switches kinds off and on for the caller only; kinds left out keep their setting", async () => {
    const off = await call(prefsRoute.PUT, { method: "PUT", path: "/api/mail/preferences", key: agent.key, body: { assigned: false, watcher_message: false } });
    expect(off.status).toBe(200);
    expect(kindsOf(off.body)).toMatchObject({ assigned: false, watcher_message: false, agent_reply: true });
    // stored under the lower-cased address
    expect(await isMailEnabled(db, "agent.prefs@corp.test", "assigned")).toBe(false);
    const on = await call(prefsRoute.PUT, { method: "PUT", path: "/api/mail/preferences", key: agent.key, body: { assigned: true } });
    expect(kindsOf(on.body)).toMatchObject({ assigned: true, watcher_message: false });
    const again = await call(prefsRoute.GET, { path: "/api/mail/preferences", key: agent.key });
    expect(kindsOf(again.body)).toMatchObject({ assigned: true, watcher_message: false });
    // the requester's settings are untouched
    expect(kindsOf((await call(prefsRoute.GET, { path: "/api/mail/preferences", key: requester.key })).body).resolved).toBe(true);
  });

  it("400 on bad bodies: empty, unknown or transactional kinds, non-booleans, a kind the role does not get; nothing written", async () => {
    const before = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM mail_preferences`);
    for (const body of [{}, { confirmation: false }, { spam: true }, { resolved: "no" }, { resolved: null }, []]) {
      const res = await call(prefsRoute.PUT, { method: "PUT", path: "/api/mail/preferences", key: requester.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const foreign = await call(prefsRoute.PUT, { method: "PUT", path: "/api/mail/preferences", key: requester.key, body: { resolved: false, assigned: false } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["assigned"]);
    const notJson = await call(prefsRoute.PUT, { method: "PUT", path: "/api/mail/preferences", key: requester.key, raw: "resolved=false", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(notJson.status).toBe(415);
    expect(await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM mail_preferences`)).toEqual(before);
    expect(UpdatePreferencesSchema.safeParse({ agent_reply: false }).success).toBe(true);
  });
});

describe("POST /api/mail/unsubscribe (RFC 8058 one-click)", () => {
  it("a token round trip: one-click form body switches that kind off for that address, idempotently, with no session", async () => {
    const token = unsubscribeToken("Req-Prefs@corp.test", "agent_reply");
    expect(await describeUnsubscribe(db, token)).toMatchObject({ email: "req-prefs@corp.test", kind: "agent_reply", enabled: true });
    for (let i = 0; i < 2; i++) {
      const res = await call(unsubscribeRoute.POST, {
        path: `/api/mail/unsubscribe?token=${encodeURIComponent(token)}`,
        raw: "List-Unsubscribe=One-Click",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ kind: "agent_reply", label: "An agent replied to your request", enabled: false });
    }
    expect(await isMailEnabled(db, "req-prefs@corp.test", "agent_reply")).toBe(false);
    expect(await isMailEnabled(db, "req-prefs@corp.test", "resolved")).toBe(true);
    const prefs = await call(prefsRoute.GET, { path: "/api/mail/preferences", key: requester.key });
    expect(kindsOf(prefs.body)).toMatchObject({ agent_reply: false, resolved: true });
  });

  it("accepts a multipart body too (some mail providers send one)", async () => {
    const token = unsubscribeToken("req-prefs@corp.test", "resolved");
    const fd = new FormData();
    fd.set("List-Unsubscribe", "One-Click");
    const req = new Request("http://x/", { method: "POST", body: fd });
    const res = await call(unsubscribeRoute.POST, {
      path: `/api/mail/unsubscribe?token=${encodeURIComponent(token)}`,
      raw: new Uint8Array(await req.arrayBuffer()),
      headers: { "content-type": req.headers.get("content-type")! },
    });
    expect(res.status).toBe(200);
    expect(await isMailEnabled(db, "req-prefs@corp.test", "resolved")).toBe(false);
  });

  it("the page's form (return=page) gets a 303 back to /unsubscribe with the token", async () => {
    const token = unsubscribeToken("someone@corp.test", "reopened");
    const res = await call(unsubscribeRoute.POST, {
      path: `/api/mail/unsubscribe?token=${encodeURIComponent(token)}`,
      raw: "List-Unsubscribe=One-Click&return=page",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(await isMailEnabled(db, "someone@corp.test", "reopened")).toBe(false);
  });

  it("400 on a missing, altered or foreign token; 413 on a huge body; nothing written", async () => {
    const before = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM mail_preferences`);
    const good = unsubscribeToken("victim@corp.test", "assigned");
    const [payload, sig] = good.split(".");
    const forged = `${Buffer.from(JSON.stringify({ e: "other@corp.test", k: "assigned" })).toString("base64url")}.${sig}`;
    const form = { raw: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } };
    for (const path of [
      "/api/mail/unsubscribe",
      "/api/mail/unsubscribe?token=",
      "/api/mail/unsubscribe?token=garbage",
      `/api/mail/unsubscribe?token=${payload}.${sig.slice(0, -2)}xx`,
      `/api/mail/unsubscribe?token=${encodeURIComponent(forged)}`,
      `/api/mail/unsubscribe?token=${"a".repeat(2000)}`,
      `/api/mail/unsubscribe?token=${good}&token=${good}`,
    ]) {
      const res = await call(unsubscribeRoute.POST, { path, ...form });
      expect(res.status, path.slice(0, 80)).toBe(400);
      expect(res.body.error.code).toMatch(/bad_request|validation_error/);
    }
    const big = await call(unsubscribeRoute.POST, { path: `/api/mail/unsubscribe?token=${good}`, raw: "x=".padEnd(20_000, "y"), headers: form.headers });
    expect(big.status).toBe(413);
    expect(await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM mail_preferences`)).toEqual(before);
    expect(await describeUnsubscribe(db, "garbage")).toBeNull();
  });
});
