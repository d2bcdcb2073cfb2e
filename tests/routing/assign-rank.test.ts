import { describe, expect, it } from "vitest";
import { inWorkingHours, localClock } from "@/lib/routing/assign/hours";
import { rankCandidates } from "@/lib/routing/assign/rank";
import { useTestDb } from "../helpers/db";
import { addPerson, giveLoad } from "./assign-helpers";

const t = useTestDb();
// Wednesday 2 December 2026, 12:00 UTC: 13:00 in Berlin, 04:00 in Los Angeles, 21:00 in Tokyo.
const WED_NOON_UTC = new Date("2026-12-02T12:00:00Z");
const vpnTicket = { title: "VPN drops every few minutes", description: "Cisco AnyConnect disconnects from home, I have to reconnect all the time", teamSlug: "service-desk" };

describe("working hours in the employee's time zone", () => {
  const day = { workStartMin: 9 * 60, workEndMin: 17 * 60, workDays: [1, 2, 3, 4, 5] };
  it("reads the local weekday and time", () => {
    expect(localClock(WED_NOON_UTC, "Europe/Berlin")).toEqual({ weekday: 3, minutes: 13 * 60 });
    expect(localClock(WED_NOON_UTC, "America/Los_Angeles")).toEqual({ weekday: 3, minutes: 4 * 60 });
    expect(localClock(new Date("2026-12-02T23:30:00Z"), "Asia/Tokyo")).toEqual({ weekday: 4, minutes: 8 * 60 + 30 });
  });
  it("a day shift: in hours in Berlin, not yet in Los Angeles, not on a Saturday", () => {
    expect(inWorkingHours({ ...day, timeZone: "Europe/Berlin" }, WED_NOON_UTC)).toBe(true);
    expect(inWorkingHours({ ...day, timeZone: "America/Los_Angeles" }, WED_NOON_UTC)).toBe(false);
    expect(inWorkingHours({ ...day, timeZone: "Europe/Berlin" }, new Date("2026-12-05T12:00:00Z"))).toBe(false);
    // The end minute is outside the shift.
    expect(inWorkingHours({ ...day, timeZone: "UTC" }, new Date("2026-12-02T17:00:00Z"))).toBe(false);
    expect(inWorkingHours({ ...day, timeZone: "UTC" }, new Date("2026-12-02T16:59:00Z"))).toBe(true);
  });
  it("an overnight shift belongs to the day it starts", () => {
    const night = { timeZone: "UTC", workStartMin: 22 * 60, workEndMin: 6 * 60, workDays: [5] }; // Friday night
    expect(inWorkingHours(night, new Date("2026-12-04T23:00:00Z"))).toBe(true); // Fri 23:00
    expect(inWorkingHours(night, new Date("2026-12-05T05:59:00Z"))).toBe(true); // Sat 05:59, Friday's shift
    expect(inWorkingHours(night, new Date("2026-12-05T06:00:00Z"))).toBe(false);
    expect(inWorkingHours(night, new Date("2026-12-04T05:00:00Z"))).toBe(false); // Fri 05:00: Thursday has no shift
    expect(inWorkingHours(night, new Date("2026-12-04T21:59:00Z"))).toBe(false);
  });
  it("an unknown time zone counts as out of hours", () => {
    expect(inWorkingHours({ ...day, timeZone: "Mars/Olympus" }, WED_NOON_UTC)).toBe(false);
  });
});

