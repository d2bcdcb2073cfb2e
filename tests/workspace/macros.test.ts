import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as macrosRoute from "@/app/api/macros/route";
import * as macroRoute from "@/app/api/macros/[id]/route";
import * as renderRoute from "@/app/api/macros/[id]/render/route";
import { openApiDocument } from "@/lib/http/openapi";
import { useTestDb } from "../helpers/db";
import { makeActor, makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
let agent: Actor, agent2: Actor, admin: Actor, alice: Actor;
let key: string;

beforeAll(async () => {
  ({ agent, agent2, alice } = await makeDeskActors(t.db));
  admin = await makeActor(t.db, "admin@corp.test", "admin");
  await t.db.execute(sql`UPDATE users SET name = 'Alice Archer' WHERE email = ${alice.email}`);
  const r = await call(ticketsRoute.POST, {
    path: "/api/tickets",
    key: agent.key,
    body: { title: "Printer on floor 3 jams", description: "The printer on floor 3 jams on every second page since this morning", email: alice.email },
  });
  expect(r.status).toBe(201);
  key = r.body.ticket.key;
});

const create = (who: Actor, body: unknown) => call(macrosRoute.POST, { path: "/api/macros", key: who.key, body });
const list = (who: Actor) => call(macrosRoute.GET, { path: "/api/macros", key: who.key });
const patch = (who: Actor, id: string, body: unknown) => call(macroRoute.PATCH, { method: "PATCH", path: `/api/macros/${id}`, key: who.key, params: { id }, body });
const del = (who: Actor, id: string) => call(macroRoute.DELETE, { method: "DELETE", path: `/api/macros/${id}`, key: who.key, params: { id } });
const render = (who: Actor, id: string, ticketKey: string) =>
  call(renderRoute.POST, { path: `/api/macros/${id}/render`, key: who.key, params: { id }, body: { ticketKey } });

describe("macros", () => {
  let shared: string, personal: string;

  it("admins create shared macros, agents personal ones; each agent lists shared + own", async () => {
    let r = await create(admin, { name: "Printer reset", body: "Hi {{requester.name}}, please power-cycle the printer. ({{ticket.key}})", shared: true, actions: { status: "waiting", priority: "P3" } });
    expect(r.status).toBe(201);
    expect(r.body.macro).toMatchObject({ shared: true, editable: true, internal: false, actions: { status: "waiting", priority: "P3" } });
    shared = r.body.macro.id;

    r = await create(agent, { name: "My note", body: "Checked by {{ agent.name }} on {{ticket.title}} ({{ticket.status}}, {{requester.email}})", internal: true });
    expect(r.status).toBe(201);
    expect(r.body.macro.shared).toBe(false);
    personal = r.body.macro.id;

    r = await list(agent);
    expect(r.status).toBe(200);
    expect(r.body.macros.map((m: { name: string; editable: boolean }) => [m.name, m.editable])).toEqual([
      ["Printer reset", false],
      ["My note", true],
    ]);
    r = await list(agent2);
    expect(r.body.macros.map((m: { name: string }) => m.name)).toEqual(["Printer reset"]);
  });

  it("agents cannot create or change shared macros, nor see another agent's", async () => {
    expect((await create(agent, { name: "Sneaky", body: "x", shared: true })).status).toBe(403);
    expect((await patch(agent, shared, { body: "changed" })).status).toBe(403);
    expect((await del(agent, shared)).status).toBe(403);
    expect((await patch(agent2, personal, { body: "mine now" })).status).toBe(404);
    expect((await del(agent2, personal)).status).toBe(404);
    expect((await render(agent2, personal, key)).status).toBe(404);
    expect((await patch(admin, personal, { body: "admin edit" })).status).toBe(404);
    expect((await list(alice)).status).toBe(403);
    expect((await create(alice, { name: "Mine", body: "x" })).status).toBe(403);
    expect((await render(alice, shared, key)).status).toBe(403);
    const [m] = await rows<{ body: string }>(t.db, sql`SELECT body FROM macros WHERE id = ${shared}`);
    expect(m.body).toContain("power-cycle");
  });

  it("renders placeholders for the ticket and counts the use", async () => {
    let r = await render(agent, shared, key);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ body: `Hi Alice Archer, please power-cycle the printer. (${key})`, internal: false, actions: { status: "waiting", priority: "P3" } });
    r = await render(agent, personal, key);
    expect(r.body.body).toBe(`Checked by agent on Printer on floor 3 jams (New, ${alice.email})`);
    expect(r.body.internal).toBe(true);
    const [m] = await rows<{ usage_count: number }>(t.db, sql`SELECT usage_count FROM macros WHERE id = ${shared}`);
    expect(m.usage_count).toBe(1);
    expect((await render(agent, shared, "T-999999")).status).toBe(404);
    expect((await render(agent, "00000000-0000-0000-0000-000000000000", key)).status).toBe(404);
    expect((await render(agent, "not-a-uuid", key)).status).toBe(404);
  });

  it("unknown placeholders are a 422 listing the known ones", async () => {
    const r = await create(agent, { name: "Typo", body: "Hello {{requester.firstname}} and {{ticket.key}}" });
    expect(r.status).toBe(422);
    expect(r.body.error.details.unknown).toEqual(["requester.firstname"]);
    expect(r.body.error.details.known).toContain("requester.name");
    expect(r.body.error.message).toContain("{{requester.firstname}}");
    expect((await patch(agent, personal, { body: "{{nope}}" })).status).toBe(422);
  });

  it("validates actions with the ticket update rules", async () => {
    expect((await create(agent, { name: "Bad status", body: "x", actions: { status: "done" } })).status).toBe(400);
    expect((await create(agent, { name: "Bad field", body: "x", actions: { tags: ["a"] } })).status).toBe(400);
    expect((await create(agent, { name: "Bad team", body: "x", actions: { team: "no-such-team" } })).status).toBe(422);
    expect((await create(agent, { name: "Bad category", body: "x", actions: { category: "no-such-category" } })).status).toBe(422);
    expect((await create(agent, { name: "Bad assignee", body: "x", actions: { assignee: alice.id } })).status).toBe(422);
    expect((await create(agent, { name: "Bad reason", body: "x", actions: { status: "resolved", waitingReason: "requester" } })).status).toBe(422);
    const ok = await create(agent, { name: "Take it", body: "On it.", actions: { assignee: agent.id, team: null } });
    expect(ok.status).toBe(201);
    expect(ok.body.macro.actions).toEqual({ assignee: agent.id, team: null });
  });

  it("names are unique per scope; owners edit and delete their own", async () => {
    expect((await create(agent, { name: "my NOTE", body: "dup" })).status).toBe(409);
    expect((await create(agent2, { name: "My note", body: "fine, another owner" })).status).toBe(201);
    let r = await patch(agent, personal, { name: "My checked note", internal: false });
    expect(r.status).toBe(200);
    expect(r.body.macro).toMatchObject({ name: "My checked note", internal: false });
    expect((await patch(agent, personal, {})).status).toBe(400);
    r = await patch(admin, shared, { body: "Hi {{requester.name}}, fixed." });
    expect(r.status).toBe(200);
    expect((await del(agent, personal)).status).toBe(200);
    expect((await del(agent, personal)).status).toBe(404);
    expect((await del(admin, shared)).status).toBe(200);
  });

  it("is in the OpenAPI document", () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/macros"])).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/macros/{id}"])).toEqual(["patch", "delete"]);
    expect(doc.paths["/api/macros/{id}/render"].post).toBeTruthy();
  });
});
