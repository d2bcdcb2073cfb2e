import { describe, expect, it } from "vitest";
import { policyFormValues, policyPayload } from "@/components/sla-admin/policy-input";
import { CreatePolicySchema, formatTarget, fromWeeklyHours, HoursSchema, isValidTimeZone, splitDuration, toWeeklyHours } from "@/lib/sla/admin/schemas";
import { DEFAULT_SLA_POLICIES } from "@/db/seed";

describe("SLA admin schemas and form conversion", () => {
  it("shows targets in human units (a business day is 8 h)", () => {
    expect(DEFAULT_SLA_POLICIES.map((p) => [formatTarget(p.firstResponseS), formatTarget(p.resolutionS)])).toEqual([
      ["15 min", "4 h"],
      ["1 h", "1 business day"],
      ["4 h", "3 business days"],
      ["1 business day", "5 business days"],
    ]);
    expect(formatTarget(90)).toBe("90 s");
    expect(splitDuration(5400)).toEqual({ value: 90, unit: "minutes" });
  });

  it("round-trips a stored policy through the form values to the same API payload", () => {
    const stored = { name: "P2 x", priority: "P2" as const, category: null, team: "pmo", orgDomain: "acme.example", calendarId: "5f0c2a4e-6c1b-4f2a-9d7e-1a2b3c4d5e6f", firstResponseS: 5400, resolutionS: 3 * 28800, nextResponseS: null, pauseOn: ["requester" as const], atRiskPct: 75, escalation: { reassignTo: "team" as const, teamSlug: "procurement" }, active: true };
    const parsed = CreatePolicySchema.parse(policyPayload(policyFormValues(stored)));
    expect(parsed).toMatchObject({ ...stored, escalation: { reassignTo: "team", teamSlug: "procurement" } });
  });

  it("stores hours as sorted minutes and shows them as HH:MM; rejects overlaps", () => {
    const hours = HoursSchema.parse({ "2": [{ start: "13:00", end: "24:00" }, { start: "08:30", end: "12:00" }] });
    expect(toWeeklyHours(hours)).toEqual({ "2": [[510, 720], [780, 1440]] });
    expect(fromWeeklyHours(toWeeklyHours(hours))).toEqual({ "2": [{ start: "08:30", end: "12:00" }, { start: "13:00", end: "24:00" }] });
    expect(HoursSchema.safeParse({ "1": [{ start: "09:00", end: "12:00" }, { start: "12:00", end: "13:00" }] }).success).toBe(true);
    expect(HoursSchema.safeParse({ "1": [{ start: "09:00", end: "12:01" }, { start: "12:00", end: "13:00" }] }).success).toBe(false);
    expect(HoursSchema.safeParse({ "8": [{ start: "09:00", end: "12:00" }] }).success).toBe(false);
    expect(HoursSchema.safeParse({ "1": [{ start: "24:00", end: "24:00" }] }).success).toBe(false);
  });

  it("checks IANA time zones with Intl", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});
