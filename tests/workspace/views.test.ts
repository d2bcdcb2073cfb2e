import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as viewsRoute from "@/app/api/views/route";
import * as viewRoute from "@/app/api/views/[id]/route";
import * as versionRoute from "@/app/api/workspace/version/route";
import { countViews, defaultViewId } from "@/lib/workspace/counts";
import type { Principal } from "@/lib/auth/principal";
import { useTestDb } from "../helpers/db";
import { makeActor, makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
let agent: Actor, agent2: Actor, alice: Actor, admin: Actor;

const create = (body: Record<string, unknown>) => call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body });
const patchTicket = (key: string, body: Record<string, unknown>) =>
  call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body });
const getViews = (who: Actor) => call(viewsRoute.GET, { path: "/api/views", key: who.key });
const postView = (who: Actor, body: unknown) => call(viewsRoute.POST, { path: "/api/views", key: who.key, body });
const patchView = (who: Actor, id: string, body: unknown) => call(viewRoute.PATCH, { method: "PATCH", path: `/api/views/${id}`, key: who.key, params: { id }, body });
const delView = (who: Actor, id: string) => call(viewRoute.DELETE, { method: "DELETE", path: `/api/views/${id}`, key: who.key, params: { id } });
const countOf = (views: { id: string; count: number | null }[], id: string) => views.find((v) => v.id === id)?.count;
const principalOf = (a: Actor): Principal => ({ kind: "user", id: a.id, role: "agent", userId: a.id, email: a.email, label: a.email });

beforeAll(async () => {
  ({ agent, agent2, alice } = await makeDeskActors(t.db));
  admin = await makeActor(t.db, "admin@corp.test", "admin");
});

describe("built-in views and their counts", () => {
  it("count my open, unassigned in my teams, unsolved, waiting and recently solved tickets", async () => {
    let r = await getViews(agent);
    expect(r.status).toBe(200);
    expect(r.body.views.slice(0, 6).map((v: { id: string }) => v.id)).toEqual(["mine", "unassigned", "unsolved", "review", "waiting", "solved"]);
    expect(countOf(r.body.views, "mine")).toBe(0);
    // Nothing mine and nothing unassigned in my teams yet: the desk opens on All unsolved.
    expect(countOf(r.body.views, "unassigned")).toBe(0);
    expect(r.body.defaultView).toBe("unsolved");
    const before = { ...Object.fromEntries(r.body.views.map((v: { id: string; count: number }) => [v.id, v.count])) };

    const a = await create({ title: "Printer jams on floor 3", description: "The printer on floor 3 jams on every job", email: alice.email, team: "service-desk" });
    const b = await create({ title: "Password reset loop", description: "The reset page sends me back to the start", email: alice.email, team: "identity-access" });
    const c = await create({ title: "Monitor flickers badly", description: "My second monitor flickers every few seconds", email: alice.email, team: "service-desk" });
    for (const x of [a, b, c]) expect(x.status).toBe(201);
    r = await getViews(agent);
    expect(countOf(r.body.views, "unassigned")).toBeGreaterThan(0);
    expect(r.body.defaultView).toBe("unassigned"); // still nothing mine
    expect((await patchTicket(c.body.ticket.key, { assignee: agent.id })).status).toBe(200);

    r = await getViews(agent);
    expect(countOf(r.body.views, "mine")).toBe(1);
    expect(countOf(r.body.views, "unassigned")).toBe(before.unassigned + 1); // a: service-desk, unassigned; b is another team
    expect(countOf(r.body.views, "unsolved")).toBe(before.unsolved + 3);
    expect(r.body.defaultView).toBe("mine");
    const r2 = await getViews(agent2);
    expect(countOf(r2.body.views, "unassigned")).toBeGreaterThanOrEqual(1); // b: identity-access
    expect(countOf(r2.body.views, "mine")).toBe(0);

    expect((await patchTicket(c.body.ticket.key, { status: "waiting" })).status).toBe(200);
    r = await getViews(agent);
    expect(countOf(r.body.views, "waiting")).toBe(before.waiting + 1);
    expect(countOf(r.body.views, "mine")).toBe(1); // waiting is still unsolved

    expect((await patchTicket(a.body.ticket.key, { status: "resolved", resolution: "Cleared the paper path" })).status).toBe(200);
    r = await getViews(agent);
    expect(countOf(r.body.views, "solved")).toBe(before.solved + 1);
    expect(countOf(r.body.views, "unassigned")).toBe(before.unassigned);
  });

  it("an employee's team counts as one of the agent's teams", async () => {
    await t.db.execute(sql`INSERT INTO employees (email, name, team_slug, user_id) VALUES (${agent.email}, 'Agent', 'identity-access', ${agent.id})`);
    const withEmployeeTeam = await getViews(agent);
    expect(await unassignedIn("identity-access")).toBeGreaterThan(0);
    expect(countOf(withEmployeeTeam.body.views, "unassigned")).toBe((await unassignedIn("service-desk")) + (await unassignedIn("identity-access")));
    await t.db.execute(sql`DELETE FROM employees WHERE user_id = ${agent.id}`);
    expect(countOf((await getViews(agent)).body.views, "unassigned")).toBe(await unassignedIn("service-desk"));
  });

  it("countViews caps each count and reports more than the cap as null", async () => {
    const views = await countViews(t.db, principalOf(agent));
    expect(views.find((v) => v.id === "unsolved")?.href).toBe("/tickets?view=unsolved");
    const { countViewDefs } = await import("@/lib/workspace/counts");
    const { builtInViews } = await import("@/lib/workspace/views");
    const counts = await countViewDefs(t.db, principalOf(agent), builtInViews(new Date()), 1);
    expect(counts[2]).toBeNull(); // unsolved > 1
    expect(defaultViewId([{ id: "mine", count: 0 }, { id: "unassigned", count: 2 }])).toBe("unassigned");
    expect(defaultViewId([{ id: "mine", count: 0 }, { id: "unassigned", count: null }])).toBe("unassigned");
    expect(defaultViewId([{ id: "mine", count: 0 }, { id: "unassigned", count: 0 }])).toBe("unsolved");
    expect(defaultViewId([{ id: "mine", count: null }, { id: "unassigned", count: 0 }])).toBe("mine");
    expect(defaultViewId([{ id: "mine", count: 3 }, { id: "unassigned", count: 0 }])).toBe("mine");
  });
});

