import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import { useTestDb } from "../helpers/db";
import { makeActor, tableCounts, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let key: string;
const valid = { title: "Monitor flickers", description: "My external monitor flickers every few seconds", email: "a@corp.test" };

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "agent@corp.test", "agent");
  const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: valid });
  key = res.body.ticket.key;
});

const cases: { name: string; status: number; code: string; raw?: string; body?: unknown; headers?: Record<string, string> }[] = [
  { name: "malformed JSON", status: 400, code: "invalid_json", raw: '{"title": "x",' },
  { name: "empty body", status: 400, code: "invalid_json", raw: "" },
  { name: "JSON array instead of object", status: 400, code: "validation_error", body: [valid] },
  { name: "title of wrong type", status: 400, code: "validation_error", body: { ...valid, title: 42 } },
  { name: "metadata of wrong type", status: 400, code: "validation_error", body: { ...valid, metadata: "x" } },
  { name: "title over 200 chars", status: 400, code: "validation_error", body: { ...valid, title: "x".repeat(201) } },
  { name: "description over 5000 chars", status: 400, code: "validation_error", body: { ...valid, description: "y".repeat(5001) } },
  { name: "missing description", status: 400, code: "validation_error", body: { title: valid.title, email: valid.email } },
  { name: "blank title", status: 400, code: "validation_error", body: { ...valid, title: "    " } },
  { name: "invalid e-mail", status: 400, code: "validation_error", body: { ...valid, email: "not-an-email" } },
  { name: "unknown priority", status: 400, code: "validation_error", body: { ...valid, priority: "P0" } },
  { name: "unknown source", status: 400, code: "validation_error", body: { ...valid, source: "fax" } },
  { name: "unknown key", status: 400, code: "validation_error", body: { ...valid, assignee: "me" } },
  { name: "body over 64 KB", status: 413, code: "payload_too_large", body: { ...valid, metadata: { blob: "z".repeat(70_000) } } },
  { name: "form-encoded body", status: 415, code: "unsupported_media_type", raw: "title=x", headers: { "content-type": "application/x-www-form-urlencoded" } },
  { name: "category of wrong shape", status: 400, code: "validation_error", body: { ...valid, category: "Hardware Stuff" } },
];

describe("bad input never writes and always answers 4xx with the error shape", () => {
  it.each(cases)("POST /api/tickets: $name → $status", async (c) => {
    const before = await tableCounts(db);
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, raw: c.raw, body: c.body, headers: c.headers });
    expect(res.status).toBe(c.status);
    expect(Object.keys(res.body)).toEqual(["error"]);
    expect(res.body.error).toMatchObject({ code: c.code, message: expect.any(String) });
    expect("details" in res.body.error).toBe(true);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("reports which fields are wrong", async () => {
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { ...valid, title: "", priority: "urgent", extra: 1 } });
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["title", "priority"]));
    expect(res.body.error.details.issues.some((i: { code: string }) => i.code === "unrecognized_keys")).toBe(true);
  });

  it("rejects a declared Content-Length over the limit before reading", async () => {
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, raw: JSON.stringify(valid), headers: { "content-length": String(10 * 1024 * 1024), "content-type": "application/json" } });
    expect(res.status).toBe(413);
  });

  it.each([
    ["PATCH wrong type", () => call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { priority: 1 } })],
    ["PATCH unknown key", () => call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { title: "new" } })],
    ["PATCH over-long resolution", () => call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { resolution: "r".repeat(5001) } })],
    ["PATCH malformed JSON", () => call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, raw: "{" })],
    ["comment empty", () => call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: agent.key, params: { key }, body: { body: "  " } })],
    ["comment over-long", () => call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: agent.key, params: { key }, body: { body: "c".repeat(10001) } })],
    ["comment internal as string", () => call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: agent.key, params: { key }, body: { body: "hi", internal: "yes" } })],
    ["classify missing description", () => call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: { title: "x" } })],
  ])("%s → 400, nothing written", async (_name, run) => {
    const before = await tableCounts(db);
    const res = await run();
    expect(res.status).toBe(400);
    expect(res.body.error.code).toMatch(/validation_error|invalid_json/);
    expect(await tableCounts(db)).toEqual(before);
  });
});
