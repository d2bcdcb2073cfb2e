import { describe, expect, it } from "vitest";
import { formatCountdown, formatDueInZone, formatSlaSpan, headlineTarget, liveOverallState, liveTargets, slaBadgeText } from "@/components/sla/format";
import type { TicketSlaDTO } from "@/lib/sla/types";

describe("formatSlaSpan", () => {
  it.each([
    [0, "0 s"],
    [59, "59 s"],
    [60, "1 min"],
    [15 * 60 + 59, "15 min"],
    [3600, "1 h"],
    [90 * 60, "1 h 30 min"],
    [2 * 3600 + 30, "2 h"],
    [9 * 3600 + 59 * 60, "9 h 59 min"],
    [10 * 3600 + 59 * 60, "10 h"],
    [99 * 3600, "99 h"],
    [100 * 3600, "4 d"],
    [-15 * 60, "15 min"],
  ])("%i s → %s", (s, text) => expect(formatSlaSpan(s)).toBe(text));
});

describe("formatCountdown", () => {
  it.each([
    [0, "0:00"],
    [5, "0:05"],
    [14 * 60 + 32, "14:32"],
    [3 * 3600 + 59 * 60 + 12, "3:59:12"],
    [-65, "1:05"],
    [36 * 3600, "36:00:00"],
  ])("%i s → %s", (s, text) => expect(formatCountdown(s)).toBe(text));
});

describe("slaBadgeText", () => {
  const base = { activeTarget: "first_response" as const };
  it("says what is due and when, with the state in words", () => {
    expect(slaBadgeText({ ...base, state: "on_track", remainingS: 2 * 3600 })).toEqual({
      state: "on_track",
      text: "due in 2 h",
      description: "SLA on track: first response due in 2 h",
    });
    expect(slaBadgeText({ ...base, state: "at_risk", remainingS: 120 })).toMatchObject({
      state: "at_risk",
      text: "due in 2 min",
      description: "SLA at risk: first response due in 2 min",
    });
    expect(slaBadgeText({ ...base, state: "at_risk", remainingS: 0 }).text).toBe("due now");
  });
  it("says how long a breached target is overdue", () => {
    expect(slaBadgeText({ ...base, state: "breached", remainingS: -15 * 60 })).toEqual({
      state: "breached",
      text: "overdue 15 min",
      description: "SLA breached: first response overdue 15 min",
    });
    // first response missed, resolution still running
    expect(slaBadgeText({ activeTarget: "resolution", state: "breached", remainingS: 600 }).text).toBe("breached");
  });
  it("paused, met and no SLA", () => {
    expect(slaBadgeText({ ...base, state: "paused", remainingS: 300 })).toMatchObject({ text: "paused", description: expect.stringContaining("5 min left") });
    expect(slaBadgeText({ activeTarget: null, state: "met", remainingS: 0 })).toMatchObject({ state: "met", text: "met" });
    expect(slaBadgeText(null)).toMatchObject({ state: "none", text: "no SLA" });
  });
});

/** P1-like SLA on a Mon–Fri 9–17 Berlin calendar, created Wed 2026-12-02 16:50 CET (15:50Z). */
function officeSla(over: Partial<TicketSlaDTO> = {}): TicketSlaDTO {
  const day: Array<[number, number]> = [[540, 1020]];
  return {
    policy: "P1",
    firstResponseDueAt: "2026-12-03T08:05:00.000Z", // 10 min today + 5 min Thursday from 09:00 CET
    resolutionDueAt: "2026-12-03T11:50:00.000Z",
    state: "on_track",
    remainingS: 900,
    activeTarget: "first_response",
    dueAt: "2026-12-03T08:05:00.000Z",
    pausedAt: null,
    targets: [
      { target: "first_response", targetS: 900, dueAt: "2026-12-03T08:05:00.000Z", warnAt: "2026-12-03T08:02:00.000Z", state: "on_track", metAt: null, remainingS: 900 },
      { target: "resolution", targetS: 14400, dueAt: "2026-12-03T11:50:00.000Z", warnAt: "2026-12-03T11:02:00.000Z", state: "on_track", metAt: null, remainingS: 14400 },
    ],
    calendar: { name: "Business hours", timeZone: "Europe/Berlin", alwaysOpen: false, hours: { 1: day, 2: day, 3: day, 4: day, 5: day }, holidays: [] },
    ...over,
  };
}

