import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import * as employeesRoute from "@/app/api/employees/route";
import * as employeeRoute from "@/app/api/employees/[id]/route";
import * as departmentsRoute from "@/app/api/departments/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import { auditEvents, employees, mailOutbox, users } from "@/db/schema";
import { SEED_TEAMS } from "@/db/seed";
import { openApiDocument } from "@/lib/http/openapi";
import { INVITATION_MAIL_HANDLER } from "@/lib/routing/employees/save";
import { call } from "../helpers/http";
import { useTestDb } from "../helpers/db";
import { makeActor, makeDeskActors, type Actor } from "../helpers/fixtures";

const t = useTestDb();
let admin: Actor;
let agent: Actor;
let alice: Actor;

beforeAll(async () => {
  ({ agent, alice } = await makeDeskActors(t.db));
  admin = await makeActor(t.db, "admin@corp.test", "admin");
});

const sortedTeams = () => [...SEED_TEAMS].map((x) => ({ slug: x.slug, name: x.name })).sort((a, b) => a.name.localeCompare(b.name));

describe("GET /api/departments (public)", () => {
  it("lists every team while no employee is active", async () => {
    const r = await call(departmentsRoute.GET, { path: "/api/departments" });
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual(sortedTeams());
  });
});

describe("/api/employees", () => {
  let id: string;

  it("admins create an employee: a new address becomes an invited agent with an invitation mail", async () => {
    const r = await call(employeesRoute.POST, {
      path: "/api/employees",
      key: admin.key,
      body: { name: "Nina Network", email: "Nina@Corp.test", team: "infrastructure", skills: "Cisco; BGP | cisco", seniority: "senior", maxOpenTickets: 6, timeZone: "europe/berlin", workHours: "08:00-16:30", workDays: "Mon-Thu" },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      name: "Nina Network", email: "nina@corp.test", team: "infrastructure", teamName: "Infrastructure & Storage", department: "Infrastructure & Storage",
      skills: ["cisco", "bgp"], seniority: "senior", maxOpenTickets: 6, openTickets: 0, timeZone: "Europe/Berlin", workHours: "08:00-16:30",
      workDays: [1, 2, 3, 4], active: true, user: { role: "agent", invited: true },
    });
    id = r.body.id;
    const [row] = await t.db.select().from(employees).where(eq(employees.id, id));
    expect(row.embedding).toHaveLength(128);
    expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.handler, INVITATION_MAIL_HANDLER))).toHaveLength(1);
    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.entityId, id));
    expect(audit.map((a) => a.action)).toEqual(["employee.created"]);
  });

  it("the departments list now holds only the teams with an active employee", async () => {
    const r = await call(departmentsRoute.GET, { path: "/api/departments" });
    expect(r.body.items).toEqual([{ slug: "infrastructure", name: "Infrastructure & Storage" }]);
  });

  it("admins change an employee; the embedding is recomputed and an e-mail of an existing requester links (and promotes) them", async () => {
    const [before] = await t.db.select().from(employees).where(eq(employees.id, id));
    const r = await call(employeeRoute.PATCH, {
      method: "PATCH",
      path: `/api/employees/${id}`,
      key: admin.key,
      params: { id },
      body: { skills: ["Printers", "Label printers"], email: "alice@corp.test", active: false },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ email: "alice@corp.test", skills: ["printers", "label printers"], active: false, seniority: "senior", user: { id: alice.id, role: "agent" } });
    const [after] = await t.db.select().from(employees).where(eq(employees.id, id));
    expect(after.embedding).not.toEqual(before.embedding);
    const [u] = await t.db.select().from(users).where(eq(users.id, alice.id));
    expect(u.role).toBe("agent");
    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.entityId, id));
    expect(audit.map((a) => a.action).sort()).toEqual(["employee.created", "employee.updated"]);
    // inactive: no team has an active employee any more, so every team is offered again
    expect((await call(departmentsRoute.GET, { path: "/api/departments" })).body.items).toEqual(sortedTeams());
  });

  it("agents list employees, filtered by team; requesters and anonymous callers cannot", async () => {
    const all = await call(employeesRoute.GET, { path: "/api/employees", key: agent.key });
    expect(all.status).toBe(200);
    expect(all.body.items.map((e: { email: string }) => e.email)).toEqual(["alice@corp.test"]);
    const none = await call(employeesRoute.GET, { path: "/api/employees?team=hr-operations", key: agent.key });
    expect(none.body.items).toEqual([]);
    const one = await call(employeeRoute.GET, { path: `/api/employees/${id}`, key: agent.key, params: { id } });
    expect(one.body.id).toBe(id);
    expect((await call(employeesRoute.GET, { path: "/api/employees", key: alice.key })).status).toBe(403);
    expect((await call(employeesRoute.GET, { path: "/api/employees" })).status).toBe(401);
  });

  it.each([
    [{ name: "X", email: "not-an-email" }, "email"],
    [{ name: "X", email: "x@corp.test", seniority: "wizard" }, "seniority"],
    [{ name: "X", email: "x@corp.test", timeZone: "Mars/Olympus" }, "timeZone"],
    [{ name: "X", email: "x@corp.test", maxOpenTickets: 1001 }, "maxOpenTickets"],
    [{ name: "X", email: "x@corp.test", maxOpenTickets: 2.5 }, "maxOpenTickets"],
    [{ name: "X", email: "x@corp.test", workHours: "17:00-09:00" }, "workHours"],
    [{ name: "X", email: "x@corp.test", workDays: [0] }, "workDays"],
    [{ name: "X", email: "x@corp.test", skills: "x".repeat(61) }, "skills"],
    [{ name: "", email: "x@corp.test" }, "name"],
    [{ name: "X", email: "x@corp.test", role: "admin" }, ""],
  ])("400 for a bad body %j (field %s), writing nothing", async (body, field) => {
    const r = await call(employeesRoute.POST, { path: "/api/employees", key: admin.key, body });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("validation_error");
    if (field) expect(r.body.error.details.issues.map((i: { path: string }) => i.path.split(".")[0])).toContain(field);
    expect(await t.db.select().from(employees).where(eq(employees.email, "x@corp.test"))).toHaveLength(0);
  });

  it("409 for a taken e-mail, 422 for an unknown team, 404 for an unknown id, 403 for agents, 400 for an empty patch", async () => {
    const dup = await call(employeesRoute.POST, { path: "/api/employees", key: admin.key, body: { name: "Again", email: "ALICE@corp.test" } });
    expect([dup.status, dup.body.error.code]).toEqual([409, "conflict"]);
    const team = await call(employeesRoute.POST, { path: "/api/employees", key: admin.key, body: { name: "T", email: "t@corp.test", team: "no-such-team" } });
    expect([team.status, team.body.error.details]).toEqual([422, { field: "team" }]);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await call(employeeRoute.PATCH, { method: "PATCH", path: `/api/employees/${missing}`, key: admin.key, params: { id: missing }, body: { active: true } })).status).toBe(404);
    expect((await call(employeeRoute.GET, { path: "/api/employees/not-a-uuid", key: agent.key, params: { id: "not-a-uuid" } })).status).toBe(404);
    expect((await call(employeesRoute.POST, { path: "/api/employees", key: agent.key, body: { name: "A", email: "a@corp.test" } })).status).toBe(403);
    expect((await call(employeeRoute.PATCH, { method: "PATCH", path: `/api/employees/${id}`, key: admin.key, params: { id }, body: {} })).status).toBe(400);
  });

  it("a department picked from the list is the ticket's team", async () => {
    const r = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: alice.key,
      body: { title: "Password reset please", description: "I forgot my password and cannot sign in to my laptop.", email: "alice@corp.test", team: "procurement" },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.ticket.team).toBe("procurement");
  });

  it("is documented in the OpenAPI document from the same schemas", () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }> } }>> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/employees", "/api/employees/{id}", "/api/departments"]));
    const create = doc.paths["/api/employees"].post.requestBody!.content["application/json"].schema;
    expect(create.properties.seniority.enum).toEqual(["junior", "mid", "senior", "lead"]);
  });
});
