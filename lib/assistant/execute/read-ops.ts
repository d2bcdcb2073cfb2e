import "server-only";
import { and, count, eq, gte, lt } from "drizzle-orm";
import { DateTime } from "luxon";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { slaBreaches } from "@/db/schema";
import { isStaff, type Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { countTickets, listTickets } from "@/lib/tickets/list-tickets";
import type { ListOpSchema, StatsOpSchema, TicketFilter } from "../ops";
import { toSummary } from "../summary";
import { assistantTimeZone, describeFilter, formatDay, resolveFilter } from "./filter";
import type { ExecuteResult } from "./result";

interface Ctx {
  now?: Date;
  timeZone?: string;
}

/** Exact totals up to this many tickets for a list; above it the total is null ("more than …"). */
export const LIST_TOTAL_CAP = 10_000;
/** Exact counts up to this many tickets for stats. */
export const STATS_TOTAL_CAP = 100_000;
/** Rows a list shows when the command names no limit. */
export const LIST_DEFAULT_LIMIT = 20;

/** "show …" as a command (for candidates): the filter described with the person's e-mail. */
const listCommand = (f: TicketFilter, zone: string) => (email: string) => `show ${describeFilter({ ...f, assignee: email }, { zone })}`;

/** list: one page of tickets matching the filter, as the caller may see them (listTickets applies visibility), and the total. */
export async function runList(db: Db, op: z.infer<typeof ListOpSchema>, p: Principal, ctx: Ctx): Promise<ExecuteResult> {
  const zone = ctx.timeZone ?? assistantTimeZone();
  const r = await resolveFilter(db, "list", op.filter, p, listCommand(op.filter, zone));
  if (r.kind === "ambiguous") return r.answer;
  const limit = op.limit ?? LIST_DEFAULT_LIMIT;
  const [page, total] = await Promise.all([
    listTickets(db, { ...r.query, limit, sort: op.sort }, p),
    countTickets(db, r.query, p, LIST_TOTAL_CAP),
  ]);
  const description = describeFilter(op.filter, { zone, now: ctx.now, assignee: r.assigneeLabel });
  const shown = page.items.length;
  const message =
    total === 0
      ? `No ${description}.`
      : `${total === null ? `More than ${LIST_TOTAL_CAP.toLocaleString("en")}` : total} ${description}${shown < (total ?? Infinity) ? `; showing the first ${shown}` : ""}.`;
  return {
    op: "list",
    ok: true,
    data: { kind: "tickets", tickets: page.items.map((t) => toSummary(t, p)), total, totalCap: LIST_TOTAL_CAP, filter: op.filter, description },
    message,
  };
}

/** Parse an ISO instant of the op, or undefined. */
const instant = (s: string | undefined) => (s ? new Date(s) : undefined);

/**
 * stats: `tickets` counts the filter's tickets as the caller may see them; `breaches` counts
 * SLA breaches (level `breach`, not warnings) that occurred in [from, to), default today
 * (midnight in the assistant's time zone) until now. Breaches: agents only.
 * @throws ApiError 403 breaches for requesters; 400 when from is not before to.
 */
export async function runStats(db: Db, op: z.infer<typeof StatsOpSchema>, p: Principal, ctx: Ctx): Promise<ExecuteResult> {
  const zone = ctx.timeZone ?? assistantTimeZone();
  const now = ctx.now ?? new Date();
  if (op.metric === "tickets") {
    const filter = op.filter ?? {};
    const r = await resolveFilter(db, "stats", filter, p, (email) => `how many ${describeFilter({ ...filter, assignee: email }, { zone })}?`);
    if (r.kind === "ambiguous") return r.answer;
    const n = await countTickets(db, r.query, p, STATS_TOTAL_CAP);
    const description = describeFilter(filter, { zone, now, assignee: r.assigneeLabel });
    const count = n ?? STATS_TOTAL_CAP;
    return {
      op: "stats",
      ok: true,
      data: { kind: "stats", metric: "tickets", count, from: filter.createdFrom ?? null, to: filter.createdTo ?? null, description },
      message: `${n === null ? `More than ${STATS_TOTAL_CAP.toLocaleString("en")}` : n} ${description}.`,
    };
  }
  if (!isStaff(p)) throw new ApiError("forbidden", "Only agents can see SLA breach counts");
  const from = instant(op.from) ?? DateTime.fromJSDate(now, { zone }).startOf("day").toJSDate();
  const to = instant(op.to) ?? now;
  if (from.getTime() >= to.getTime()) throw new ApiError("validation_error", "The range must start before it ends", { field: "from" });
  const [row] = await db
    .select({ n: count() })
    .from(slaBreaches)
    .where(and(eq(slaBreaches.level, "breach"), gte(slaBreaches.occurredAt, from), lt(slaBreaches.occurredAt, to)));
  const n = Number(row?.n ?? 0);
  const since = op.from ? `from ${formatDay(from.toISOString(), zone, now)}` : "today";
  const description = `SLA breaches ${since}${op.to ? ` until before ${formatDay(to.toISOString(), zone, now)}` : op.from ? " until now" : ""}`;
  return {
    op: "stats",
    ok: true,
    data: { kind: "stats", metric: "breaches", count: n, from: from.toISOString(), to: to.toISOString(), description },
    message: `${n} ${description}.`,
  };
}
