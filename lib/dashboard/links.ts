import { ListTicketsQuerySchema } from "@/lib/tickets/schemas";

/**
 * Drill-down links of the dashboard: every count links to the ticket list (/tickets) filtered
 * to exactly the tickets it counts (pure; shared by the browser and the server).
 */

/** Statuses of unsolved tickets (the backlog); matches the partial index tickets_unsolved_idx. */
export const UNSOLVED = ["new", "open", "in_progress", "waiting"] as const;
export type UnsolvedStatus = (typeof UNSOLVED)[number];

/** Backlog age buckets: `[minDays, maxDays)` of age (now − created_at); maxDays null = no upper bound. */
export const AGE_BUCKETS = [
  { key: "lt1d", label: "< 1 day", minDays: 0, maxDays: 1 },
  { key: "1to3d", label: "1–3 days", minDays: 1, maxDays: 3 },
  { key: "3to7d", label: "3–7 days", minDays: 3, maxDays: 7 },
  { key: "7to30d", label: "7–30 days", minDays: 7, maxDays: 30 },
  { key: "gt30d", label: "> 30 days", minDays: 30, maxDays: null },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]["key"];

const DAY_MS = 86_400_000;

/**
 * The created_at bounds of an age bucket at `now`: `createdFrom` = now − maxDays (inclusive),
 * `createdTo` = now − minDays (exclusive; none for the youngest bucket), ISO-8601 UTC.
 */
export function ageBucketBounds(bucket: AgeBucket, now: Date): { createdFrom?: string; createdTo?: string } {
  const b = AGE_BUCKETS.find((x) => x.key === bucket)!;
  const at = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return {
    ...(b.maxDays === null ? {} : { createdFrom: at(b.maxDays) }),
    ...(b.minDays === 0 ? {} : { createdTo: at(b.minDays) }),
  };
}

/** Filters of a drill-down link: ticket list query fields as strings (status may be a list). */
export interface ListFilters {
  status?: readonly string[];
  team?: string;
  assignee?: string;
  createdFrom?: string;
  createdTo?: string;
  resolvedFrom?: string;
  resolvedTo?: string;
}

/**
 * `/tickets?…` for these filters (keys in a fixed order, empty ones left out). Throws when the
 * result is not a valid list query (ListTicketsQuerySchema), so a broken link fails loudly.
 */
export function ticketListHref(f: ListFilters): string {
  const qs = new URLSearchParams();
  if (f.status?.length) qs.set("status", f.status.join(","));
  for (const k of ["team", "assignee", "createdFrom", "createdTo", "resolvedFrom", "resolvedTo"] as const) {
    const v = f[k];
    if (v) qs.set(k, v);
  }
  const parsed = ListTicketsQuerySchema.safeParse(Object.fromEntries(qs));
  if (!parsed.success) throw new Error(`Not a valid ticket list query: ${qs.toString()} (${parsed.error.message})`);
  const s = qs.toString();
  return s ? `/tickets?${s}` : "/tickets";
}
