import { describe, expect, it } from "vitest";
import { compare, presetRange, previousPeriod, rangeDays, rangeInstants } from "@/lib/dashboard/range";

/* Range presets and the previous-period comparison (pure). */
describe("range presets", () => {
  const now = Date.parse("2026-03-10T15:30:00Z");
  it("resolves each preset to inclusive UTC days ending today", () => {
    expect(presetRange("today", now)).toEqual({ from: "2026-03-10", to: "2026-03-10" });
    expect(presetRange("7d", now)).toEqual({ from: "2026-03-04", to: "2026-03-10" });
    expect(presetRange("30d", now)).toEqual({ from: "2026-02-09", to: "2026-03-10" });
    expect(presetRange("90d", now)).toEqual({ from: "2025-12-11", to: "2026-03-10" });
    expect(presetRange("month", now)).toEqual({ from: "2026-03-01", to: "2026-03-10" });
    expect(rangeDays(presetRange("90d", now))).toBe(90);
  });

  it("takes the previous period of equal length just before the range", () => {
    expect(previousPeriod({ from: "2026-03-10", to: "2026-03-10" })).toEqual({ from: "2026-03-09", to: "2026-03-09" });
    expect(previousPeriod({ from: "2026-03-01", to: "2026-03-31" })).toEqual({ from: "2026-01-29", to: "2026-02-28" });
    expect(previousPeriod({ from: "2024-03-01", to: "2024-03-07" })).toEqual({ from: "2024-02-23", to: "2024-02-29" });
    expect(rangeInstants({ from: "2026-03-01", to: "2026-03-02" })).toEqual({ from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-03T00:00:00Z") });
  });
});

describe("compare", () => {
  it("gives the change and percentage against the previous value", () => {
    expect(compare(5, 2)).toEqual({ delta: 3, pct: 150, direction: "up" });
    expect(compare(3, 4)).toEqual({ delta: -1, pct: -25, direction: "down" });
    expect(compare(2, 2)).toEqual({ delta: 0, pct: 0, direction: "same" });
    expect(compare(1, 0)).toEqual({ delta: 1, pct: null, direction: "up" });
    expect(compare(null, 3)).toEqual({ delta: null, pct: null, direction: "unknown" });
    expect(compare(3, null)).toEqual({ delta: null, pct: null, direction: "unknown" });
  });
});
