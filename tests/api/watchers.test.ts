import { beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as watchersRoute from "@/app/api/tickets/[key]/watchers/route";
import { openApiDocument } from "@/lib/http/openapi";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
let agent: Actor, alice: Actor;
let key: string;

beforeAll(async () => {
  ({ agent, alice } = await makeDeskActors(t.db));
  const r = await call(ticketsRoute.POST, {
    path: "/api/tickets",
    key: agent.key,
    body: { title: "VPN disconnects every hour", description: "Since Monday my VPN drops every hour and I lose my session", email: alice.email },
  });
  expect(r.status).toBe(201);
  key = r.body.ticket.key;
});

const path = () => `/api/tickets/${key}/watchers`;
const post = (who: Actor, body: unknown, k = key) => call(watchersRoute.POST, { path: `/api/tickets/${k}/watchers`, key: who.key, params: { key: k }, body });
const del = (who: Actor, body: unknown) => call(watchersRoute.DELETE, { method: "DELETE", path: path(), key: who.key, params: { key }, body });
const list = (who: Actor) => call(watchersRoute.GET, { path: path(), key: who.key, params: { key } });

it("agents add, list and remove watchers; each change is audited", async () => {
  let r = await post(agent, { email: "  Carol@Partner.TEST " });
  expect(r.status).toBe(201);
  expect(r.body.added).toBe(true);
  expect(r.body.watchers.map((w: { email: string }) => w.email)).toEqual(["carol@partner.test"]);
  expect(r.body.watchers[0].addedBy).toBe("agent");

  r = await post(agent, { email: "carol@partner.test" });
  expect(r.status).toBe(200);
  expect(r.body.added).toBe(false);

  r = await list(agent);
  expect(r.status).toBe(200);
  expect(r.body.watchers).toHaveLength(1);

  r = await del(agent, { email: "carol@partner.test" });
  expect(r.status).toBe(200);
  expect(r.body.watchers).toEqual([]);

  const audit = await rows<{ action: string; before: unknown; after: unknown }>(
    t.db,
    sql`SELECT action, before, after FROM audit_events WHERE ticket_id = ${Number(key.slice(2))} AND action LIKE 'ticket.watcher_%' ORDER BY id`,
  );
  expect(audit.map((a) => a.action)).toEqual(["ticket.watcher_added", "ticket.watcher_removed"]);
});

it("bad input is a clear 4xx, never a 500", async () => {
  expect((await post(agent, { email: "not an address" })).status).toBe(400);
  expect((await post(agent, {})).status).toBe(400);
  expect((await post(agent, { email: "a@b.test", extra: 1 })).status).toBe(400);
  expect((await post(agent, { email: `${"x".repeat(250)}@b.test` })).status).toBe(400);
  const raw = await call(watchersRoute.POST, { path: path(), key: agent.key, params: { key }, raw: "{not json" });
  expect(raw.status).toBe(400);
  const own = await post(agent, { email: alice.email });
  expect(own.status).toBe(422);
  expect(own.body.error.details.field).toBe("email");
  expect((await post(agent, { email: "a@b.test" }, "T-999999")).status).toBe(404);
  expect((await post(agent, { email: "a@b.test" }, "nonsense")).status).toBe(404);
  expect((await del(agent, { email: "nobody@b.test" })).status).toBe(404);
});

it("requesters and anonymous callers cannot see or change watchers", async () => {
  expect((await list(alice)).status).toBe(403);
  expect((await post(alice, { email: "friend@corp.test" })).status).toBe(403);
  expect((await del(alice, { email: "friend@corp.test" })).status).toBe(403);
  const anon = await call(watchersRoute.GET, { path: path(), params: { key } });
  expect(anon.status).toBe(401);
  const n = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM ticket_watchers`);
  expect(n[0].n).toBe(0);
});

it("the OpenAPI document describes the watcher endpoints from their zod schema", () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>> };
  const p = doc.paths["/api/tickets/{key}/watchers"];
  expect(Object.keys(p).sort()).toEqual(["delete", "get", "post"]);
  expect(p.post.requestBody!.content["application/json"].schema.required).toEqual(["email"]);
});