async function unassignedIn(team: string): Promise<number> {
  const [r] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM tickets WHERE team_slug = ${team} AND assignee_id IS NULL AND status IN ('new','open','in_progress','waiting')`);
  return r.n;
}

describe("saved views", () => {
  it("an agent saves, renames and deletes a personal view that only they see, with its count", async () => {
    let r = await postView(agent, { name: "My P1s", filters: { priority: "P1,P2", assignee: "me" }, sort: "priority" });
    expect(r.status).toBe(201);
    const id = r.body.view.id;
    expect(r.body.view).toMatchObject({ kind: "personal", editable: true, sort: "priority", filters: { priority: "P1,P2", assignee: "me" } });
    r = await getViews(agent);
    expect(r.body.views.find((v: { id: string }) => v.id === id)).toMatchObject({ name: "My P1s", count: 0, href: `/tickets?view=${id}` });
    expect((await getViews(agent2)).body.views.some((v: { id: string }) => v.id === id)).toBe(false);

    expect((await postView(agent, { name: "my p1s", filters: {} })).status).toBe(409);
    expect((await patchView(agent2, id, { name: "Mine now" })).status).toBe(403);
    expect((await delView(agent2, id)).status).toBe(403);
    r = await patchView(agent, id, { name: "Urgent for me", filters: { status: ["new", "open"] } });
    expect(r.status).toBe(200);
    expect(r.body.view).toMatchObject({ name: "Urgent for me", filters: { status: "new,open" } });
    expect((await delView(agent, id)).status).toBe(200);
    expect((await delView(agent, id)).status).toBe(404);
    const audit = await rows<{ action: string }>(t.db, sql`SELECT action FROM audit_events WHERE entity_type = 'saved_view' AND entity_id = ${id} ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(["view.created", "view.updated", "view.deleted"]);
  });

  it("admins manage shared views, which every agent sees but cannot change", async () => {
    expect((await postView(agent, { name: "Team P1", filters: { priority: "P1" }, shared: true })).status).toBe(403);
    const r = await postView(admin, { name: "Team P1", filters: { priority: "P1" }, shared: true });
    expect(r.status).toBe(201);
    const id = r.body.view.id;
    const seen = (await getViews(agent2)).body.views.find((v: { id: string }) => v.id === id);
    expect(seen).toMatchObject({ kind: "shared", editable: false });
    expect((await patchView(agent2, id, { sort: "updated" })).status).toBe(403);
    expect((await delView(agent, id)).status).toBe(403);
    expect((await postView(admin, { name: "team p1", filters: {}, shared: true })).status).toBe(409);
    // The same name as a personal view is fine (names are unique per owner).
    expect((await postView(agent, { name: "Team P1", filters: {} })).status).toBe(201);
    expect((await patchView(admin, id, { sort: "updated" })).body.view.sort).toBe("updated");
    expect((await delView(admin, id)).status).toBe(200);
  });

  it("bad input is a 4xx, never a 500; built-in views cannot be changed", async () => {
    expect((await postView(agent, { name: "", filters: {} })).status).toBe(400);
    expect((await postView(agent, { name: "x".repeat(81), filters: {} })).status).toBe(400);
    expect((await postView(agent, { name: "Bad", filters: { status: "nope" } })).status).toBe(400);
    expect((await postView(agent, { name: "Bad", filters: { colour: "red" } })).status).toBe(400);
    expect((await postView(agent, { name: "Bad", filters: { limit: "5" } })).status).toBe(400);
    expect((await postView(agent, { name: "Bad", filters: {}, sort: "random" })).status).toBe(400);
    expect((await postView(agent, { name: "Bad", filters: "status=new" })).status).toBe(400);
    expect((await postView(agent, { name: "Bad\u0000", filters: {} })).status).toBe(400);
    expect((await patchView(agent, "00000000-0000-4000-8000-000000000000", { name: "X" })).status).toBe(404);
    expect((await patchView(agent, "not-a-uuid", { name: "X" })).status).toBe(404);
    expect((await patchView(agent, "mine", { name: "X" })).status).toBe(403);
    expect((await delView(agent, "unsolved")).status).toBe(403);
    expect((await patchView(agent, "mine", {})).status).toBe(400);
  });

  it("requesters and anonymous callers get no views", async () => {
    expect((await getViews(alice)).status).toBe(403);
    expect((await postView(alice, { name: "Mine", filters: {} })).status).toBe(403);
    expect((await call(viewsRoute.GET, { path: "/api/views" })).status).toBe(401);
  });
});

