import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { businessCalendars, calendarHolidays, slaPolicies } from "@/db/schema";
import { CALENDAR_BUSINESS_HOURS, CALENDAR_24X7 } from "@/db/seed";
import * as policiesRoute from "@/app/api/sla/policies/route";
import * as policyRoute from "@/app/api/sla/policies/[id]/route";
import * as calendarsRoute from "@/app/api/sla/calendars/route";
import * as calendarRoute from "@/app/api/sla/calendars/[id]/route";
import * as holidaysRoute from "@/app/api/sla/calendars/[id]/holidays/route";
import * as holidayRoute from "@/app/api/sla/calendars/[id]/holidays/[day]/route";
import * as importRoute from "@/app/api/sla/calendars/[id]/holidays/import/route";
import { openApiDocument } from "@/lib/http/openapi";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let admin: Actor;
let agent: Actor;
let business: string;
let always: string;

const ics = fs.readFileSync(path.join(__dirname, "../fixtures/ics/holidays.ics"), "utf8");

beforeAll(async () => {
  db = testDb.db;
  admin = await makeActor(db, "admin-sla@corp.test", "admin");
  agent = await makeActor(db, "agent-sla@corp.test", "agent", { teamSlug: "service-desk" });
  const cals = await db.select().from(businessCalendars);
  business = cals.find((c) => c.name === CALENDAR_BUSINESS_HOURS)!.id;
  always = cals.find((c) => c.name === CALENDAR_24X7)!.id;
});

async function auditOf(type: string, id: string) {
  return rows<{ action: string; before: any; after: any }>(db, sql`SELECT action, before, after FROM audit_events WHERE entity_type = ${type} AND entity_id = ${id} ORDER BY id`);
}

