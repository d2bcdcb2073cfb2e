import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { slaNow } from "@/lib/sla/now";
import { ticketCountWhere } from "@/lib/tickets/list-tickets";
import { ViewFiltersSchema } from "./view-schemas";
import { listViews, type ViewDef } from "./views";

/** Counts stop here: above it a view shows "10,000+". */
export const VIEW_COUNT_CAP = 10_000;

export interface ViewCount {
  id: string;
  name: string;
  /** Tickets in the view, or null when more than the cap ("10,000+"). */
  count: number | null;
  /** The list page of the view. */
  href: string;
}

/** The list page of a view. */
export function viewHref(id: string): string {
  return `/tickets?view=${encodeURIComponent(id)}`;
}

/**
 * How many tickets each view holds for the caller, in ONE query: a capped count per view
 * (`SELECT count(*) FROM (SELECT 1 … LIMIT cap + 1)`), so each reads at most cap + 1 index
 * entries however large the desk is. The built-in views use the partial indexes on unsolved
 * tickets (`tickets_unsolved_idx`) and recent resolutions (`tickets_solved_resolved_at_idx`, partial on the solved statuses).
 * @returns one count per view, in the views' order; null = more than `cap`.
 */
export async function countViewDefs(db: DbOrTx, principal: Principal, views: ViewDef[], cap = VIEW_COUNT_CAP): Promise<(number | null)[]> {
  if (views.length === 0) return [];
  const [r] = await rows<Record<string, number>>(db, viewCountsSql(principal, views, await slaNow(db), cap));
  return views.map((_, i) => {
    const n = Number(r?.[`c${i}`] ?? 0);
    return n > cap ? null : n;
  });
}

/** The one statement of {@link countViewDefs}: column `c<i>` = view i's count, at most cap + 1 (for EXPLAIN and benchmarks). */
export function viewCountsSql(principal: Principal, views: ViewDef[], now: Date, cap = VIEW_COUNT_CAP): SQL {
  const columns: SQL[] = views.map((v, i) => {
    const where = ticketCountWhere(ViewFiltersSchema.parse(v.filters), principal, now) ?? sql`false`;
    return sql`(SELECT count(*)::int FROM (SELECT 1 FROM tickets WHERE ${where} LIMIT ${cap + 1}) s) AS ${sql.identifier(`c${i}`)}`;
  });
  return sql`SELECT ${sql.join(columns, sql`, `)}`;
}

/** A view with its count and list URL, as GET /api/views returns it. */
export type CountedView = ViewDef & { count: number | null; href: string };

/**
 * Every view the caller sees (built-in, shared, their personal ones) with its ticket count and
 * list URL, in side-bar order; count null = more than 10,000. Two queries: the saved views, the counts.
 */
export async function viewsWithCounts(db: DbOrTx, principal: Principal): Promise<CountedView[]> {
  const views = await listViews(db, principal);
  const counts = await countViewDefs(db, principal, views);
  return views.map((v, i) => ({ ...v, count: counts[i], href: viewHref(v.id) }));
}

/**
 * Every view the caller sees with its ticket count (see {@link viewsWithCounts}).
 * @returns `[{id, name, count, href}]` in side-bar order; count null = more than 10,000.
 */
export async function countViews(db: DbOrTx, principal: Principal): Promise<ViewCount[]> {
  return (await viewsWithCounts(db, principal)).map(({ id, name, count, href }) => ({ id, name, count, href }));
}

/**
 * The view /tickets opens with: My open; Unassigned in my teams when the caller has no open
 * tickets of their own; All unsolved when that is empty too (an admin in no team, an agent
 * whose teams are clear). Never "all tickets including closed". A count of null (more than
 * the cap) counts as non-empty.
 */
export function defaultViewId(counts: Pick<ViewCount, "id" | "count">[]): "mine" | "unassigned" | "unsolved" {
  const empty = (id: string) => counts.find((c) => c.id === id)?.count === 0;
  if (!empty("mine")) return "mine";
  return empty("unassigned") ? "unsolved" : "unassigned";
}
