/**
 * Dashboard date ranges (pure; shared by the browser and the server). A range is a pair of
 * inclusive UTC calendar days `{from, to}` (YYYY-MM-DD), as the stats APIs take them.
 */

export const DAY_MS = 86_400_000;

/** Inclusive UTC calendar days. */
export interface DayRange {
  from: string;
  to: string;
}

export const RANGE_PRESETS = ["today", "7d", "30d", "90d", "month"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_LABEL: Record<RangePreset, string> = {
  today: "Today",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  month: "This month",
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** The UTC days of a preset on the day of `now` (ms since the epoch): "Last 7 days" = today and the 6 days before it. */
export function presetRange(preset: RangePreset, now = Date.now()): DayRange {
  const to = day(now);
  const back = { today: 0, "7d": 6, "30d": 29, "90d": 89 } as const;
  if (preset === "month") return { from: `${to.slice(0, 7)}-01`, to };
  return { from: day(dayMs(to) - back[preset] * DAY_MS), to };
}

/** Days in an inclusive range (1 for a single day). */
export function rangeDays(r: DayRange): number {
  return Math.round((dayMs(r.to) - dayMs(r.from)) / DAY_MS) + 1;
}

/** The period of equal length that ends the day before `r` starts. */
export function previousPeriod(r: DayRange): DayRange {
  const to = dayMs(r.from) - DAY_MS;
  return { from: day(to - (rangeDays(r) - 1) * DAY_MS), to: day(to) };
}

/** A range as the half-open instant interval [from 00:00Z, day after `to` 00:00Z). */
export function rangeInstants(r: DayRange): { from: Date; to: Date } {
  return { from: new Date(dayMs(r.from)), to: new Date(dayMs(r.to) + DAY_MS) };
}

/** How a figure moved against the previous period. */
export interface Change {
  /** current − previous, in the figure's unit; null when either side is null. */
  delta: number | null;
  /** 100 × delta / previous, unrounded; null when previous is 0 or null (no base to compare). */
  pct: number | null;
  direction: "up" | "down" | "same" | "unknown";
}

/** Compare a figure with its previous-period value (both in the same unit; null = no data). */
export function compare(current: number | null, previous: number | null): Change {
  if (current === null || previous === null) return { delta: null, pct: null, direction: "unknown" };
  const delta = current - previous;
  return {
    delta,
    pct: previous === 0 ? null : (100 * delta) / previous,
    direction: delta > 0 ? "up" : delta < 0 ? "down" : "same",
  };
}