describe("liveTargets (business-time countdown)", () => {
  const at = (iso: string) => Date.parse(iso);
  it("counts down inside working hours and stands still overnight", () => {
    const sla = officeSla();
    const first = (iso: string) => liveTargets(sla, at(iso))[0];
    expect(first("2026-12-02T15:50:00Z")).toMatchObject({ state: "on_track", remainingS: 900 });
    expect(first("2026-12-02T15:55:00Z").remainingS).toBe(600);
    // 17:00 CET closes; nothing moves until 09:00 CET on Thursday
    expect(first("2026-12-02T16:00:00Z").remainingS).toBe(300);
    expect(first("2026-12-02T22:00:00Z").remainingS).toBe(300);
    expect(first("2026-12-03T08:00:00Z").remainingS).toBe(300);
    expect(first("2026-12-03T08:02:00Z")).toMatchObject({ state: "at_risk", remainingS: 180 });
    expect(first("2026-12-03T08:05:00Z")).toMatchObject({ state: "breached", remainingS: 0 });
    expect(first("2026-12-03T08:20:00Z")).toMatchObject({ state: "breached", remainingS: -900 });
    expect(liveOverallState(sla, liveTargets(sla, at("2026-12-03T08:02:00Z")))).toBe("at_risk");
    expect(liveOverallState(sla, liveTargets(sla, at("2026-12-03T08:20:00Z")))).toBe("breached");
  });
  it("keeps the server's frozen remaining time while paused and met targets met", () => {
    const paused = officeSla({ pausedAt: "2026-12-02T15:55:00Z", state: "paused", remainingS: 600 });
    paused.targets[0] = { ...paused.targets[0], state: "paused", remainingS: 600 };
    const live = liveTargets(paused, at("2026-12-03T12:00:00Z"));
    expect(live[0]).toMatchObject({ state: "paused", remainingS: 600, paused: true });
    expect(headlineTarget(paused, live)?.target).toBe("first_response");
    expect(liveOverallState(paused, live)).toBe("paused");
    // paused after the warn time: frozen at risk
    const pausedAtRisk = officeSla({ pausedAt: "2026-12-03T08:03:00Z", state: "paused", remainingS: 120 });
    pausedAtRisk.targets[0] = { ...pausedAtRisk.targets[0], state: "at_risk", remainingS: 120 };
    expect(liveTargets(pausedAtRisk, at("2026-12-04T12:00:00Z"))[0]).toMatchObject({ state: "at_risk", remainingS: 120, paused: true });

    const met = officeSla({ activeTarget: "resolution" });
    met.targets[0] = { ...met.targets[0], state: "met", metAt: "2026-12-02T15:52:00Z", remainingS: null };
    const live2 = liveTargets(met, at("2026-12-03T09:00:00Z"));
    expect(live2[0]).toMatchObject({ state: "met", remainingS: null });
    expect(headlineTarget(met, live2)).toMatchObject({ target: "resolution", state: "on_track" });
    // met late stays breached
    const late = officeSla({ activeTarget: "resolution" });
    late.targets[0] = { ...late.targets[0], state: "breached", metAt: "2026-12-03T08:10:00Z", remainingS: null };
    const live3 = liveTargets(late, at("2026-12-03T09:00:00Z"));
    expect(live3[0]).toMatchObject({ state: "breached", remainingS: null });
    expect(liveOverallState(late, live3)).toBe("breached");
  });
  it("counts every second on a 24×7 calendar", () => {
    const sla = officeSla({ calendar: { name: "24×7", timeZone: "UTC", alwaysOpen: true, hours: {}, holidays: [] } });
    expect(liveTargets(sla, at("2026-12-03T03:05:00Z"))[0].remainingS).toBe(5 * 3600);
  });
});

describe("formatDueInZone", () => {
  it("shows the due time in the calendar's zone, across a DST change", () => {
    expect(formatDueInZone("2026-12-03T08:05:00.000Z", "Europe/Berlin")).toBe("Thu 3 Dec, 09:05 CET");
    expect(formatDueInZone("2026-07-01T12:00:00.000Z", "America/New_York")).toBe("Wed 1 Jul, 08:00 GMT-4");
  });
});
