import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import * as XLSX from "xlsx";
import * as uploadsRoute from "@/app/api/uploads/route";
import * as uploadRoute from "@/app/api/uploads/[id]/route";
import * as completeRoute from "@/app/api/uploads/[id]/complete/route";
import * as findingsRoute from "@/app/api/uploads/[id]/findings/route";
import { auditEvents, employees, mailOutbox, teams, users } from "@/db/schema";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { mapEmployeeColumns, validateEmployeeSheet } from "@/lib/routing/employees/sheet";
import { INVITATION_MAIL_HANDLER } from "@/lib/routing/employees/save";
import { acceptInvite } from "@/lib/users/admin/passwords";
import { verifyPassword } from "@/lib/auth/password";
import { parseActive, parseMaxOpenTickets, parseSeniority, parseSkills, parseTimeZone, parseWorkDays, parseWorkHours } from "@/lib/routing/employees/values";
import { call } from "../helpers/http";
import { useTestDb } from "../helpers/db";
import { useTestStorage } from "../helpers/storage";
import { makeActor, type Actor } from "../helpers/fixtures";

const t = useTestDb();
useTestStorage();
let admin: Actor;
let alice: Actor;
let agent: Actor;

beforeAll(async () => {
  admin = await makeActor(t.db, "admin@corp.test", "admin");
  alice = await makeActor(t.db, "alice@corp.test", "requester");
  agent = await makeActor(t.db, "agent@corp.test", "agent", { teamSlug: "service-desk" });
  await startWorkers(JOB_HANDLERS);
  return async () => {
    await stopWorkers();
  };
});

const FIXTURE = fs.readFileSync(path.join(__dirname, "../fixtures/employees/employees.csv"));

function xlsxBytes(rows: unknown[][]): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), "People");
  return new Uint8Array(XLSX.write(wb, { type: "array", bookType: "xlsx" }) as ArrayBuffer);
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Upload a sheet of kind `employees` as the admin and wait until it is done or failed. */
async function uploadSheet(name: string, type: string, bytes: Uint8Array) {
  const created = await call(uploadsRoute.POST, { path: "/api/uploads", key: admin.key, body: { filename: name, contentType: type, size: bytes.byteLength, kind: "employees" } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await fetch(created.body.url, { method: "PUT", headers: created.body.headers, body: Buffer.from(bytes) })).status).toBe(200);
  const id = created.body.id as string;
  const done = await call(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key: admin.key, params: { id } });
  expect(done.status, JSON.stringify(done.body)).toBe(202);
  for (let i = 0; i < 600; i++) {
    const r = await call(uploadRoute.GET, { path: `/api/uploads/${id}`, key: admin.key, params: { id } });
    if (r.body.status === "done" || r.body.status === "failed") return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("not processed");
}

