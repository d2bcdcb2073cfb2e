import "server-only";
import { and, eq, gte, inArray, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { employees, STATUSES, ticketReads, ticketSlas, ticketTags, tickets, users, type Status } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { activeDueSql, slaStateFilter } from "@/lib/sla/list-sql";
import { slaNow } from "@/lib/sla/now";
import { slaDTOsFromJson, slaJsonColumn } from "@/lib/sla/read";
import { toTicketDTO, type TicketDTO, type TicketRow } from "./dto";
import { cursorColumns, decodeCursor, encodeCursor, keysetCondition, keysetOrder, type Direction, type ListSort } from "./list-keyset";
import { ticketColumnsNoJoin, ticketIdFromKey } from "./queries";
import { ticketHighlights } from "@/lib/search/highlight";
import { planTicketSearch } from "@/lib/search/plan";
import { searchTicketIds } from "./search";
import type { ListTicketsQuery } from "./schemas";

export interface TicketPage {
  items: TicketListItem[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
  /** Pass as `before` to get the previous page; null on the first page. */
  prevCursor: string | null;
}

/** A list item for staff: `unread` = the requester wrote since the caller last opened the ticket (or they never did). */
export type TicketListItem = TicketDTO & { unread?: boolean };

/**
 * Whether the requester wrote (their latest public reply, else the ticket's creation) after
 * the caller last opened the ticket (`ticket_reads`), or the caller never opened it.
 * Correlated: evaluated only for the rows of the page.
 */
function unreadSql(userId: string): SQL<boolean> {
  return sql<boolean>`NOT EXISTS (SELECT 1 FROM ${ticketReads} r WHERE r.user_id = ${userId} AND r.ticket_id = ${tickets.id}
    AND r.read_at >= coalesce(${tickets.lastRequesterReplyAt}, ${tickets.createdAt}))`;
}

/**
 * List tickets, filtered, in the requested order, with keyset pagination both ways.
 * Requesters only ever see their own confirmed tickets (`requester_verified`). `q` is full-text search over title and
 * description (web-search syntax: words are ANDed, "quoted phrases", -exclusions), typo-tolerant,
 * and also matches the requesters it names (lib/search/plan.ts); its items carry `highlight`.
 * A query that is a ticket key (T-123) matches that ticket.
 *
 * Orders (`sort`, lib/tickets/list-keyset.ts): created (default, newest first), updated (most
 * recently changed first), priority (P1 first, then newest), due (the active SLA target's due
 * time, soonest first, tickets without one last). `cursor` = the previous page's `nextCursor`
 * reads the next page; `before` = a page's `prevCursor` reads the page before it. Each cursor
 * belongs to its sort.
 *
 * `sla` keeps tickets whose SLA state (at the SLA clock's now, lib/sla/now.ts) is one of the
 * given states; each item carries its `sla` (one query for the page). Staff callers with a
 * user get `unread` on each item. `createdFrom` (inclusive) and `createdTo` (exclusive) bound
 * created_at; `waitingReason` keeps waiting tickets waiting on that party; `tag` keeps tickets
 * carrying the tag; `myTeams` the tickets of the caller's teams. The filters and the visibility rule are
 * {@link ticketListWhere}, shared with {@link countTickets}.
 *
 * Each filter has a (filter, created_at DESC, id DESC) index; search uses the GIN index on
 * the stored tsvector.
 * @throws ApiError 400 for a malformed cursor (or one dated outside 1970–9999, or from another
 *   sort), for `cursor` with `before`, and for a sort other than created with a full-text `q`.
 */
export async function listTickets(db: DbOrTx, query: ListTicketsQuery, principal: Principal): Promise<TicketPage> {
  const sort: ListSort = query.sort ?? "created";
  if (sort !== "created" && query.q && ticketIdFromKey(query.q.toUpperCase()) === null) {
    throw new ApiError("validation_error", `sort=${sort} cannot be combined with a full-text search (q)`, { field: "sort" });
  }
  if (query.cursor && query.before) {
    throw new ApiError("validation_error", "Give cursor (next page) or before (previous page), not both", { field: "before" });
  }
  const now = await slaNow(db);
  const filters = ticketListWhere(query, principal, now);
  if (!filters) return { items: [], nextCursor: null, prevCursor: null };
  const dir: Direction = query.before ? "backward" : "forward";
  const at = query.before ? decodeCursor(query.before, sort, "before") : query.cursor ? decodeCursor(query.cursor, sort) : null;
  const where: SQL[] = [filters];
  if (at) where.push(keysetCondition(sort, at, dir));
  const limit = query.limit;
  let condition: SQL = and(...where)!;

  const search = isFullText(query) ? await planTicketSearch(db, query.q) : null;
  if (search && dir === "forward") {
    // Full-text search: find the page's ids with the adaptive search (newest first), then load those rows.
    const hits = await searchTicketIds(db, condition, search.match, limit + 1);
    if (hits.length === 0) return { items: [], nextCursor: null, prevCursor: null };
    condition = inArray(tickets.id, hits.map((h) => h.id));
  } else if (search) {
    // A previous page reads oldest first from the cursor: the plain match condition in that order.
    condition = and(condition, search.match)!;
  }

  // The assignee comes from a correlated subquery, evaluated only for the rows returned (a join
  // would defeat the LIMIT); so does `unread`.
  const unread = isStaff(principal) && principal.userId ? unreadSql(principal.userId) : sql<boolean | null>`NULL`;
  const base = db.select({ ...ticketColumnsNoJoin, ...cursorColumns(sort), unread, sla: slaJsonColumn() }).from(tickets);
  const rowsFound = await (sort === "due" ? base.leftJoin(ticketSlas, eq(ticketSlas.ticketId, tickets.id)) : base)
    .where(condition)
    .orderBy(...keysetOrder(sort, dir))
    .limit(limit + 1);

  const more = rowsFound.length > limit;
  const page = rowsFound.slice(0, limit);
  if (dir === "backward") page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const cursorOf = (r: (typeof page)[number]) => encodeCursor({ t: r.cursorT, id: Number(r.id), p: r.priority }, sort);
  const slas = slaDTOsFromJson(page.map((r) => ({ id: Number(r.id), sla: r.sla })), now);
  const highlights = search ? await ticketHighlights(db, page.map((r) => Number(r.id)), search.tsquery) : null;
  return {
    items: page.map((r) => {
      const dto: TicketListItem = toTicketDTO(r as TicketRow, slas.get(Number(r.id)) ?? null);
      if (r.unread !== null) dto.unread = Boolean(r.unread);
      const highlight = highlights?.get(Number(r.id));
      if (highlight) dto.highlight = highlight;
      return dto;
    }),
    // Forward: more rows after → next; a cursor means rows before. Backward: the mirror image.
    nextCursor: last && (dir === "forward" ? more : true) ? cursorOf(last) : null,
    prevCursor: first && (dir === "forward" ? at !== null : more) ? cursorOf(first) : null,
  };
}

/** The filters of a list or count: the list query without paging and order. */
export type TicketListFilters = Omit<ListTicketsQuery, "limit" | "cursor" | "before" | "sort">;

/** Whether `q` is a full-text search: present and not a ticket key (that is matched by id in {@link ticketListWhere}). */
function isFullText(query: TicketListFilters): query is TicketListFilters & { q: string } {
  return !!query.q && ticketIdFromKey(query.q.toUpperCase()) === null;
}

/** `q` as an exact (not typo-tolerant) full-text query, or null when it is not a full-text search. */
function fullTextQuery(query: TicketListFilters): SQL | null {
  return isFullText(query) ? sql`websearch_to_tsquery('english', ${query.q})` : null;
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
  if (query.status) where.push(statusIn(query.status));
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
  if (query.resolvedFrom || query.resolvedTo) {
    // Only solved tickets carry resolved_at (the lifecycle clears it on reopen); saying so lets
    // the planner use the partial tickets_solved_resolved_at_idx.
    where.push(statusIn(SOLVED));
    if (query.resolvedFrom) where.push(gte(tickets.resolvedAt, new Date(query.resolvedFrom)));
    if (query.resolvedTo) where.push(lt(tickets.resolvedAt, new Date(query.resolvedTo)));
  }
  if (query.assignee === "none") where.push(isNull(tickets.assigneeId));
  else if (query.assignee === "me") where.push(principal.userId ? eq(tickets.assigneeId, principal.userId) : sql`false`);
  else if (query.assignee) where.push(eq(tickets.assigneeId, query.assignee));
  if (query.sla) where.push(slaStateFilter(query.sla, now));
  if (query.tag) where.push(sql`EXISTS (SELECT 1 FROM ${ticketTags} tt WHERE tt.ticket_id = ${tickets.id} AND tt.tag = ${query.tag})`);
  if (query.myTeams) where.push(principal.userId ? inCallersTeams(principal.userId) : sql`false`);
  const id = query.q ? ticketIdFromKey(query.q.toUpperCase()) : null;
  if (id !== null) where.push(eq(tickets.id, id));
  return where.length ? and(...where)! : sql`true`;
}

/**
 * `status IN (…)` with the statuses as literals (they are enum values), so the planner can match
 * the partial indexes on unsolved tickets (`tickets_unsolved_idx`) even in a generic plan.
 */
const SOLVED: readonly Status[] = ["resolved", "closed"];

function statusIn(statuses: readonly Status[]): SQL {
  const known = statuses.filter((s) => (STATUSES as readonly string[]).includes(s));
  if (known.length === 0) return sql`false`;
  return sql`${tickets.status} IN (${sql.raw(known.map((s) => `'${s}'`).join(", "))})`;
}

/**
 * The caller's teams: their user's team and, when they are an active employee, the employee's
 * team. `= ANY (ARRAY(subquery))` makes the teams an InitPlan computed once, so the team is an
 * index condition (`tickets_unsolved_idx`, team first) instead of a hash join over the table.
 */
function inCallersTeams(userId: string): SQL {
  return sql`${tickets.teamSlug} = ANY (ARRAY(SELECT u.team_slug FROM ${users} u WHERE u.id = ${userId} AND u.team_slug IS NOT NULL
    UNION SELECT e.team_slug FROM ${employees} e WHERE e.user_id = ${userId} AND e.active AND e.team_slug IS NOT NULL))`;
}

/**
 * The full condition of a count: {@link ticketListWhere} plus a full-text `q`.
 * @returns null when the caller can see no tickets at all.
 */
export function ticketCountWhere(query: TicketListFilters, principal: Principal, now: Date): SQL | null {
  const filters = ticketListWhere(query, principal, now);
  if (!filters) return null;
  const tsquery = fullTextQuery(query);
  return tsquery ? and(filters, sql`search @@ ${tsquery}`)! : filters;
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