describe("rankCandidates", () => {
  it("ranks by skills, lists matched skills, and filters team, inactive, out of hours and capacity", async () => {
    const db = t.db;
    await addPerson(db, { email: "vpn@corp.test", team: "service-desk", skills: ["VPN", "Cisco AnyConnect", "remote access"], timeZone: "Europe/Berlin", hours: [540, 1020], days: [1, 2, 3, 4, 5] });
    await addPerson(db, { email: "mail@corp.test", team: "service-desk", skills: ["Outlook", "shared mailbox", "calendar"], timeZone: "Europe/Berlin", hours: [540, 1020], days: [1, 2, 3, 4, 5] });
    await addPerson(db, { email: "vpn-la@corp.test", team: "service-desk", skills: ["VPN", "Cisco AnyConnect"], timeZone: "America/Los_Angeles", hours: [540, 1020], days: [1, 2, 3, 4, 5] });
    await addPerson(db, { email: "vpn-gone@corp.test", team: "service-desk", skills: ["VPN", "Cisco AnyConnect"], active: false });
    await addPerson(db, { email: "vpn-disabled-user@corp.test", team: "service-desk", skills: ["VPN", "Cisco AnyConnect"], userActive: false });
    await addPerson(db, { email: "vpn-other-team@corp.test", team: "infrastructure", skills: ["VPN", "Cisco AnyConnect", "firewall"] });
    const full = await addPerson(db, { email: "vpn-full@corp.test", team: "service-desk", skills: ["VPN", "Cisco AnyConnect", "remote access"], max: 2 });
    await giveLoad(db, full.userId, "service-desk", 2);

    const r = await rankCandidates(db, vpnTicket, { now: WED_NOON_UTC, rerank: false });
    expect(r.candidates.map((c) => c.email)).toEqual(["vpn@corp.test", "mail@corp.test"]);
    const best = r.candidates[0];
    expect(best.matchedSkills).toEqual(["VPN", "Cisco AnyConnect"]);
    expect(best).toMatchObject({ load: 0, capacity: 10, inHours: true });
    expect(best.score).toBeGreaterThan(r.candidates[1].score);
    expect(best.lexical).toBe(1);
    expect(r.candidates[1].matchedSkills).toEqual([]);
    expect(Object.fromEntries(r.excluded.map((c) => [c.email, c.excluded]))).toEqual({
      "vpn-la@corp.test": "out_of_hours",
      "vpn-full@corp.test": "at_capacity",
    });
    expect(r.excluded.find((c) => c.email === "vpn-full@corp.test")).toMatchObject({ load: 2, capacity: 2 });
    expect(r.rerank.status).toBe("skipped");

    // Later the same day in Los Angeles the LA colleague is in hours and ties on skills with the first:
    const laMorning = new Date("2026-12-02T17:30:00Z"); // 09:30 LA, 18:30 Berlin (out)
    const later = await rankCandidates(db, vpnTicket, { now: laMorning, rerank: false });
    expect(later.candidates.map((c) => c.email)).toEqual(["vpn-la@corp.test"]);
  });

  it("waiting tickets do not count against capacity; new, open and in-progress do", async () => {
    const db = t.db;
    const p = await addPerson(db, { email: "hr-cap@corp.test", team: "hr-operations", skills: ["payroll"], max: 3 });
    await giveLoad(db, p.userId, "hr-operations", 2, "waiting");
    await giveLoad(db, p.userId, "hr-operations", 1, "in_progress");
    await giveLoad(db, p.userId, "hr-operations", 1, "new");
    const r = await rankCandidates(db, { title: "payslip", description: "my payroll payslip is missing", teamSlug: "hr-operations" }, { rerank: false });
    expect(r.candidates.map((c) => [c.email, c.load])).toEqual([["hr-cap@corp.test", 2]]);
    await giveLoad(db, p.userId, "hr-operations", 1, "open");
    const full = await rankCandidates(db, { title: "payslip", description: "my payroll payslip is missing", teamSlug: "hr-operations" }, { rerank: false });
    expect(full.candidates).toEqual([]);
    expect(full.excluded.map((c) => [c.excluded, c.load])).toEqual([["at_capacity", 3]]);
  });

  it("equal scores go to the lower load", async () => {
    const db = t.db;
    const busy = await addPerson(db, { email: "a-busy@corp.test", team: "procurement", skills: ["software licences", "Adobe"] });
    await addPerson(db, { email: "b-free@corp.test", team: "procurement", skills: ["software licences", "Adobe"] });
    await giveLoad(db, busy.userId, "procurement", 2);
    const ticket = { title: "Adobe licence", description: "I need an Adobe software licence for Acrobat", teamSlug: "procurement" };
    const r = await rankCandidates(db, ticket, { rerank: false });
    expect(r.candidates[0].score).toBe(r.candidates[1].score);
    expect(r.candidates.map((c) => [c.email, c.load])).toEqual([["b-free@corp.test", 0], ["a-busy@corp.test", 2]]);
  });

  it("lexical-only mode reports no semantic part; with embeddings the profile similarity counts", async () => {
    const db = t.db;
    await addPerson(db, { email: "printers@corp.test", team: "end-user-computing", skills: ["printers", "toner", "print queue"] });
    await addPerson(db, { email: "macs@corp.test", team: "end-user-computing", skills: ["MacBook", "macOS"] });
    const ticket = { title: "printer offline", description: "the printer on floor 2 shows offline and my jobs wait in the print queue", teamSlug: "end-user-computing" };
    const lex = await rankCandidates(db, ticket, { semantic: false, rerank: false });
    expect(lex.candidates.every((c) => c.semantic === 0)).toBe(true);
    const sem = await rankCandidates(db, ticket, { rerank: false });
    expect(sem.candidates[0].email).toBe("printers@corp.test");
    expect(sem.candidates[0].matchedSkills).toEqual(["printers", "print queue"]);
    expect(sem.candidates.some((c) => c.semantic > 0)).toBe(true);
  });
});
