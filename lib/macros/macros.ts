import "server-only";
import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { macros, users } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData } from "@/lib/reference/cache";
import { assertStaff } from "@/lib/tickets/access";
import { assertReferences } from "@/lib/tickets/create-ticket";
import { STATUS_LABEL } from "@/components/tickets/labels";
import { findTicketRow } from "@/lib/tickets/queries";
import { displayName, requesterName } from "@/lib/tickets/requester-panel";
import {
  MacroActionsSchema,
  PLACEHOLDERS,
  fillPlaceholders,
  unknownPlaceholders,
  type CreateMacroInput,
  type MacroActions,
  type MacroDTO,
  type RenderedMacro,
  type UpdateMacroInput,
} from "./schemas";

/*
 * Macros (canned responses, issue 12). Shared macros (owner_id null) are managed by admins and
 * used by every agent; personal macros belong to one agent, who alone sees and edits them.
 * Another agent's personal macro answers 404 (not 403), so ids cannot be probed.
 */

type MacroRow = typeof macros.$inferSelect;

function toDTO(row: MacroRow, principal: Principal): MacroDTO {
  const shared = row.ownerId === null;
  return {
    id: row.id,
    name: row.name,
    body: row.body,
    internal: row.internal,
    actions: MacroActionsSchema.catch({}).parse(row.actions),
    shared,
    editable: shared ? hasRole(principal, "admin") : row.ownerId === principal.userId,
    usageCount: row.usageCount,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Macros the principal can use: shared ones and their own. */
function visibleTo(principal: Principal) {
  return principal.userId ? or(isNull(macros.ownerId), eq(macros.ownerId, principal.userId)) : isNull(macros.ownerId);
}

/**
 * The macros an agent can use (shared and their own), shared first, then by name.
 * @throws ApiError 403 for requesters.
 */
export async function listMacros(db: DbOrTx, principal: Principal): Promise<MacroDTO[]> {
  assertStaff(principal, "use macros");
  const found = await db
    .select()
    .from(macros)
    .where(visibleTo(principal))
    .orderBy(sql`${macros.ownerId} IS NOT NULL`, asc(sql`lower(${macros.name})`));
  return found.map((r) => toDTO(r, principal));
}

/** A macro the principal can see, else 404. */
async function findVisible(db: DbOrTx, principal: Principal, id: string, forUpdate = false): Promise<MacroRow> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new ApiError("not_found", "Macro not found");
  const q = db.select().from(macros).where(and(eq(macros.id, id), visibleTo(principal))).limit(1);
  const [row] = forUpdate ? await q.for("update") : await q;
  if (!row) throw new ApiError("not_found", "Macro not found");
  return row;
}

/** 403 unless the principal may change `row`: admins for shared macros, the owner for personal ones. */
function assertCanEdit(principal: Principal, row: MacroRow): void {
  if (row.ownerId === null && !hasRole(principal, "admin")) throw new ApiError("forbidden", "Only admins can change shared macros");
}

/**
 * Checks a body's placeholders and the actions' references (category, team, assignee).
 * @throws ApiError 422 with `{field, unknown, known}` for unknown placeholders, or `{field}` for a bad reference.
 */
async function assertValid(db: DbOrTx, body: string | undefined, actions: MacroActions | undefined): Promise<void> {
  const unknown = body === undefined ? [] : unknownPlaceholders(body);
  if (unknown.length) {
    throw new ApiError("unprocessable", `Unknown placeholder${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `{{${u}}}`).join(", ")}; use one of ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}`, {
      field: "body",
      unknown,
      known: [...PLACEHOLDERS],
    });
  }
  if (!actions) return;
  if (actions.waitingReason !== undefined && actions.status !== undefined && actions.status !== "waiting") {
    throw new ApiError("unprocessable", "waitingReason goes with status waiting", { field: "actions.waitingReason" });
  }
  assertReferences(await getReferenceData(db), { category: actions.category, team: actions.team });
  if (actions.assignee) {
    const [u] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, actions.assignee), eq(users.active, true), inArray(users.role, ["agent", "admin"])))
      .limit(1);
    if (!u) throw new ApiError("unprocessable", "The assignee must be an active agent", { field: "actions.assignee" });
  }
}

