import "server-only";
import { and, eq, gte, inArray, isNull, lt, sql, type SQL } from "drizzle-orm";
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
import { ticketHighlights } from "@/lib/search/highlight";
import { planTicketSearch } from "@/lib/search/plan";
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
 * description (web-search syntax: words are ANDed, "quoted phrases", -exclusions), typo-tolerant,
 * and also matches the requesters it names (lib/search/plan.ts); its items carry `highlight`.
 * A query that is a ticket key (T-123) matches that ticket.
 *
 * `sla` keeps tickets whose SLA state (at the SLA clock's now, lib/sla/now.ts) is one of the
 * given states; `sort=due` orders by the active SLA target's due time (soonest first, tickets
 * without one last, then id), paged by its own keyset cursor. Each item carries its `sla`
 * (one query for the page).
 *
 * `createdFrom` (inclusive) and `createdTo` (exclusive) bound created_at; `waitingReason` keeps
 * waiting tickets waiting on that party. The filters and the visibility rule are
 * {@link ticketListWhere}, shared with {@link countTickets}.
 *
 * Each filter has a (filter, created_at DESC, id DESC) index; search uses the GIN index on
 * the stored tsvector.
 * @throws ApiError 400 for a malformed cursor (or one dated outside 1970–9999, or from the other
 *   sort), and for `sort=due` with a full-text `q`.
 */
export async function listTickets(db: DbOrTx, query: ListTicketsQuery, principal: Principal): Promise<TicketPage> {
  const sort = query.sort ?? "created";
  if (sort === "due" && query.q && ticketIdFromKey(query.q.toUpperCase()) === null) {
    throw new ApiError("validation_error", "sort=due cannot be combined with a full-text search (q)", { field: "sort" });
  }
  const now = await slaNow(db);
  const filters = ticketListWhere(query, principal, now);
  if (!filters) return { items: [], nextCursor: null };
  const where: SQL[] = [filters];
  if (query.cursor) {
    const c = decodeCursor(query.cursor, sort);
    if (sort === "created") where.push(sql`(${tickets.createdAt}, ${tickets.id}) < (${c.t}::timestamptz, ${c.id})`);
    else if (c.t === null) where.push(sql`(${activeDueSql} IS NULL AND ${tickets.id} > ${c.id})`);
    else where.push(sql`(${activeDueSql} IS NULL OR (${activeDueSql}, ${tickets.id}) > (${c.t}::timestamptz, ${c.id}))`);
  }
  const limit = query.limit;
  let condition: SQL = and(...where)!;

  const search = isFullText(query) ? await planTicketSearch(db, query.q) : null;
  if (search) {
    // Full-text search: find the page's ids with the adaptive search, then load those rows.
    const hits = await searchTicketIds(db, condition, search.match, limit + 1);
    if (hits.length === 0) return { items: [], nextCursor: null };
    condition = inArray(tickets.id, hits.map((h) => h.id));
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
  const highlights = search ? await ticketHighlights(db, page.map((r) => Number(r.id)), search.tsquery) : null;
  return {
    items: page.map((r) => {
      const dto = toTicketDTO(r as TicketRow, slas.get(Number(r.id)) ?? null);
      const highlight = highlights?.get(Number(r.id));
      if (highlight) dto.highlight = highlight;
      return dto;
    }),
    nextCursor: rowsFound.length > limit && last ? encodeCursor({ t: last.cursorT, id: Number(last.id) }, sort) : null,
  };
}

/** The filters of a list or count: the list query without paging and order. */
export type TicketListFilters = Omit<ListTicketsQuery, "limit" | "cursor" | "sort">;

/** Whether `q` is a full-text search: present and not a ticket key (that is matched by id in {@link ticketListWhere}). */
function isFullText(query: TicketListFilters): query is TicketListFilters & { q: string } {
  return !!query.q && ticketIdFromKey(query.q.toUpperCase()) === null;
}

/**
 * The WHERE condition over `tickets` shared by {@link listTickets} and {@link countTickets}:
 * the caller's visibility (requesters: their own confirmed tickets) AND every filter of the
 * query, except a full-text `q` (each caller runs that its own way; a `q` that is a ticket key
 * is matched here by id). `now` is the SLA clock's now for the `sla` filter.
 * `createdFrom` is inclusive, `createdTo` exclusive.
 * @returns null when the caller can see no tickets at all (a requester without an e-mail).
 */
export function ticketListWhere(query: TicketListFilters, principal: Principal, now: Date): SQL | null {
  const where: SQL[] = [];
  if (!isStaff(principal)) {
    if (!principal.email) return null;
    // Their own, and only once confirmed (a signed-out visitor may have typed their address).
    where.push(eq(tickets.requesterEmail, principal.email), eq(tickets.requesterVerified, true));
  }
  if (query.status) where.push(query.status.length === 1 ? eq(tickets.status, query.status[0]) : inArray(tickets.status, query.status));
  if (query.priority)
    where.push(query.priority.length === 1 ? eq(tickets.priority, query.priority[0]) : inArray(tickets.priority, query.priority));
  if (query.category) where.push(eq(tickets.categorySlug, query.category));
  if (query.team === "none") where.push(isNull(tickets.teamSlug));
  else if (query.team) where.push(eq(tickets.teamSlug, query.team));
  if (query.email) where.push(eq(tickets.requesterEmail, query.email));
  if (query.needsReview !== undefined) where.push(eq(tickets.needsReview, query.needsReview));
  if (query.waitingReason) where.push(eq(tickets.waitingReason, query.waitingReason));
  if (query.createdFrom) where.push(gte(tickets.createdAt, new Date(query.createdFrom)));
  if (query.createdTo) where.push(lt(tickets.createdAt, new Date(query.createdTo)));
  if (query.resolvedFrom) where.push(gte(tickets.resolvedAt, new Date(query.resolvedFrom)));
  if (query.resolvedTo) where.push(lt(tickets.resolvedAt, new Date(query.resolvedTo)));
  if (query.assignee === "none") where.push(isNull(tickets.assigneeId));
  else if (query.assignee === "me") where.push(principal.userId ? eq(tickets.assigneeId, principal.userId) : sql`false`);
  else if (query.assignee) where.push(eq(tickets.assigneeId, query.assignee));
  if (query.sla) where.push(slaStateFilter(query.sla, now));
  const id = query.q ? ticketIdFromKey(query.q.toUpperCase()) : null;
  if (id !== null) where.push(eq(tickets.id, id));
  return where.length ? and(...where)! : sql`true`;
}

/**
 * How many tickets match a list query's filters (`limit`, `cursor` and `sort` are ignored), as
 * the caller may see them: the same condition as {@link listTickets}. Counts at most `cap + 1`
 * rows, so a broad filter on a large desk stays cheap.
 * @returns the exact count up to `cap`, or null when more than `cap` tickets match.
 */
export async function countTickets(db: DbOrTx, query: TicketListFilters, principal: Principal, cap = 10_000): Promise<number | null> {
  const filters = ticketListWhere(query, principal, await slaNow(db));
  if (!filters) return 0;
  // The same typo-tolerant search as the list (lib/search/plan.ts).
  const condition = isFullText(query) ? and(filters, (await planTicketSearch(db, query.q)).match)! : filters;
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(db.select({ one: sql`1` }).from(tickets).where(condition).limit(cap + 1).as("matched"));
  const n = Number(r?.n ?? 0);
  return n > cap ? null : n;
}
