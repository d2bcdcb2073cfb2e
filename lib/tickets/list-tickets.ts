import "server-only";
import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ticketSlas, tickets } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { activeDueSql, slaStateFilter } from "@/lib/sla/list-sql";
import { slaNow } from "@/lib/sla/now";
import { loadSlaDTOs } from "@/lib/sla/read";
import { toTicketDTO, type TicketDTO, type TicketRow } from "./dto";
import { ticketColumnsNoJoin, ticketIdFromKey } from "./queries";
import { searchTicketIds } from "./search";
import type { ListTicketsQuery } from "./schemas";

export interface TicketPage {
  items: TicketDTO[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

interface Cursor {
  /** created_at (or, for `sort=due`, the active SLA due time; null = none) as PostgreSQL text (microsecond precision, with offset). */
  t: string | null;
  id: number;
}

/** `[t, id]` for newest first; `["due", t, id]` for `sort=due`. */
function encodeCursor(c: Cursor, sort: "created" | "due"): string {
  return Buffer.from(JSON.stringify(sort === "due" ? ["due", c.t, c.id] : [c.t, c.id])).toString("base64url");
}

/**
 * A created_at as PostgreSQL prints timestamptz (ISO DateStyle): 4-digit year 1970–9999,
 * optional microseconds, a UTC offset. Anything else (year 275760, BC dates, words) is refused
 * before it reaches the database.
 */
const CURSOR_TIME = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;
const CURSOR_MIN_YEAR = 1970;

const validTime = (t: unknown): t is string => {
  const m = typeof t === "string" ? CURSOR_TIME.exec(t) : null;
  return m !== null && Number(m[1]) >= CURSOR_MIN_YEAR && !Number.isNaN(Date.parse(t as string));
};
const validId = (id: unknown): id is number => typeof id === "number" && Number.isSafeInteger(id) && id > 0;

function decodeCursor(s: string, sort: "created" | "due"): Cursor {
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as unknown;
    if (sort === "created" && Array.isArray(v) && v.length === 2) {
      const [t, id] = v as unknown[];
      if (validTime(t) && validId(id)) return { t, id };
    }
    if (sort === "due" && Array.isArray(v) && v.length === 3 && v[0] === "due") {
      const [, t, id] = v as unknown[];
      if ((t === null || validTime(t)) && validId(id)) return { t, id };
    }
  } catch {
    /* fall through */
  }
  throw new ApiError("validation_error", "The cursor is invalid; use nextCursor from a previous page (with the same sort)", { field: "cursor" });
}

/**
 * List tickets newest first (created_at, then id), filtered, with keyset pagination.
 * Requesters only ever see their own confirmed tickets (`requester_verified`). `q` is full-text search over title and
 * description (web-search syntax: words are ANDed, "quoted phrases", -exclusions); a query
 * that is a ticket key (T-123) matches that ticket.
 *
 * `sla` keeps tickets whose SLA state (at the SLA clock's now, lib/sla/now.ts) is one of the
 * given states; `sort=due` orders by the active SLA target's due time (soonest first, tickets
 * without one last, then id), paged by its own keyset cursor. Each item carries its `sla`
 * (one query for the page).
 *
 * Each filter has a (filter, created_at DESC, id DESC) index; search uses the GIN index on
 * the stored tsvector.
 * @throws ApiError 400 for a malformed cursor (or one dated outside 1970–9999, or from the other
 *   sort), and for `sort=due` with a full-text `q`.
 */
export async function listTickets(db: DbOrTx, query: ListTicketsQuery, principal: Principal): Promise<TicketPage> {
  const where: SQL[] = [];
  if (!isStaff(principal)) {
    if (!principal.email) return { items: [], nextCursor: null };
    // Their own, and only once confirmed (a signed-out visitor may have typed their address).
    where.push(eq(tickets.requesterEmail, principal.email), eq(tickets.requesterVerified, true));
  }
  if (query.status) where.push(query.status.length === 1 ? eq(tickets.status, query.status[0]) : inArray(tickets.status, query.status));
  if (query.priority)
    where.push(query.priority.length === 1 ? eq(tickets.priority, query.priority[0]) : inArray(tickets.priority, query.priority));
  if (query.category) where.push(eq(tickets.categorySlug, query.category));
  if (query.team) where.push(eq(tickets.teamSlug, query.team));
  if (query.email) where.push(eq(tickets.requesterEmail, query.email));
  if (query.needsReview !== undefined) where.push(eq(tickets.needsReview, query.needsReview));
  if (query.assignee === "none") where.push(isNull(tickets.assigneeId));
  else if (query.assignee === "me") where.push(principal.userId ? eq(tickets.assigneeId, principal.userId) : sql`false`);
  else if (query.assignee) where.push(eq(tickets.assigneeId, query.assignee));
  const sort = query.sort ?? "created";
  if (sort === "due" && query.q && ticketIdFromKey(query.q.toUpperCase()) === null) {
    throw new ApiError("validation_error", "sort=due cannot be combined with a full-text search (q)", { field: "sort" });
  }
  const now = await slaNow(db);
  if (query.sla) where.push(slaStateFilter(query.sla, now));
  if (query.cursor) {
    const c = decodeCursor(query.cursor, sort);
    if (sort === "created") where.push(sql`(${tickets.createdAt}, ${tickets.id}) < (${c.t}::timestamptz, ${c.id})`);
    else if (c.t === null) where.push(sql`(${activeDueSql} IS NULL AND ${tickets.id} > ${c.id})`);
    else where.push(sql`(${activeDueSql} IS NULL OR (${activeDueSql}, ${tickets.id}) > (${c.t}::timestamptz, ${c.id}))`);
  }
  const limit = query.limit;
  let condition: SQL = where.length ? and(...where)! : sql`true`;

  if (query.q) {
    const id = ticketIdFromKey(query.q.toUpperCase());
    if (id !== null) {
      condition = and(condition, eq(tickets.id, id))!;
    } else {
      // Full-text search: find the page's ids with the adaptive search, then load those rows.
      const hits = await searchTicketIds(db, condition, sql`websearch_to_tsquery('english', ${query.q})`, limit + 1);
      if (hits.length === 0) return { items: [], nextCursor: null };
      condition = inArray(tickets.id, hits.map((h) => h.id));
    }
  }

  // Newest first. NULLS LAST matches the (…, created_at DESC NULLS LAST, id DESC NULLS LAST)
  // indexes, so PostgreSQL reads the page straight from the index; the assignee comes from a
  // correlated subquery, evaluated only for the rows returned (a join would defeat the LIMIT).
  // sort=due: the active SLA target's due time, soonest first, tickets without one last.
  const rowsFound =
    sort === "due"
      ? await db
          .select({ ...ticketColumnsNoJoin, cursorT: sql<string | null>`${activeDueSql}::text` })
          .from(tickets)
          .leftJoin(ticketSlas, eq(ticketSlas.ticketId, tickets.id))
          .where(condition)
          .orderBy(sql`${activeDueSql} ASC NULLS LAST`, sql`${tickets.id} ASC`)
          .limit(limit + 1)
      : await db
          .select({ ...ticketColumnsNoJoin, cursorT: sql<string | null>`${tickets.createdAt}::text` })
          .from(tickets)
          .where(condition)
          .orderBy(sql`${tickets.createdAt} DESC NULLS LAST`, sql`${tickets.id} DESC NULLS LAST`)
          .limit(limit + 1);

  const page = rowsFound.slice(0, limit);
  const last = page[page.length - 1];
  const slas = await loadSlaDTOs(db, page.map((r) => Number(r.id)), now);
  return {
    items: page.map((r) => toTicketDTO(r as TicketRow, slas.get(Number(r.id)) ?? null)),
    nextCursor: rowsFound.length > limit && last ? encodeCursor({ t: last.cursorT, id: Number(last.id) }, sort) : null,
  };
}
