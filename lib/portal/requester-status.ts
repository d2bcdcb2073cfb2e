import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Status } from "@/db/schema";
import { isStaff, type Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { actorOf, assertCanRead } from "@/lib/tickets/access";
import { transitionTicket } from "@/lib/tickets/lifecycle";
import { findTicketRow } from "@/lib/tickets/queries";
import { writeTicketChanges } from "@/lib/tickets/update-ticket";
import type { RequesterStatusInput } from "./schemas";

/** The resolution recorded when a requester marks their ticket solved without a note. */
export const REQUESTER_SOLVED_RESOLUTION = "Solved by the requester";

/** What the portal may offer a requester on a ticket in this state (pure; `now` for the reopen window). */
export type RequesterMove =
  | { kind: "solve" }
  /** Resolved within the reopen window; `until` = when the window ends (ISO). */
  | { kind: "reopen"; until: string }
  /** Resolved longer ago than the window, or closed: a new request (a reply files a follow-up). */
  | { kind: "new_request"; reason: "window_passed" | "closed" };

/**
 * The requester's status move for a ticket: `solve` while it is being worked on (new, open,
 * in progress, waiting); `reopen` while resolved within REOPEN_WINDOW_DAYS of resolved_at
 * (the same window as a requester's reply, lib/tickets/lifecycle.ts replyEffect); otherwise
 * `new_request`.
 */
export function requesterMove(
  ticket: { status: Status; resolvedAt: Date | string | null },
  now: Date = new Date(),
  reopenWindowDays: number = env().REOPEN_WINDOW_DAYS,
): RequesterMove {
  if (ticket.status === "closed") return { kind: "new_request", reason: "closed" };
  if (ticket.status !== "resolved") return { kind: "solve" };
  const resolvedMs = ticket.resolvedAt ? new Date(ticket.resolvedAt).getTime() : now.getTime();
  const untilMs = resolvedMs + reopenWindowDays * 86_400_000;
  return now.getTime() <= untilMs ? { kind: "reopen", until: new Date(untilMs).toISOString() } : { kind: "new_request", reason: "window_passed" };
}

export interface RequesterStatusResult {
  ticket: { key: string; status: Status; resolution: string | null };
}

/**
 * A requester marks their own ticket solved or reopens it, in one transaction with the row
 * locked, through the lifecycle ({@link transitionTicket}, cause `requester`): audit
 * `ticket.status_changed` and the `ticket.status_changed` event (so the usual mails follow).
 * - `solve` (new/open/in progress/waiting → resolved): also sets the resolution to the
 *   requester's note, or "Solved by the requester" (audit `ticket.resolution_changed`).
 * - `reopen` (resolved within REOPEN_WINDOW_DAYS → open).
 * Agents are refused: they change the status with PATCH /api/tickets/{key}, which records
 * them as the actor with cause `agent`.
 *
 * @throws ApiError 403 for agents/admins; 404 unknown ticket or not the caller's (confirmed)
 *   ticket; 409 invalid_transition when the move is not possible now (already resolved, not
 *   resolved, closed, or past the reopen window; `details.move` says what the portal offers).
 */
export async function setRequesterStatus(db: DbOrTx, key: string, input: RequesterStatusInput, principal: Principal): Promise<RequesterStatusResult> {
  if (isStaff(principal)) throw new ApiError("forbidden", "Agents change the status with PATCH /api/tickets/{key}");
  const actor = actorOf(principal);
  return db.transaction(async (tx) => {
    const row = await findTicketRow(tx, key, { forUpdate: true });
    if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
    assertCanRead(principal, row);
    const move = requesterMove(row);
    if (move.kind !== input.action) {
      throw new ApiError("invalid_transition", refusal(input.action, row.key, move), { status: row.status, move: move.kind });
    }
    if (input.action === "solve") {
      const resolution = input.note ?? REQUESTER_SOLVED_RESOLUTION;
      await transitionTicket(tx, row, { to: "resolved", cause: "requester" }, actor);
      if (resolution !== row.resolution) {
        await writeTicketChanges(tx, row, {
          set: { resolution },
          before: { resolution: row.resolution },
          after: { resolution },
          actor,
          assignment: { assignedById: null, reason: "requester" },
        });
      }
      return { ticket: { key: row.key, status: "resolved", resolution } };
    }
    await transitionTicket(tx, row, { to: "open", cause: "requester" }, actor);
    return { ticket: { key: row.key, status: "open", resolution: row.resolution } };
  });
}

function refusal(action: RequesterStatusInput["action"], key: string, move: RequesterMove): string {
  if (move.kind === "new_request") {
    return move.reason === "closed"
      ? `${key} is closed; submit a new request instead`
      : `${key} was resolved more than ${env().REOPEN_WINDOW_DAYS} days ago; submit a new request instead`;
  }
  return action === "solve" ? `${key} is already resolved` : `${key} is not resolved, so there is nothing to reopen`;
}