describe("GET /api/workspace/version", () => {
  it("changes when a ticket arrives; staff only", async () => {
    const v1 = await call(versionRoute.GET, { path: "/api/workspace/version", key: agent.key });
    expect(v1.status).toBe(200);
    expect(typeof v1.body.version).toBe("string");
    await create({ title: "Badge reader broken", description: "The badge reader at the side door is dead", email: alice.email });
    const v2 = await call(versionRoute.GET, { path: "/api/workspace/version", key: agent.key });
    expect(v2.body.version).not.toBe(v1.body.version);
    expect((await call(versionRoute.GET, { path: "/api/workspace/version", key: alice.key })).status).toBe(403);
  });
});

it("the OpenAPI document describes the views endpoints from their zod schemas", async () => {
  const { openApiDocument } = await import("@/lib/http/openapi");
  const paths = openApiDocument().paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>>;
  expect(Object.keys(paths["/api/views"])).toEqual(["get", "post"]);
  expect(Object.keys(paths["/api/views/{id}"])).toEqual(["patch", "delete"]);
  expect(paths["/api/workspace/version"].get).toBeDefined();
  expect(Object.keys(paths["/api/views"].post.requestBody!.content["application/json"].schema.properties ?? {})).toEqual(["name", "filters", "sort", "shared"]);
});
