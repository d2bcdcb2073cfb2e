import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { inboundMessages, tickets } from "@/db/schema";
import * as inboundRoute from "@/app/api/inbound/email/route";
import { openApiDocument } from "@/lib/http/openapi";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call, type CallResult } from "../helpers/http";
import { useTestStorage } from "../helpers/storage";
import { clearEnv, setEnv } from "../triage/set-env";

/*
 * POST /api/inbound/email (issue #9 §2): raw RFC 822 in (message/rfc822, text/plain,
 * application/octet-stream, or JSON {raw: base64}), 201 for a ticket or comment, 200 for
 * duplicates and refusals, 413/415/400/422 for bad input (never 500), API-key auth, Idempotency-Key.
 * Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */

const testDb = useTestDb();
useTestStorage();
let db: Db;
let agent: Actor;
let requester: Actor;

function fixture(name: string): Buffer {
  const s = fs.readFileSync(path.join(process.cwd(), "tests", "fixtures", "mail", name)).toString("latin1").replaceAll("{{ID}}", crypto.randomUUID());
  return Buffer.from(s, "latin1");
}

function post(raw: Buffer | string, opts: { key?: string; type?: string; headers?: Record<string, string> } = {}): Promise<CallResult<any>> {
  return call(inboundRoute.POST, {
    path: "/api/inbound/email",
    method: "POST",
    key: opts.key === undefined ? agent.key : opts.key || undefined,
    raw: typeof raw === "string" ? raw : new Uint8Array(raw),
    headers: { "content-type": opts.type ?? "message/rfc822", ...(opts.headers ?? {}) },
  });
}