/**
 * Create a macro: shared (`input.shared`, admins only) or the caller's personal one.
 * @throws ApiError 403 requesters, a shared macro by an agent, or a personal macro by an API key
 *   without a user; 409 a macro with the same name (case-insensitive) in the same scope; 422 see {@link assertValid}.
 */
export async function createMacro(db: DbOrTx, principal: Principal, input: CreateMacroInput): Promise<MacroDTO> {
  assertStaff(principal, "create macros");
  if (input.shared && !hasRole(principal, "admin")) throw new ApiError("forbidden", "Only admins can create shared macros");
  if (!input.shared && !principal.userId) throw new ApiError("forbidden", "Personal macros belong to a user; create a shared macro instead");
  await assertValid(db, input.body, input.actions);
  const [row] = await db
    .insert(macros)
    .values({
      name: input.name,
      body: input.body,
      internal: input.internal,
      actions: input.actions,
      ownerId: input.shared ? null : principal.userId,
      createdById: principal.userId,
    })
    .returning();
  return toDTO(row, principal);
}

/**
 * Change a macro's name, body, internal flag or actions.
 * @throws ApiError 404 unknown or another agent's personal macro; 403 a shared macro by a non-admin;
 *   409 name taken; 422 see {@link assertValid}.
 */
export async function updateMacro(db: DbOrTx, principal: Principal, id: string, patch: UpdateMacroInput): Promise<MacroDTO> {
  assertStaff(principal, "change macros");
  return db.transaction(async (tx) => {
    const row = await findVisible(tx, principal, id, true);
    assertCanEdit(principal, row);
    await assertValid(tx, patch.body, patch.actions);
    const [updated] = await tx
      .update(macros)
      .set({ ...patch, updatedAt: sql`now()` as never })
      .where(eq(macros.id, row.id))
      .returning();
    return toDTO(updated, principal);
  });
}

/**
 * Delete a macro.
 * @throws ApiError 404 unknown or another agent's personal macro; 403 a shared macro by a non-admin.
 */
export async function deleteMacro(db: DbOrTx, principal: Principal, id: string): Promise<{ deleted: true }> {
  assertStaff(principal, "delete macros");
  const row = await findVisible(db, principal, id);
  assertCanEdit(principal, row);
  await db.delete(macros).where(eq(macros.id, row.id));
  return { deleted: true };
}

/** The caller's user name (an API key with a user acts as that user), else its audit label. */
async function agentName(db: DbOrTx, principal: Principal): Promise<string> {
  if (!principal.userId) return principal.label;
  const [u] = await db.select({ name: users.name }).from(users).where(eq(users.id, principal.userId)).limit(1);
  return u?.name?.trim() || principal.label;
}

/**
 * Fill a macro for one ticket: `{{requester.name}}` (their user's name, else the address before
 * the `@`), `{{requester.email}}`, `{{ticket.key}}`, `{{ticket.title}}`, `{{ticket.status}}`
 * (its label, e.g. "In progress") and `{{agent.name}}` (the caller's user name). Counts one use
 * (`usage_count`). Nothing on the ticket changes: the composer applies `actions` on Send.
 *
 * @throws ApiError 403 requesters; 404 unknown macro or ticket.
 */
export async function renderMacro(db: DbOrTx, principal: Principal, id: string, ticketKey: string): Promise<RenderedMacro> {
  assertStaff(principal, "use macros");
  const row = await findVisible(db, principal, id);
  const ticket = await findTicketRow(db, ticketKey);
  if (!ticket) throw new ApiError("not_found", `Ticket ${ticketKey} not found`);
  const body = fillPlaceholders(row.body, {
    "requester.name": displayName(await requesterName(db, ticket.requesterEmail), ticket.requesterEmail),
    "requester.email": ticket.requesterEmail,
    "ticket.key": ticket.key,
    "ticket.title": ticket.title,
    "ticket.status": STATUS_LABEL[ticket.status],
    "agent.name": await agentName(db, principal),
  });
  await db.update(macros).set({ usageCount: sql`${macros.usageCount} + 1` }).where(eq(macros.id, row.id));
  return { body, internal: row.internal, actions: MacroActionsSchema.catch({}).parse(row.actions) };
}