describe("employee sheet values", () => {
  it.each([
    ["Senior", "senior"], ["intermediate", "mid"], ["Principal", "lead"], ["staff", "lead"], ["L1", "junior"], ["l2", "mid"],
    ["Level 3", "senior"], ["jr.", "junior"], ["", "mid"], ["Team-Lead", "lead"],
  ])("seniority %j → %s", (text, want) => {
    expect(parseSeniority(text)).toEqual({ ok: true, value: want });
  });

  it.each(["wizard", "L9", "senior-ish"])("seniority %j is refused with the accepted values", (text) => {
    const r = parseSeniority(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain("junior, mid, senior, lead");
  });

  it("skills: split on , ; | and new lines, trimmed, lower-cased, deduplicated; 60 characters and 100 skills at most", () => {
    expect(parseSkills("VPN; Cisco | vpn,\n  Active   Directory ,,")).toEqual({ ok: true, value: ["vpn", "cisco", "active directory"] });
    expect(parseSkills(["SAP FI", "sap fi", "Excel"])).toEqual({ ok: true, value: ["sap fi", "excel"] });
    expect(parseSkills("x".repeat(60)).ok).toBe(true);
    expect(parseSkills(`ok, ${"y".repeat(61)}`).ok).toBe(false);
    expect(parseSkills(Array.from({ length: 101 }, (_, i) => `s${i}`).join(",")).ok).toBe(false);
  });

  it("max open tickets 0–1000, default 10", () => {
    expect(parseMaxOpenTickets("")).toEqual({ ok: true, value: 10 });
    expect(parseMaxOpenTickets("0")).toEqual({ ok: true, value: 0 });
    expect(parseMaxOpenTickets("8.0")).toEqual({ ok: true, value: 8 });
    expect(parseMaxOpenTickets("1000")).toEqual({ ok: true, value: 1000 });
    for (const bad of ["1001", "-1", "2.5", "ten"]) expect(parseMaxOpenTickets(bad).ok, bad).toBe(false);
  });

  it("time zones are IANA names checked with Intl, in their canonical spelling", () => {
    expect(parseTimeZone("america/new_york")).toEqual({ ok: true, value: "America/New_York" });
    expect(parseTimeZone("")).toEqual({ ok: true, value: "UTC" });
    expect(parseTimeZone("Europe/Berlin")).toEqual({ ok: true, value: "Europe/Berlin" });
    for (const bad of ["Mars/Olympus", "+02:00", "GMT+1 hours", "Europe/Berlin; DROP"]) expect(parseTimeZone(bad).ok, bad).toBe(false);
  });

  it("active, working hours and working days", () => {
    for (const [text, want] of [["yes", true], ["N", false], ["1", true], ["false", false], ["", true], ["inactive", false]] as const) {
      expect(parseActive(text)).toEqual({ ok: true, value: want });
    }
    expect(parseActive("maybe").ok).toBe(false);
    expect(parseWorkHours("09:00-17:00")).toEqual({ ok: true, value: { startMin: 540, endMin: 1020 } });
    expect(parseWorkHours("7:30 – 15:30")).toEqual({ ok: true, value: { startMin: 450, endMin: 930 } });
    expect(parseWorkHours("9 to 17")).toEqual({ ok: true, value: { startMin: 540, endMin: 1020 } });
    expect(parseWorkHours("17:00-09:00").ok).toBe(false);
    expect(parseWorkHours("25:00-26:00").ok).toBe(false);
    expect(parseWorkDays("Mon-Fri")).toEqual({ ok: true, value: [1, 2, 3, 4, 5] });
    expect(parseWorkDays("Mon,Tue, thu")).toEqual({ ok: true, value: [1, 2, 4] });
    expect(parseWorkDays("Sun-Thu")).toEqual({ ok: true, value: [1, 2, 3, 4, 7] });
    expect(parseWorkDays("Monday – Wednesday and Sat")).toEqual({ ok: true, value: [1, 2, 3, 6] });
    expect(parseWorkDays("1-5")).toEqual({ ok: true, value: [1, 2, 3, 4, 5] });
    expect(parseWorkDays("Funday").ok).toBe(false);
  });

  it("finds columns by their usual names; 'Team name' is the team, not the name", () => {
    const m = mapEmployeeColumns(["Full name", "Employee E-mail", "Team name", "Primary skills", "Seniority level", "Max open tickets", "Timezone", "Is active", "Notes"]);
    expect(m.columns).toMatchObject({ name: 0, email: 1, team: 2, skills: 3, seniority: 4, maxOpenTickets: 5, timeZone: 6, active: 7 });
    expect(m.unmapped).toEqual(["Notes"]);
    expect(mapEmployeeColumns(["Name", "Email", "Department", "TZ", "Max tickets"]).columns).toMatchObject({ name: 0, email: 1, department: 2, timeZone: 3, maxOpenTickets: 4 });
  });

  it("validates rows: one finding per bad cell with row and column as in the file; a repeated e-mail is an error on the later row", () => {
    const r = validateEmployeeSheet({
      format: "csv",
      sheets: [
        {
          name: "s",
          headerRow: 1,
          headers: ["Name", "Email", "Seniority", "TZ"],
          rows: [
            { row: 2, values: ["A", "a@x.test", "senior", "UTC"] },
            { row: 3, values: ["", "bad", "guru", "Nowhere/Land"] },
            { row: 4, values: ["A2", "A@X.test", "", ""] },
          ],
        },
      ],
    });
    expect(r.records.map((x) => x.email)).toEqual(["a@x.test"]);
    expect(r.invalid).toBe(2);
    expect(r.findings.map((f) => [f.row, f.column, f.code])).toEqual([
      [3, "Email", "invalid_email"],
      [3, "Name", "missing_value"],
      [3, "Seniority", "invalid_seniority"],
      [3, "TZ", "invalid_time_zone"],
      [4, "Email", "duplicate_email"],
    ]);
  });
});

describe("employee sheets through the upload API (kind employees)", () => {
  it("imports the valid rows, reports the others as findings, links and invites users, creates unknown teams", async () => {
    const before = await t.db.select().from(users).where(eq(users.id, alice.id));
    const done = await uploadSheet("employees.csv", "text/csv", FIXTURE);
    expect(done.status, JSON.stringify(done.error)).toBe("done");
    expect(done.summary).toMatchObject({
      rows: 9,
      valid: 4,
      invalid: 5,
      created: 4,
      updated: 0,
      newTeams: [{ slug: "facilities-buildings", name: "Facilities & Buildings" }],
      invitedUsers: 1,
      linkedUsers: 3,
      promotedUsers: 1,
      byCode: { invalid_email: 1, invalid_seniority: 1, invalid_time_zone: 1, out_of_range: 1, duplicate_email: 1 },
    });
    expect(done.findingsCount).toBe(5);

    const f = await call(findingsRoute.GET, { path: `/api/uploads/${done.id}/findings`, key: admin.key, params: { id: done.id } });
    expect(f.body.items.map((x: { row: number; column: string; code: string; value: string }) => [x.row, x.column, x.code, x.value])).toEqual([
      [4, "E-mail", "invalid_email", "not-an-email"],
      [5, "Level", "invalid_seniority", "wizard"],
      [6, "TZ", "invalid_time_zone", "Mars/Olympus"],
      [7, "Max tickets", "out_of_range", "5000"],
      [8, "E-mail", "duplicate_email", "alice@corp.test"],
    ]);

    const rows = await t.db.select().from(employees);
    expect(rows.map((e) => e.email).sort()).toEqual(["admin@corp.test", "agent@corp.test", "alice@corp.test", "bob.builder@corp.test"]);
    const byEmail = new Map(rows.map((e) => [e.email, e]));
    expect(byEmail.get("alice@corp.test")).toMatchObject({
      name: "Alice Example", teamSlug: "service-desk", department: "IT", skills: ["vpn", "cisco"], seniority: "senior",
      maxOpenTickets: 8, timeZone: "Europe/Berlin", workStartMin: 480, workEndMin: 960, workDays: [1, 2, 3, 4, 5], active: true,
      userId: alice.id, sourceUploadId: done.id,
    });
    expect(byEmail.get("bob.builder@corp.test")).toMatchObject({ teamSlug: "facilities-buildings", seniority: "mid", maxOpenTickets: 10, timeZone: "America/New_York", workDays: [1, 2, 3] });
    expect(byEmail.get("agent@corp.test")).toMatchObject({ teamSlug: "infrastructure", seniority: "lead", workDays: [1, 2, 3, 4, 7], userId: agent.id });
    expect(byEmail.get("admin@corp.test")).toMatchObject({ teamSlug: "service-desk", seniority: "senior", active: false, userId: admin.id });
    for (const e of rows) {
      expect(e.embedding).toHaveLength(128);
      expect(e.embeddingModel).toBeTruthy();
    }

    // users: the requester became an agent (sessions ended), the agent kept their team, the admin stays admin
    const [a] = await t.db.select().from(users).where(eq(users.id, alice.id));
    expect(a.role).toBe("agent");
    expect(a.teamSlug).toBe("service-desk");
    expect(a.sessionVersion).toBe(before[0].sessionVersion + 1);
    const [ag] = await t.db.select().from(users).where(eq(users.id, agent.id));
    expect([ag.role, ag.teamSlug]).toEqual(["agent", "service-desk"]);
    const [ad] = await t.db.select().from(users).where(eq(users.id, admin.id));
    expect(ad.role).toBe("admin");
    const [bob] = await t.db.select().from(users).where(eq(users.email, "bob.builder@corp.test"));
    expect(bob).toMatchObject({ role: "agent", passwordHash: null, teamSlug: "facilities-buildings", name: "Bob Builder" });
    expect(byEmail.get("bob.builder@corp.test")!.userId).toBe(bob.id);

    // one invitation, to the new user only, with a one-time set-password link that works
    const mails = await t.db.select().from(mailOutbox).where(eq(mailOutbox.handler, INVITATION_MAIL_HANDLER));
    expect(mails.map((m) => m.toAddress)).toEqual(["bob.builder@corp.test"]);
    expect(mails[0].textBody).toContain("Facilities & Buildings");
    expect(mails[0].textBody).toContain("7 days");
    const link = /\/invite\/([A-Za-z0-9_-]{43})\b/.exec(mails[0].textBody ?? "");
    expect(link, mails[0].textBody ?? "").not.toBeNull();
    expect(await acceptInvite(t.db, link![1], "bob-chooses-a-long-password")).toEqual({ email: "bob.builder@corp.test" });
    const [bobAfter] = await t.db.select().from(users).where(eq(users.id, bob.id));
    expect(bobAfter.active).toBe(true);
    expect(await verifyPassword("bob-chooses-a-long-password", bobAfter.passwordHash!)).toBe(true);
    await expect(acceptInvite(t.db, link![1], "a-second-try-password")).rejects.toMatchObject({ status: 410 });

    const [team] = await t.db.select().from(teams).where(eq(teams.slug, "facilities-buildings"));
    expect(team.name).toBe("Facilities & Buildings");
    const audit = await t.db.select().from(auditEvents).where(and(eq(auditEvents.action, "employees.imported"), eq(auditEvents.entityId, done.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "api_key", after: expect.objectContaining({ created: 4, updated: 0 }) });
  });

  it("an XLSX re-upload updates by e-mail without duplicates; columns it lacks keep their values", async () => {
    const [before] = await t.db.select({ embedding: employees.embedding }).from(employees).where(eq(employees.email, "alice@corp.test"));
    const done = await uploadSheet("people.xlsx", XLSX_TYPE, xlsxBytes([
      ["Employee name", "Email address", "Team", "Skill set", "Seniority"],
      ["Alice Example", "alice@corp.test", "identity-access", "SSO, MFA, okta", "lead"],
      ["Frank New", "frank@corp.test", "HR", "payroll", "junior"],
    ]));
    expect(done.status, JSON.stringify(done.error)).toBe("done");
    expect(done.summary).toMatchObject({ rows: 2, valid: 2, invalid: 0, created: 1, updated: 1, newTeams: [], invitedUsers: 1 });
    const all = await t.db.select().from(employees);
    expect(all).toHaveLength(5);
    const [a] = all.filter((e) => e.email === "alice@corp.test");
    expect(a).toMatchObject({ teamSlug: "identity-access", department: "identity-access", skills: ["sso", "mfa", "okta"], seniority: "lead", maxOpenTickets: 8, timeZone: "Europe/Berlin", sourceUploadId: done.id });
    expect(a.embedding).not.toEqual(before.embedding);
    const [f] = all.filter((e) => e.email === "frank@corp.test");
    expect(f.teamSlug).toBe("hr-operations"); // "HR" is the documented short name of HR Operations
    expect((await t.db.select().from(users).where(eq(users.email, "alice@corp.test"))).length).toBe(1);

    // the same file again: all updates, nothing new, no second invitation
    const again = await uploadSheet("people-again.xlsx", XLSX_TYPE, xlsxBytes([
      ["Employee name", "Email address", "Team", "Skill set", "Seniority"],
      ["Frank New", "FRANK@corp.test", "HR", "payroll", "junior"],
    ]));
    expect(again.summary).toMatchObject({ created: 0, updated: 1, invitedUsers: 0 });
    expect(await t.db.select().from(employees)).toHaveLength(5);
    expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "frank@corp.test"))).toHaveLength(1);
  });

  it("a sheet without a name or e-mail column fails with a clear message and imports nothing", async () => {
    const done = await uploadSheet("wrong.csv", "text/csv", Buffer.from("Person,Team,Skills\nXavier,IT,vpn\n"));
    expect(done.status).toBe("failed");
    expect(done.error.code).toBe("missing_columns");
    expect(done.error.message).toMatch(/e-mail column/);
    expect(done.error.message).toContain("Person, Team, Skills");
    expect((await t.db.select().from(employees).where(eq(employees.name, "Xavier"))).length).toBe(0);
  });

  it("only admins may upload employee sheets", async () => {
    const r = await call(uploadsRoute.POST, { path: "/api/uploads", key: agent.key, body: { filename: "e.csv", contentType: "text/csv", size: 10, kind: "employees" } });
    expect(r.status).toBe(403);
  });
});
