import { z } from "zod";
import { ApiError } from "@/lib/http/errors";

/** Longest SLA stats range, in days. */
export const SLA_STATS_MAX_RANGE_DAYS = 366;
/** Default range: the last this-many UTC days, today included. */
export const SLA_STATS_DEFAULT_DAYS = 30;

const DAY_MS = 86_400_000;
const DateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: "Use a date like 2026-11-21 or a date-time like 2026-11-21T09:30:00Z",
});

/**
 * GET /api/sla/stats query. `from`/`to`: an ISO date (a UTC day: `from` = its start, `to` = its
 * end, so `from=2026-11-01&to=2026-11-30` is all of November) or an ISO date-time with offset
 * (taken as is). The range is [from, to). Default: the last 30 UTC days ending today (by the SLA
 * clock). `from` must be before `to`; the range spans at most 366 days.
 */
export const SlaStatsQuerySchema = z.strictObject({
  from: DateOrDateTime.optional().describe("Start (inclusive): YYYY-MM-DD (UTC day start) or an ISO date-time"),
  to: DateOrDateTime.optional().describe("End (exclusive): YYYY-MM-DD (the end of that UTC day) or an ISO date-time"),
});
export type SlaStatsQuery = z.infer<typeof SlaStatsQuerySchema>;

const isDateOnly = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
const startOf = (s: string) => new Date(isDateOnly(s) ? `${s}T00:00:00Z` : s);
const endOf = (s: string) => (isDateOnly(s) ? new Date(Date.parse(`${s}T00:00:00Z`) + DAY_MS) : new Date(s));

/**
 * The half-open instant range [from, to) of an SLA stats query, with the defaults filled in
 * from `now` (`to` = the end of now's UTC day; `from` = 30 days before `to`).
 * @throws ApiError validation_error (400) when from is not before to or the range spans more than
 *   366 days; details `{issues: [{path, code, message}]}` like a zod failure.
 */
export function resolveSlaStatsRange(q: SlaStatsQuery, now: Date): { from: Date; to: Date } {
  const to = q.to ? endOf(q.to) : new Date(Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`) + DAY_MS);
  const from = q.from ? startOf(q.from) : new Date(to.getTime() - SLA_STATS_DEFAULT_DAYS * DAY_MS);
  const fail = (message: string) => {
    throw new ApiError("validation_error", "The request query is invalid", { issues: [{ path: "from", code: "custom", message }] });
  };
  if (from.getTime() >= to.getTime()) fail("from must be before to");
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  if (days > SLA_STATS_MAX_RANGE_DAYS) fail(`The range can span at most ${SLA_STATS_MAX_RANGE_DAYS} days (it spans ${Math.ceil(days)})`);
  return { from, to };
}