async function ticketCount(): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM tickets`);
  return r.n;
}

beforeAll(async () => {
  db = testDb.db;
  setEnv({ MAIL_FROM: "Service Desk <desk@desk.test>" });
  agent = await makeActor(db, "agent@corp.test", "agent", { teamSlug: "service-desk" });
  requester = await makeActor(db, "req@corp.test", "requester");
});

afterEach(() => clearEnv(["INBOUND_MAX_BYTES"]));

describe("POST /api/inbound/email", () => {
  it("a new mail → 201 with the ticket key and Location; the same bytes again → 200 duplicate", async () => {
    const raw = fixture("new-ticket.eml");
    const r = await post(raw);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "processed", action: "created", duplicate: false, reason: null });
    expect(r.body.ticketKey).toMatch(/^T-\d+$/);
    expect(r.headers.get("location")).toBe(`/api/tickets/${r.body.ticketKey}`);
    const [t] = await db.select().from(tickets).where(eq(tickets.key, r.body.ticketKey));
    expect(t).toMatchObject({ source: "email", requesterEmail: "dana@customer.test", title: "Printer on 3rd floor jams on every print job" });
    const again = await post(raw, { type: "text/plain" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, status: "processed", ticketKey: r.body.ticketKey, inboundId: r.body.inboundId });
  });

  it("accepts application/octet-stream and JSON {raw: base64}", async () => {
    expect((await post(fixture("html-only.eml"), { type: "application/octet-stream" })).status).toBe(201);
    const r = await call(inboundRoute.POST, { path: "/api/inbound/email", method: "POST", key: agent.key, body: { raw: fixture("windows-1252.eml").toString("base64") } });
    expect(r.status).toBe(201);
    const [t] = await db.select().from(tickets).where(eq(tickets.key, r.body.ticketKey));
    expect(t.description).toContain("über 120 €");
  });

  it("loop protection answers 200 ignored and creates nothing", async () => {
    const n = await ticketCount();
    const r = await post(fixture("bulk.eml"));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "ignored", reason: "precedence_bulk", duplicate: false, action: null, ticketKey: null });
    expect(await ticketCount()).toBe(n);
  });

  it("over INBOUND_MAX_BYTES → 413 with the error shape; nothing stored", async () => {
    setEnv({ INBOUND_MAX_BYTES: "2048" });
    const before = (await db.select().from(inboundMessages)).length;
    const big = Buffer.concat([fixture("new-ticket.eml"), Buffer.alloc(4096, "x")]);
    const r = await post(big);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: "payload_too_large", details: { maxBytes: 2048 } });
    const j = await call(inboundRoute.POST, { path: "/api/inbound/email", method: "POST", key: agent.key, body: { raw: big.toString("base64") } });
    expect(j.status).toBe(413);
    expect((await db.select().from(inboundMessages)).length).toBe(before);
  });

  it("bad input is a clear 4xx, never a 500", async () => {
    const empty = await post("");
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("bad_request");
    expect((await post("   \r\n")).status).toBe(400);
    const html = await post("<p>hi</p>", { type: "text/html" });
    expect(html.status).toBe(415);
    expect(html.body.error.code).toBe("unsupported_media_type");
    const badJson = await call(inboundRoute.POST, { path: "/api/inbound/email", method: "POST", key: agent.key, raw: "{nope", headers: { "content-type": "application/json" } });
    expect(badJson.status).toBe(400);
    const notB64 = await call(inboundRoute.POST, { path: "/api/inbound/email", method: "POST", key: agent.key, body: { raw: "not base64 !!" } });
    expect(notB64.status).toBe(400);
    expect(notB64.body.error.code).toBe("validation_error");
    const extra = await call(inboundRoute.POST, { path: "/api/inbound/email", method: "POST", key: agent.key, body: { raw: "AAAA", more: 1 } });
    expect(extra.status).toBe(400);

    // garbage bytes: stored as failed (raw kept for a replay) and answered 422
    const garbage = crypto.randomBytes(2000);
    const g = await post(garbage, { type: "application/octet-stream" });
    expect(g.status).toBe(422);
    expect(g.body.error).toMatchObject({ code: "unprocessable", details: { status: "failed", replayable: true } });
    const [row] = await db.select().from(inboundMessages).where(eq(inboundMessages.id, g.body.error.details.inboundId));
    expect(row.status).toBe("failed");
    expect(Buffer.compare(row.raw, garbage)).toBe(0);
    // a mail with headers but no From
    const noFrom = await post("Subject: hello\r\nMessage-ID: <nofrom@x.test>\r\n\r\nbody\r\n", { type: "text/plain" });
    expect(noFrom.status).toBe(422);
    expect(noFrom.body.error.message).toContain("sender");
  });

  it("needs an agent or admin: 401 without a key, 403 for a requester's key", async () => {
    expect((await post(fixture("new-ticket.eml"), { key: "" })).status).toBe(401);
    expect((await post(fixture("new-ticket.eml"), { key: requester.key })).status).toBe(403);
  });

  it("Idempotency-Key: the first answer is replayed; another body with the same key is 409", async () => {
    const raw = fixture("new-ticket.eml");
    const a = await post(raw, { headers: { "Idempotency-Key": "mail-1" } });
    expect(a.status).toBe(201);
    const b = await post(raw, { headers: { "Idempotency-Key": "mail-1" } });
    expect(b.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(b.body).toEqual(a.body);
    const c = await post(fixture("new-ticket.eml"), { headers: { "Idempotency-Key": "mail-1" } });
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe("idempotency_conflict");
    // two requests with the same bytes and key at once: one ticket
    const n = await ticketCount();
    const raw2 = fixture("new-ticket.eml");
    const both = await Promise.all([post(raw2, { headers: { "Idempotency-Key": "mail-2" } }), post(raw2, { headers: { "Idempotency-Key": "mail-2" } })]);
    expect(both.map((x) => x.status)).toEqual([201, 201]);
    expect(await ticketCount()).toBe(n + 1);
    // a message that fails inside the idempotent transaction is still stored as failed
    const bad = Buffer.from("Subject: no sender\r\nMessage-ID: <idem-nofrom@x.test>\r\n\r\nbody\r\n");
    const f = await post(bad, { headers: { "Idempotency-Key": "mail-3" } });
    expect(f.status).toBe(422);
    const [row] = await db.select().from(inboundMessages).where(eq(inboundMessages.messageId, "<idem-nofrom@x.test>"));
    expect(row).toMatchObject({ status: "failed", id: f.body.error.details.inboundId });
  });

  it("is documented in /api/openapi.json", () => {
    const doc = openApiDocument() as any;
    const op = doc.paths["/api/inbound/email"].post;
    expect(Object.keys(op.requestBody.content)).toEqual(["message/rfc822", "text/plain", "application/octet-stream", "application/json"]);
    expect(op.requestBody.content["application/json"].schema.required).toEqual(["raw"]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "201", "413", "415", "422"]));
  });
});
