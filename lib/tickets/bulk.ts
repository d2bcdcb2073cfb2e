import "server-only";
import type { Db } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { ApiError, fromDatabaseError } from "@/lib/http/errors";
import { logger } from "@/lib/observability/logger";
import { getReferenceData } from "@/lib/reference/cache";
import { assertStaff } from "./access";
import { addComment } from "./add-comment";
import { assertReferences } from "./create-ticket";
import { mergeTicket } from "./merge";
import { findTicketRow } from "./queries";
import type { UpdateTicketInput } from "./schemas";
import { updateTicket } from "./update-ticket";
import type { BulkAction, BulkBody, BulkItemResult, BulkResult } from "./bulk-schema";

export { BulkBodySchema, BULK_MAX_TICKETS, type BulkAction, type BulkBody, type BulkItemResult, type BulkResult } from "./bulk-schema";

/**
 * Apply one action to many tickets (agents): each ticket in its OWN transaction, through the
 * same services and rules as the single-ticket endpoints, so one refused ticket never undoes
 * the others:
 * - `assign`, `team`, `status`, `priority`, `category` → {@link updateTicket} (PATCH /api/tickets/{key});
 * - `merge` → {@link mergeTicket} of every selected ticket into `into` (the target itself, if
 *   selected, is left out of the results);
 * - `close` → the note (an internal note by default, a public reply to the requester with
 *   `public: true`, via addComment) and the close (updateTicket → lifecycle) in one transaction.
 * Tickets are processed one after another in request order.
 *
 * @returns per-ticket results `{key, ok, error?: {code, message}}` (code as the single-ticket
 *   endpoint's error: not_found, invalid_transition, conflict, unprocessable, …) and the counts.
 * @throws ApiError 403 non-agents; 422 an unknown category or team, or a merge target that does
 *   not exist (checked once, before any ticket changes).
 */
export async function bulkUpdate(db: Db, body: BulkBody, principal: Principal): Promise<BulkResult> {
  assertStaff(principal, "change tickets");
  const { action } = body;
  await assertActionValid(db, action);
  const keys = action.type === "merge" ? body.keys.filter((k) => k !== action.into) : body.keys;

  const results: BulkItemResult[] = [];
  for (const key of keys) {
    try {
      await applyOne(db, key, action, principal);
      results.push({ key, ok: true });
    } catch (err) {
      results.push({ key, ok: false, error: rowError(err, key) });
    }
  }
  const ok = results.filter((r) => r.ok).length;
  return { results, summary: { ok, failed: results.length - ok } };
}

/** Checks that would fail every ticket alike: answered once, as a 422, before any change. */
async function assertActionValid(db: Db, action: BulkAction): Promise<void> {
  if (action.type === "category" || action.type === "team") {
    try {
      assertReferences(await getReferenceData(db), action.type === "category" ? { category: action.category } : { team: action.team });
    } catch (err) {
      if (err instanceof ApiError) throw new ApiError(err.code, err.message, { ...(err.details as object), field: `action.${action.type}` });
      throw err;
    }
  }
  if (action.type === "merge" && !(await findTicketRow(db, action.into))) {
    throw new ApiError("unprocessable", `Ticket ${action.into} not found`, { field: "action.into" });
  }
}

/** The PATCH fields of a field action. */
function patchOf(action: Exclude<BulkAction, { type: "merge" | "close" }>): UpdateTicketInput {
  switch (action.type) {
    case "assign":
      return { assignee: action.assignee };
    case "team":
      return { team: action.team };
    case "status":
      return { status: action.status, ...(action.waitingReason ? { waitingReason: action.waitingReason } : {}) };
    case "priority":
      return { priority: action.priority };
    case "category":
      return { category: action.category };
  }
}

async function applyOne(db: Db, key: string, action: BulkAction, principal: Principal): Promise<void> {
  switch (action.type) {
    case "merge":
      await mergeTicket(db, key, action.into, principal);
      return;
    case "close":
      await db.transaction(async (tx) => {
        await addComment(tx, key, { body: action.note, internal: !action.public }, principal);
        await updateTicket(tx, key, { status: "closed" }, principal);
      });
      return;
    default:
      await updateTicket(db, key, patchOf(action), principal);
  }
}

/** A failed ticket's error as the response shows it; unexpected errors are logged, never detailed. */
function rowError(err: unknown, key: string): { code: string; message: string } {
  const api = err instanceof ApiError ? err : fromDatabaseError(err);
  if (api) return { code: api.code, message: api.message };
  logger.error({ err, key }, "bulk action failed on a ticket");
  return { code: "internal_error", message: `Unexpected error; ${key} was not changed` };
}
