import "server-only";
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, savedViews } from "@/db/schema";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { ApiError, forbidden, notFound } from "@/lib/http/errors";
import { actorOf } from "@/lib/tickets/access";
import { ViewFiltersSchema, VIEW_SORTS, type CreateViewInput, type UpdateViewInput, type ViewSort } from "./view-schemas";
import { isUuid } from "@/lib/ids";

/*
 * The agents' views: six built-in ones and the saved views (shared: owner null, managed by
 * admins; personal: an agent's own). A view is a list filter plus a sort; its list URL is
 * /tickets?view=<id>.
 */

export type ViewKind = "builtin" | "shared" | "personal";

export interface ViewDef {
  /** Built-in: a short word (`mine`, `unassigned`, …); saved: the row's UUID. */
  id: string;
  name: string;
  kind: ViewKind;
  /** The list's filter parameters, as query-string values (see ViewFiltersSchema). */
  filters: Record<string, string>;
  sort: ViewSort;
  /** The caller may rename or delete it. */
  editable: boolean;
}

/** Statuses of work still to do (the partial index `tickets_unsolved_idx` covers exactly these). */
export const UNSOLVED = "new,open,in_progress,waiting";
/** "Recently solved" looks back this many days. */
export const RECENTLY_SOLVED_DAYS = 7;

/**
 * The built-in views, in side-bar order. "Recently solved" is relative to `now` (resolved in
 * the last {@link RECENTLY_SOLVED_DAYS} days).
 */
export function builtInViews(now: Date): ViewDef[] {
  const since = new Date(now.getTime() - RECENTLY_SOLVED_DAYS * 86_400_000).toISOString();
  const v = (id: string, name: string, filters: Record<string, string>, sort: ViewSort = "created"): ViewDef => ({
    id,
    name,
    kind: "builtin",
    filters,
    sort,
    editable: false,
  });
  return [
    v("mine", "My open", { assignee: "me", status: UNSOLVED }),
    v("unassigned", "Unassigned in my teams", { myTeams: "true", assignee: "none", status: UNSOLVED }),
    v("unsolved", "All unsolved", { status: UNSOLVED }),
    v("review", "Needs triage review", { needsReview: "true" }),
    v("waiting", "Waiting", { status: "waiting" }),
    v("solved", "Recently solved", { status: "resolved,closed", resolvedFrom: since }, "updated"),
  ];
}

const BUILT_IN_IDS = new Set(builtInViews(new Date(0)).map((v) => v.id));

type SavedViewRow = typeof savedViews.$inferSelect;

function toViewDef(r: SavedViewRow, principal: Principal): ViewDef | null {
  // A stored filter that no longer parses (the list's filters changed) is left out, not shown broken.
  if (!ViewFiltersSchema.safeParse(r.filters).success) return null;
  const sort = (VIEW_SORTS as readonly string[]).includes(r.sort) ? (r.sort as ViewSort) : "created";
  const shared = r.ownerId === null;
  return {
    id: r.id,
    name: r.name,
    kind: shared ? "shared" : "personal",
    filters: r.filters as Record<string, string>,
    sort,
    editable: shared ? hasRole(principal, "admin") : r.ownerId === principal.userId,
  };
}

/**
 * Every view the caller sees: the built-in ones, the shared ones and their own personal ones
 * (by position, then name). API keys without a user see no personal views.
 */
export async function listViews(db: DbOrTx, principal: Principal, now = new Date()): Promise<ViewDef[]> {
  const mine = principal.userId ? eq(savedViews.ownerId, principal.userId) : sql`false`;
  const saved = await db
    .select()
    .from(savedViews)
    .where(or(isNull(savedViews.ownerId), mine))
    .orderBy(sql`${savedViews.ownerId} IS NOT NULL`, asc(savedViews.position), sql`lower(${savedViews.name})`);
  return [...builtInViews(now), ...saved.map((r) => toViewDef(r, principal)).filter((v): v is ViewDef => v !== null)];
}

/**
 * One view the caller sees, by id.
 * @returns null when there is no such view or it is someone else's personal view.
 */
export async function findView(db: DbOrTx, principal: Principal, id: string, now = new Date()): Promise<ViewDef | null> {
  if (BUILT_IN_IDS.has(id)) return builtInViews(now).find((v) => v.id === id)!;
  if (!isUuid(id)) return null;
  const [r] = await db.select().from(savedViews).where(eq(savedViews.id, id));
  if (!r || (r.ownerId !== null && r.ownerId !== principal.userId)) return null;
  return toViewDef(r, principal);
}