describe("/api/sla/policies", () => {
  let id: string;

  it("lists the seeded default policy per priority", async () => {
    const res = await call(policiesRoute.GET, { path: "/api/sla/policies", key: admin.key });
    expect(res.status).toBe(200);
    const p4 = res.body.items.find((p: any) => p.name === "P4 low");
    expect(p4).toMatchObject({ priority: "P4", calendarName: CALENDAR_BUSINESS_HOURS, firstResponseS: 8 * 3600, resolutionS: 40 * 3600, pauseOn: ["requester", "third_party"], atRiskPct: 80 });
    expect(res.body.items.map((p: any) => p.priority)).toEqual(expect.arrayContaining(["P1", "P2", "P3", "P4"]));
  });

  it("401 without credentials, 403 for an agent on every endpoint", async () => {
    expect((await call(policiesRoute.GET, { path: "/api/sla/policies" })).status).toBe(401);
    const forbidden = await Promise.all([
      call(policiesRoute.GET, { path: "/api/sla/policies", key: agent.key }),
      call(policiesRoute.POST, { path: "/api/sla/policies", key: agent.key, body: {} }),
      call(calendarsRoute.GET, { path: "/api/sla/calendars", key: agent.key }),
      call(calendarRoute.DELETE, { method: "DELETE", path: `/api/sla/calendars/${business}`, key: agent.key, params: { id: business } }),
      call(importRoute.POST, { path: `/api/sla/calendars/${business}/holidays/import`, key: agent.key, raw: ics, headers: { "content-type": "text/calendar" }, params: { id: business } }),
    ]);
    expect(forbidden.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(forbidden[0].body.error.code).toBe("forbidden");
  });

  it("creates a narrowed policy (domain lower-cased, defaults filled in) with an audit event", async () => {
    const res = await call(policiesRoute.POST, {
      path: "/api/sla/policies",
      key: admin.key,
      body: { name: "P2 Acme network", priority: "P2", category: "storage", orgDomain: "ACME.example", calendarId: always, firstResponseS: 1800, resolutionS: 7200, escalation: { reassignTo: "team", teamSlug: "infrastructure" } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ priority: "P2", category: "storage", team: null, orgDomain: "acme.example", calendarName: CALENDAR_24X7, nextResponseS: null, atRiskPct: 80, active: true, escalation: { reassignTo: "team", teamSlug: "infrastructure" } });
    id = res.body.id;
    const audit = await auditOf("sla_policy", id);
    expect(audit).toMatchObject([{ action: "sla_policy.created", before: null, after: { name: "P2 Acme network", orgDomain: "acme.example" } }]);
  });

  it("400 with details for bad input", async () => {
    const res = await call(policiesRoute.POST, {
      path: "/api/sla/policies",
      key: admin.key,
      body: { name: "", priority: "P9", calendarId: "nope", firstResponseS: 0, resolutionS: 1.5, atRiskPct: 100, pauseOn: ["lunch"], orgDomain: "a@b", escalation: { reassignTo: "team" } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
    const paths = res.body.error.details.issues.map((i: any) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "priority", "calendarId", "firstResponseS", "resolutionS", "atRiskPct", "pauseOn.0", "orgDomain", "escalation.teamSlug"]));
  });

  it("409 duplicate_name and duplicate_scope; 422 for an unknown category, team or calendar", async () => {
    const base = { priority: "P3", calendarId: business, firstResponseS: 3600, resolutionS: 7200 };
    const dupName = await call(policiesRoute.POST, { path: "/api/sla/policies", key: admin.key, body: { ...base, name: "P4 low", category: "hardware" } });
    expect(dupName.status).toBe(409);
    expect(dupName.body.error.details).toMatchObject({ reason: "duplicate_name", field: "name" });
    const dupScope = await call(policiesRoute.POST, { path: "/api/sla/policies", key: admin.key, body: { ...base, name: "Another P3" } });
    expect(dupScope.status).toBe(409);
    expect(dupScope.body.error.details).toMatchObject({ reason: "duplicate_scope", policy: "P3 medium" });
    const cat = await call(policiesRoute.POST, { path: "/api/sla/policies", key: admin.key, body: { ...base, name: "X", category: "no-such-cat" } });
    expect(cat.status).toBe(422);
    expect(cat.body.error.details.field).toBe("category");
    const team = await call(policiesRoute.POST, { path: "/api/sla/policies", key: admin.key, body: { ...base, name: "X", team: "no-such-team" } });
    expect(team.status).toBe(422);
    const cal = await call(policiesRoute.POST, { path: "/api/sla/policies", key: admin.key, body: { ...base, name: "X", category: "hardware", calendarId: "00000000-0000-4000-8000-000000000000" } });
    expect(cal.status).toBe(422);
    expect(cal.body.error.details.field).toBe("calendarId");
  });

  it("PATCH changes a subset, null clears a narrowing field; GET and DELETE; 404 for unknown ids", async () => {
    const res = await call(policyRoute.PATCH, { method: "PATCH", path: `/api/sla/policies/${id}`, key: admin.key, params: { id }, body: { firstResponseS: 900, category: null, pauseOn: ["third_party"] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ firstResponseS: 900, category: null, orgDomain: "acme.example", pauseOn: ["third_party"] });
    const empty = await call(policyRoute.PATCH, { method: "PATCH", path: `/api/sla/policies/${id}`, key: admin.key, params: { id }, body: {} });
    expect(empty.status).toBe(400);
    const scope = await call(policyRoute.PATCH, { method: "PATCH", path: `/api/sla/policies/${id}`, key: admin.key, params: { id }, body: { priority: "P4", orgDomain: null } });
    expect(scope.status).toBe(409);
    expect(scope.body.error.details.reason).toBe("duplicate_scope");
    expect((await call(policyRoute.GET, { path: `/api/sla/policies/${id}`, key: admin.key, params: { id } })).body.firstResponseS).toBe(900);
    expect((await call(policyRoute.GET, { path: "/api/sla/policies/x", key: admin.key, params: { id: "x" } })).status).toBe(404);
    const del = await call(policyRoute.DELETE, { method: "DELETE", path: `/api/sla/policies/${id}`, key: admin.key, params: { id } });
    expect(del.status).toBe(204);
    expect(await db.select().from(slaPolicies).where(eq(slaPolicies.id, id))).toHaveLength(0);
    expect((await auditOf("sla_policy", id)).map((a) => a.action)).toEqual(["sla_policy.created", "sla_policy.updated", "sla_policy.deleted"]);
  });
});

describe("/api/sla/calendars", () => {
  let id: string;

  it("creates a calendar with split shifts stored as minutes; GET shows HH:MM", async () => {
    const res = await call(calendarsRoute.POST, {
      path: "/api/sla/calendars",
      key: admin.key,
      body: { name: "Berlin desk", timeZone: "Europe/Berlin", hours: { "1": [{ start: "13:00", end: "17:00" }, { start: "08:00", end: "12:00" }], "6": [{ start: "20:00", end: "24:00" }] } },
    });
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(res.body).toMatchObject({ timeZone: "Europe/Berlin", alwaysOpen: false, hours: { "1": [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "17:00" }], "6": [{ start: "20:00", end: "24:00" }] }, holidayCount: 0, policyCount: 0 });
    const [row] = await db.select().from(businessCalendars).where(eq(businessCalendars.id, id));
    expect(row.hours).toEqual({ "1": [[480, 720], [780, 1020]], "6": [[1200, 1440]] });
    expect((await auditOf("business_calendar", id))[0].action).toBe("business_calendar.created");
    const list = await call(calendarsRoute.GET, { path: "/api/sla/calendars", key: admin.key });
    expect(list.body.items.find((c: any) => c.name === CALENDAR_BUSINESS_HOURS).policyCount).toBeGreaterThanOrEqual(3);
  });

  it("400: bad time zone, overlapping shifts, end before start, bad time, no working time", async () => {
    const res = await call(calendarsRoute.POST, {
      path: "/api/sla/calendars",
      key: admin.key,
      body: { name: "Bad", timeZone: "Mars/Olympus", hours: { "1": [{ start: "09:00", end: "12:00" }, { start: "11:00", end: "14:00" }], "2": [{ start: "10:00", end: "09:00" }], "3": [{ start: "9", end: "25:00" }] } },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.issues.map((i: any) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["timeZone", "hours.1.1.start", "hours.2.0.end", "hours.3.0.start", "hours.3.0.end"]));
    const closed = await call(calendarsRoute.POST, { path: "/api/sla/calendars", key: admin.key, body: { name: "Closed", hours: {} } });
    expect(closed.status).toBe(400);
    expect(closed.body.error.details.issues[0].path).toBe("hours");
    // Turning 24×7 off on a calendar without hours leaves it without working time.
    const off = await call(calendarRoute.PATCH, { method: "PATCH", path: `/api/sla/calendars/${always}`, key: admin.key, params: { id: always }, body: { alwaysOpen: false } });
    expect(off.status).toBe(400);
    expect(off.body.error.details.issues[0].path).toBe("hours");
  });

  it("409 duplicate_name on create and rename", async () => {
    const dup = await call(calendarsRoute.POST, { path: "/api/sla/calendars", key: admin.key, body: { name: "berlin DESK", alwaysOpen: true } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details.reason).toBe("duplicate_name");
    const ren = await call(calendarRoute.PATCH, { method: "PATCH", path: `/api/sla/calendars/${id}`, key: admin.key, params: { id }, body: { name: CALENDAR_24X7 } });
    expect(ren.status).toBe(409);
  });

  it("PATCH hours and time zone", async () => {
    const res = await call(calendarRoute.PATCH, { method: "PATCH", path: `/api/sla/calendars/${id}`, key: admin.key, params: { id }, body: { timeZone: "America/New_York", hours: { "2": [{ start: "09:00", end: "17:00" }] } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timeZone: "America/New_York", hours: { "2": [{ start: "09:00", end: "17:00" }] } });
    expect((await auditOf("business_calendar", id)).at(-1)).toMatchObject({ action: "business_calendar.updated", before: { timeZone: "Europe/Berlin" }, after: { timeZone: "America/New_York" } });
  });

  it("holidays: add, rename (upsert), list, delete; 404s", async () => {
    const add = await call(holidaysRoute.POST, { path: `/api/sla/calendars/${id}/holidays`, key: admin.key, params: { id }, body: { day: "2026-12-31", name: "NYE" } });
    expect(add.status).toBe(201);
    expect(add.body).toEqual({ day: "2026-12-31", name: "NYE", added: true });
    const ren = await call(holidaysRoute.POST, { path: `/api/sla/calendars/${id}/holidays`, key: admin.key, params: { id }, body: { day: "2026-12-31", name: "New Year's Eve" } });
    expect(ren.body.added).toBe(false);
    const bad = await call(holidaysRoute.POST, { path: `/api/sla/calendars/${id}/holidays`, key: admin.key, params: { id }, body: { day: "31.12.2026" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe("day");
    const list = await call(holidaysRoute.GET, { path: `/api/sla/calendars/${id}/holidays`, key: admin.key, params: { id } });
    expect(list.body.items).toEqual([{ day: "2026-12-31", name: "New Year's Eve" }]);
    const del = await call(holidayRoute.DELETE, { method: "DELETE", path: `/api/sla/calendars/${id}/holidays/2026-12-31`, key: admin.key, params: { id, day: "2026-12-31" } });
    expect(del.status).toBe(204);
    const again = await call(holidayRoute.DELETE, { method: "DELETE", path: `/api/sla/calendars/${id}/holidays/2026-12-31`, key: admin.key, params: { id, day: "2026-12-31" } });
    expect(again.status).toBe(404);
    const none = await call(holidaysRoute.GET, { path: "/api/sla/calendars/00000000-0000-4000-8000-000000000000/holidays", key: admin.key, params: { id: "00000000-0000-4000-8000-000000000000" } });
    expect(none.status).toBe(404);
  });

  it("imports an .ics (text/calendar): all-day, multi-day, timed and yearly events merged by day; skipped ones reported", async () => {
    await call(holidaysRoute.POST, { path: `/api/sla/calendars/${id}/holidays`, key: admin.key, params: { id }, body: { day: "2027-04-05", name: "old name" } });
    const res = await call(importRoute.POST, { path: `/api/sla/calendars/${id}/holidays/import`, key: admin.key, raw: ics, headers: { "content-type": "text/calendar; charset=utf-8" }, params: { id } });
    expect(res.status).toBe(200);
    expect(res.body.updated).toBe(1);
    expect(res.body.added).toBe(res.body.holidays.length - 1);
    expect(res.body.skipped.map((s: any) => s.name)).toEqual(expect.arrayContaining(["Team day", "Cancelled day"]));
    const stored = await db.select({ day: calendarHolidays.day, name: calendarHolidays.name }).from(calendarHolidays).where(eq(calendarHolidays.calendarId, id));
    const byDay = Object.fromEntries(stored.map((h) => [h.day, h.name]));
    expect(byDay["2027-04-05"]).toBe("Easter Monday");
    expect([byDay["2026-12-24"], byDay["2026-12-25"], byDay["2026-12-26"]]).toEqual(["Christmas break", "Christmas break", "Christmas break"]);
    expect(byDay["2027-03-12"]).toBe("Company offsite");
    expect(stored.filter((h) => h.name === "Labour Day").length).toBeGreaterThanOrEqual(3);
    expect((await auditOf("business_calendar", id)).at(-1)).toMatchObject({ action: "business_calendar.holidays_imported", after: { updated: 1 } });
    // JSON {ics} works too, and a second import adds nothing new.
    const again = await call(importRoute.POST, { path: `/api/sla/calendars/${id}/holidays/import`, key: admin.key, body: { ics }, params: { id } });
    expect(again.status).toBe(200);
    expect(again.body.added).toBe(0);
  });

  it("rejects a bad .ics (400), an oversized one (413), another content type (415)", async () => {
    const bad = await call(importRoute.POST, { path: `/api/sla/calendars/${id}/holidays/import`, key: admin.key, raw: "hello", headers: { "content-type": "text/calendar" }, params: { id } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "bad_request", details: { reason: expect.any(String) } });
    const empty = await call(importRoute.POST, { path: `/api/sla/calendars/${id}/holidays/import`, key: admin.key, body: { ics: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR" }, params: { id } });
    expect(empty.status).toBe(400);
    const big = `BEGIN:VCALENDAR\r\nX-PAD:${"x".repeat(1024 * 1024)}\r\nEND:VCALENDAR`;
    const tooBig = await call(importRoute.POST, { path: `/api/sla/calendars/${id}/holidays/import`, key: admin.key, raw: big, headers: { "content-type": "text/calendar" }, params: { id } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe("payload_too_large");
    const tooBigJson = await call(importRoute.POST, { path: `/api/sla/calendars/${id}/holidays/import`, key: admin.key, body: { ics: big }, params: { id } });
    expect(tooBigJson.status).toBe(413);
    const pdf = await call(importRoute.POST, { path: `/api/sla/calendars/${id}/holidays/import`, key: admin.key, raw: "x", headers: { "content-type": "application/pdf" }, params: { id } });
    expect(pdf.status).toBe(415);
  });

  it("409 calendar_in_use while a policy uses it; deletes an unused one with its holidays", async () => {
    const inUse = await call(calendarRoute.DELETE, { method: "DELETE", path: `/api/sla/calendars/${business}`, key: admin.key, params: { id: business } });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.details).toMatchObject({ reason: "calendar_in_use", policies: expect.arrayContaining(["P4 low"]) });
    const del = await call(calendarRoute.DELETE, { method: "DELETE", path: `/api/sla/calendars/${id}`, key: admin.key, params: { id } });
    expect(del.status).toBe(204);
    expect(await db.select().from(calendarHolidays).where(eq(calendarHolidays.calendarId, id))).toHaveLength(0);
    expect((await auditOf("business_calendar", id)).at(-1)?.action).toBe("business_calendar.deleted");
    expect((await call(calendarRoute.GET, { path: `/api/sla/calendars/${id}`, key: admin.key, params: { id } })).status).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("documents every SLA admin path from the zod schemas", () => {
    const doc = openApiDocument() as any;
    for (const p of ["/api/sla/policies", "/api/sla/policies/{id}", "/api/sla/calendars", "/api/sla/calendars/{id}", "/api/sla/calendars/{id}/holidays", "/api/sla/calendars/{id}/holidays/{day}", "/api/sla/calendars/{id}/holidays/import"]) {
      expect(doc.paths[p], p).toBeDefined();
    }
    const create = doc.paths["/api/sla/policies"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["name", "priority", "calendarId", "firstResponseS", "resolutionS"]));
    expect(create.properties.pauseOn.items.enum).toEqual(["requester", "third_party"]);
    expect(doc.paths["/api/sla/calendars/{id}/holidays/import"].post.requestBody.content["text/calendar"]).toBeDefined();
  });
});
