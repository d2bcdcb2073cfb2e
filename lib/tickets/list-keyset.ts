import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { PRIORITIES, tickets, type Priority } from "@/db/schema";
import { ApiError } from "@/lib/http/errors";
import { activeDueSql } from "@/lib/sla/list-sql";

/*
 * Keyset pagination of the ticket list, in both directions, for each sort:
 * - created: created_at DESC, id DESC (newest first)
 * - updated: updated_at DESC, id DESC (most recently changed first)
 * - priority: priority ASC (P1 first), then created_at DESC, id DESC
 * - due: the active SLA due time ASC (tickets without one last), then id ASC
 * A cursor names one row by its sort key values. "forward" reads the rows after it in display
 * order (the next page); "backward" reads the rows before it in reverse order (the previous
 * page, which the caller reverses back). The orders match the (…, created_at DESC NULLS LAST,
 * id DESC NULLS LAST) indexes, so PostgreSQL reads a page straight from an index (backward
 * pages scan it backwards).
 */

export const LIST_SORTS = ["created", "updated", "priority", "due"] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export type Direction = "forward" | "backward";

/** The sort key values of one row, as PostgreSQL prints them (timestamps: ISO DateStyle text). */
export interface Cursor {
  /** created_at (created, priority), updated_at (updated) or the active SLA due time (due; null = none). */
  t: string | null;
  id: number;
  /** The priority (sort=priority only). */
  p?: Priority;
}

/**
 * A timestamptz as PostgreSQL prints it (ISO DateStyle): 4-digit year 1970–9999, optional
 * microseconds, a UTC offset. Anything else (year 275760, BC dates, words) is refused before it
 * reaches the database.
 */
const CURSOR_TIME = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;
const CURSOR_MIN_YEAR = 1970;

const validTime = (t: unknown): t is string => {
  const m = typeof t === "string" ? CURSOR_TIME.exec(t) : null;
  return m !== null && Number(m[1]) >= CURSOR_MIN_YEAR && !Number.isNaN(Date.parse(t as string));
};
const validId = (id: unknown): id is number => typeof id === "number" && Number.isSafeInteger(id) && id > 0;
const validPriority = (p: unknown): p is Priority => typeof p === "string" && (PRIORITIES as readonly string[]).includes(p);

/** `[t, id]` for sort=created (the format older clients hold); `[sort, …values]` for the others. */
export function encodeCursor(c: Cursor, sort: ListSort): string {
  const v = sort === "created" ? [c.t, c.id] : sort === "priority" ? ["priority", c.p, c.t, c.id] : [sort, c.t, c.id];
  return Buffer.from(JSON.stringify(v)).toString("base64url");
}

/**
 * Decode a cursor made by {@link encodeCursor} for the same sort.
 * @throws ApiError 400 (field `field`) when it is malformed, dated outside 1970–9999, or from another sort.
 */
export function decodeCursor(s: string, sort: ListSort, field = "cursor"): Cursor {
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(v)) {
      if (sort === "created" && v.length === 2 && validTime(v[0]) && validId(v[1])) return { t: v[0], id: v[1] };
      if (sort === "updated" && v.length === 3 && v[0] === "updated" && validTime(v[1]) && validId(v[2])) return { t: v[1], id: v[2] };
      if (sort === "due" && v.length === 3 && v[0] === "due" && (v[1] === null || validTime(v[1])) && validId(v[2])) return { t: v[1], id: v[2] };
      if (sort === "priority" && v.length === 4 && v[0] === "priority" && validPriority(v[1]) && validTime(v[2]) && validId(v[3]))
        return { p: v[1], t: v[2], id: v[3] };
    }
  } catch {
    /* fall through */
  }
  throw new ApiError("validation_error", `The ${field} is invalid; use nextCursor or prevCursor from a previous page (with the same sort)`, { field });
}

/** The row's cursor values as selected columns (`cursorT`, `cursorP`), to encode the page's first and last rows. */
export function cursorColumns(sort: ListSort): { cursorT: SQL<string | null>; cursorP: SQL<string | null> } {
  const t = sort === "due" ? activeDueSql : sort === "updated" ? sql`${tickets.updatedAt}` : sql`${tickets.createdAt}`;
  return { cursorT: sql<string | null>`${t}::text`, cursorP: sql<string | null>`${tickets.priority}::text` };
}

/** The condition "comes after `c` in display order" (forward) or "comes before it" (backward). */
export function keysetCondition(sort: ListSort, c: Cursor, dir: Direction): SQL {
  const fwd = dir === "forward";
  const cmp = sql.raw(fwd ? "<" : ">");
  const created = sql`(${tickets.createdAt}, ${tickets.id}) ${cmp} (${c.t}::timestamptz, ${c.id})`;
  switch (sort) {
    case "created":
      return created;
    case "updated":
      return sql`(${tickets.updatedAt}, ${tickets.id}) ${cmp} (${c.t}::timestamptz, ${c.id})`;
    case "priority": {
      // The leading inequality bounds the index scan; the OR picks the rows within the cursor's priority.
      const [ge, gt] = fwd ? [sql.raw(">="), sql.raw(">")] : [sql.raw("<="), sql.raw("<")];
      return sql`(${tickets.priority} ${ge} ${c.p}::ticket_priority AND (${tickets.priority} ${gt} ${c.p}::ticket_priority OR ${created}))`;
    }
    case "due":
      if (fwd) {
        return c.t === null
          ? sql`(${activeDueSql} IS NULL AND ${tickets.id} > ${c.id})`
          : sql`(${activeDueSql} IS NULL OR (${activeDueSql}, ${tickets.id}) > (${c.t}::timestamptz, ${c.id}))`;
      }
      return c.t === null
        ? sql`(${activeDueSql} IS NOT NULL OR ${tickets.id} < ${c.id})`
        : sql`(${activeDueSql} IS NOT NULL AND (${activeDueSql}, ${tickets.id}) < (${c.t}::timestamptz, ${c.id}))`;
  }
}

/** ORDER BY terms: the display order (forward) or its exact reverse (backward). */
export function keysetOrder(sort: ListSort, dir: Direction): SQL[] {
  const fwd = dir === "forward";
  const desc = sql.raw(fwd ? "DESC NULLS LAST" : "ASC NULLS FIRST");
  const asc = sql.raw(fwd ? "ASC NULLS LAST" : "DESC NULLS FIRST");
  switch (sort) {
    case "created":
      return [sql`${tickets.createdAt} ${desc}`, sql`${tickets.id} ${desc}`];
    case "updated":
      return [sql`${tickets.updatedAt} ${desc}`, sql`${tickets.id} ${desc}`];
    case "priority":
      return [sql`${tickets.priority} ${asc}`, sql`${tickets.createdAt} ${desc}`, sql`${tickets.id} ${desc}`];
    case "due":
      return [sql`${activeDueSql} ${asc}`, sql`${tickets.id} ${sql.raw(fwd ? "ASC" : "DESC")}`];
  }
}
