import { beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as tagsRoute from "@/app/api/tags/route";
import * as linkRoute from "@/app/api/tickets/[key]/links/[other]/route";
import * as linksRoute from "@/app/api/tickets/[key]/links/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as ticketTagsRoute from "@/app/api/tickets/[key]/tags/route";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { fileTicket } from "./bulk-helpers";

const t = useTestDb();
let agent: Actor, alice: Actor;
let a: string, b: string, c: string;

beforeAll(async () => {
  ({ agent, alice } = await makeDeskActors(t.db));
  a = await fileTicket(agent, alice.email, "Shared drive slow");
  b = await fileTicket(agent, alice.email, "Shared drive very slow");
  c = await fileTicket(agent, alice.email, "Backup job failed");
});

const link = (who: Actor, key: string, other: unknown) => call(linksRoute.POST, { path: `/api/tickets/${key}/links`, key: who.key, params: { key }, body: { key: other } });
const links = (who: Actor, key: string) => call(linksRoute.GET, { path: `/api/tickets/${key}/links`, key: who.key, params: { key } });
const unlink = (who: Actor, key: string, other: string) => call(linkRoute.DELETE, { method: "DELETE", path: `/api/tickets/${key}/links/${other}`, key: who.key, params: { key, other } });
const putTags = (who: Actor, key: string, body: unknown) => call(ticketTagsRoute.PUT, { method: "PUT", path: `/api/tickets/${key}/tags`, key: who.key, params: { key }, body });
const getTags = (who: Actor, key: string) => call(ticketTagsRoute.GET, { path: `/api/tickets/${key}/tags`, key: who.key, params: { key } });

it("links are stored once per pair and listed from both sides", async () => {
  let r = await link(agent, c, a);
  expect(r.status).toBe(201);
  expect(r.body.links).toEqual([{ key: a, title: "Shared drive slow", status: "new" }]);
  expect((await link(agent, a, c)).status).toBe(200); // the same pair from the other side
  expect((await link(agent, a, b.toLowerCase())).status).toBe(201);
  const stored = await rows<{ ticket_id: number; related_id: number }>(t.db, sql`SELECT ticket_id::int AS ticket_id, related_id::int AS related_id FROM ticket_links ORDER BY 1, 2`);
  const id = (k: string) => Number(k.slice(2));
  expect(stored).toEqual([{ ticket_id: id(a), related_id: id(b) }, { ticket_id: id(a), related_id: id(c) }]);
  expect((await links(agent, a)).body.links.map((l: { key: string }) => l.key)).toEqual([b, c]);
  expect((await links(agent, c)).body.links.map((l: { key: string }) => l.key)).toEqual([a]);

  r = await unlink(agent, c, a);
  expect(r.status).toBe(200);
  expect(r.body.links).toEqual([]);
  expect((await links(agent, a)).body.links.map((l: { key: string }) => l.key)).toEqual([b]);
  const audit = await rows<{ action: string; n: number }>(t.db, sql`SELECT action, count(*)::int AS n FROM audit_events WHERE action LIKE 'ticket.link_%' GROUP BY action ORDER BY action`);
  expect(audit).toEqual([{ action: "ticket.link_added", n: 4 }, { action: "ticket.link_removed", n: 2 }]);
});

it("links: bad input and refused cases", async () => {
  expect((await link(agent, a, a)).status).toBe(422);
  expect((await link(agent, a, "T-999999")).status).toBe(404);
  expect((await link(agent, "T-999999", a)).status).toBe(404);
  expect((await link(agent, a, "nonsense")).status).toBe(400);
  expect((await link(agent, a, 5)).status).toBe(400);
  expect((await unlink(agent, a, c)).status).toBe(404); // not linked
  expect((await unlink(agent, a, "zzz")).status).toBe(404);
  expect((await link(alice, a, b)).status).toBe(403);
  expect((await links(alice, a)).status).toBe(403);
});

it("tags are normalised, replaced as a set, audited and suggested by prefix", async () => {
  let r = await putTags(agent, a, { tags: [" VPN ", "network", "vpn", "windows-11"] });
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ tags: ["network", "vpn", "windows-11"], changed: true });
  r = await putTags(agent, a, { tags: ["vpn", "network", "windows-11"] });
  expect(r.body.changed).toBe(false);
  expect((await putTags(agent, b, { tags: ["vpn", "v1.2_beta"] })).status).toBe(200);
  r = await putTags(agent, a, { tags: ["vpn"] });
  expect(r.body.tags).toEqual(["vpn"]);
  expect((await getTags(agent, a)).body).toEqual({ tags: ["vpn"] });
  const detail = (who: Actor) => call(ticketRoute.GET, { path: `/api/tickets/${a}`, key: who.key, params: { key: a } });
  expect((await detail(agent)).body.ticket.tags).toEqual(["vpn"]);
  expect((await detail(alice)).body.ticket).not.toHaveProperty("tags"); // tags are the agents' own

  const audit = await rows<{ before: unknown; after: unknown }>(t.db, sql`SELECT before, after FROM audit_events WHERE action = 'ticket.tags_changed' AND entity_id = ${a} ORDER BY id`);
  expect(audit).toHaveLength(2);
  const events = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM domain_events WHERE type = 'ticket.updated' AND payload->'changes' ? 'tags'`);
  expect(events[0].n).toBe(3);

  const suggest = (q: string) => call(tagsRoute.GET, { path: `/api/tags?${q}`, key: agent.key });
  expect((await suggest("prefix=v")).body.tags).toEqual([{ tag: "vpn", count: 2 }, { tag: "v1.2_beta", count: 1 }]);
  expect((await suggest("prefix=V1")).body.tags).toEqual([{ tag: "v1.2_beta", count: 1 }]);
  expect((await suggest("prefix=v_")).body.tags).toEqual([]); // `_` is literal, not a wildcard
  expect((await suggest("prefix=%25")).status).toBe(400);
  expect((await call(tagsRoute.GET, { path: "/api/tags", key: alice.key })).status).toBe(403);
});

it("tags: bad input is a 400, unknown tickets a 404, requesters a 403", async () => {
  const bad: unknown[] = [{}, { tags: "vpn" }, { tags: ["-vpn"] }, { tags: ["has space"] }, { tags: ["x".repeat(41)] }, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, { tags: [""] }, { tags: ["ok"], extra: 1 }];
  for (const body of bad) expect((await putTags(agent, c, body)).status, JSON.stringify(body).slice(0, 60)).toBe(400);
  expect((await putTags(agent, c, { tags: Array.from({ length: 20 }, (_, i) => `t${i}`) })).status).toBe(200);
  expect((await putTags(agent, "T-999999", { tags: [] })).status).toBe(404);
  expect((await putTags(alice, c, { tags: [] })).status).toBe(403);
  expect((await getTags(alice, c)).status).toBe(403);
});

it("the bulk, merge, links and tags endpoints are in the OpenAPI document", async () => {
  const { openApiDocument } = await import("@/lib/http/openapi");
  const doc = openApiDocument() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>> };
  expect(Object.keys(doc.paths["/api/tickets/bulk"])).toEqual(["post"]);
  expect(doc.paths["/api/tickets/bulk"].post.requestBody!.content["application/json"].schema.required).toEqual(["keys", "action"]);
  expect(doc.paths["/api/tickets/{key}/merge"].post.requestBody!.content["application/json"].schema.required).toEqual(["into"]);
  expect(Object.keys(doc.paths["/api/tickets/{key}/links"]).sort()).toEqual(["get", "post"]);
  expect(Object.keys(doc.paths["/api/tickets/{key}/links/{other}"])).toEqual(["delete"]);
  expect(Object.keys(doc.paths["/api/tickets/{key}/tags"]).sort()).toEqual(["get", "put"]);
  expect(Object.keys(doc.paths["/api/tags"])).toEqual(["get"]);
});