/** 409 with a clear message when the owner (or the shared set) already has a view of that name. */
async function assertNameFree(db: DbOrTx, ownerId: string | null, name: string, exceptId?: string): Promise<void> {
  const [dup] = await db
    .select({ id: savedViews.id })
    .from(savedViews)
    .where(
      and(
        ownerId === null ? isNull(savedViews.ownerId) : eq(savedViews.ownerId, ownerId),
        sql`lower(${savedViews.name}) = lower(${name})`,
        exceptId ? sql`${savedViews.id} <> ${exceptId}` : undefined,
      ),
    );
  if (dup) throw new ApiError("conflict", `There is already a ${ownerId === null ? "shared" : "personal"} view named “${name}”`, { field: "name" });
}

async function audit(db: DbOrTx, principal: Principal, id: string, action: string, before: SavedViewRow | null, after: SavedViewRow | null) {
  const pick = (r: SavedViewRow | null) => (r ? { name: r.name, filters: r.filters, sort: r.sort, shared: r.ownerId === null } : null);
  await db.insert(auditEvents).values({ entityType: "saved_view", entityId: id, action, before: pick(before), after: pick(after), ...actorOf(principal) });
}

/**
 * Save a view: personal (owner = the caller) or, for admins, shared. Audited (`view.created`).
 * @throws ApiError 403 (a shared view by a non-admin, or an API key without a user saving a
 *   personal view), 409 (the name is taken among the caller's views, or the shared ones).
 */
export async function createView(db: DbOrTx, principal: Principal, input: CreateViewInput): Promise<ViewDef> {
  if (input.shared && !hasRole(principal, "admin")) throw forbidden("Only admins can create shared views");
  if (!input.shared && !principal.userId) throw forbidden("Personal views belong to a person; sign in or use a user's API key");
  const ownerId = input.shared ? null : principal.userId;
  await assertNameFree(db, ownerId, input.name);
  const [max] = await db
    .select({ p: sql<number>`coalesce(max(${savedViews.position}), -1)::int` })
    .from(savedViews)
    .where(ownerId === null ? isNull(savedViews.ownerId) : eq(savedViews.ownerId, ownerId));
  const [row] = await db
    .insert(savedViews)
    .values({ name: input.name, ownerId, filters: input.filters, sort: input.sort, position: Number(max?.p ?? -1) + 1, createdById: principal.userId })
    .returning();
  await audit(db, principal, row.id, "view.created", null, row);
  return toViewDef(row, principal)!;
}

/** Load a saved view the caller may change: 404 unknown, 403 built-in / another's / shared for a non-admin. */
async function editableRow(db: DbOrTx, principal: Principal, id: string): Promise<SavedViewRow> {
  if (BUILT_IN_IDS.has(id)) throw forbidden("Built-in views cannot be changed; save a view of your own instead");
  const [r] = isUuid(id) ? await db.select().from(savedViews).where(eq(savedViews.id, id)).for("update") : [];
  if (!r) throw notFound("View");
  if (r.ownerId === null ? !hasRole(principal, "admin") : r.ownerId !== principal.userId) {
    throw forbidden(r.ownerId === null ? "Only admins can change shared views" : "This is another agent's personal view");
  }
  return r;
}

/**
 * Rename a view or change its filters or sort. Audited (`view.updated`).
 * @throws ApiError 403, 404 (see {@link editableRow}), 409 (the new name is taken).
 */
export async function updateView(db: DbOrTx, principal: Principal, id: string, input: UpdateViewInput): Promise<ViewDef> {
  const before = await editableRow(db, principal, id);
  if (input.name !== undefined) await assertNameFree(db, before.ownerId, input.name, id);
  const [row] = await db
    .update(savedViews)
    .set({ ...(input.name !== undefined && { name: input.name }), ...(input.filters && { filters: input.filters }), ...(input.sort && { sort: input.sort }), updatedAt: new Date() })
    .where(eq(savedViews.id, id))
    .returning();
  await audit(db, principal, id, "view.updated", before, row);
  return toViewDef(row, principal)!;
}

/**
 * Delete a view. Audited (`view.deleted`).
 * @throws ApiError 403, 404 (see {@link editableRow}).
 */
export async function deleteView(db: DbOrTx, principal: Principal, id: string): Promise<void> {
  const before = await editableRow(db, principal, id);
  await db.delete(savedViews).where(eq(savedViews.id, id));
  await audit(db, principal, id, "view.deleted", before, null);
}
