import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ticketReads } from "@/db/schema";
import { isStaff, type Principal } from "@/lib/auth/principal";

/**
 * Remember that a staff member opened a ticket now (upsert of `ticket_reads`), which clears
 * the list's unread marker until the requester writes again. Does nothing for requesters and
 * for API keys without a user.
 */
export async function markTicketRead(db: DbOrTx, principal: Principal, ticketId: number): Promise<void> {
  if (!isStaff(principal) || !principal.userId) return;
  await db
    .insert(ticketReads)
    .values({ userId: principal.userId, ticketId, readAt: sql`now()` })
    .onConflictDoUpdate({ target: [ticketReads.userId, ticketReads.ticketId], set: { readAt: sql`now()` } });
}
