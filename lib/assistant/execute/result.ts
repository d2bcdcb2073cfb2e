import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertCanRead } from "@/lib/tickets/access";
import type { TicketDTO, TicketRow } from "@/lib/tickets/dto";
import { ApiError } from "@/lib/http/errors";
import { findTicketRow, ticketIdFromKey } from "@/lib/tickets/queries";
import type { AssistantOpName } from "../ops";
import type { AssistantData } from "../types";
import { statusWord, waitingWord } from "./words";

/** What running one operation produced; the API adds the conversation id. */
export interface ExecuteResult {
  op: AssistantOpName;
  /** False when nothing ran because the input was ambiguous (`data.kind` "candidates"). */
  ok: boolean;
  data: AssistantData | null;
  /** One or two sentences for people. */
  message: string;
  /** The ticket the operation was about (store it as the conversation's ticket), when there is one. */
  ticketId?: number | null;
}

/** Numeric id of a ticket key (`T-12` → 12). */
export const idOfKey = (key: string): number | null => ticketIdFromKey(key);

/**
 * The ticket as the caller may see it, before a change.
 * @throws ApiError 404 when it does not exist or the caller may not see it (so keys cannot be probed).
 */
export async function visibleTicket(db: DbOrTx, key: string, principal: Principal): Promise<TicketRow> {
  const row = await findTicketRow(db, key);
  if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
  assertCanRead(principal, row);
  return row;
}


/** What differs between a ticket before and after a change, as short phrases ("status open → resolved"). */
export function ticketChanges(before: TicketDTO, after: TicketDTO): string[] {
  const out: string[] = [];
  const from = (a: string | null, b: string | null, label: string) => {
    if (a !== b) out.push(`${label} ${a ?? "none"} → ${b ?? "none"}`);
  };
  from(statusWord(before.status), statusWord(after.status), "status");
  if (after.status === "waiting" && before.waitingReason !== after.waitingReason) out.push(`waiting on ${waitingWord(after.waitingReason)}`);
  from(before.priority, after.priority, "priority");
  from(before.category, after.category, "category");
  from(before.team, after.team, "team");
  if ((before.assignee?.id ?? null) !== (after.assignee?.id ?? null)) out.push(after.assignee ? `assigned to ${after.assignee.name}` : "unassigned");
  if (before.resolution !== after.resolution && after.resolution) out.push("resolution recorded");
  return out;
}

