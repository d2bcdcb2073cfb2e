import "server-only";
import { and, asc, eq, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { tickets, type Status } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";

/** A follow-up ticket as the ticket pages link it. `createdAt` is ISO-8601 (UTC). */
export interface FollowUpRef {
  key: string;
  title: string;
  status: Status;
  createdAt: string;
}

/** At most this many follow-ups are listed on one ticket. */
export const FOLLOW_UPS_MAX = 50;

/**
 * The tickets filed as follow-ups of ticket `ticketId` (`tickets.follow_up_of_id = ticketId`),
 * oldest first, at most FOLLOW_UPS_MAX, as `principal` may see them: agents and admins see
 * all; requesters only their own confirmed tickets (e-mail match and `requester_verified`, the
 * rule of assertCanRead and listTickets); a principal without an e-mail that is not staff sees
 * none. It does not check that the caller may read ticket `ticketId` itself: load that first.
 * Uses the partial index tickets_follow_up_of_idx.
 */
export async function listFollowUps(db: DbOrTx, ticketId: number, principal: Principal): Promise<FollowUpRef[]> {
  const where: SQL[] = [eq(tickets.followUpOfId, ticketId)];
  if (!isStaff(principal)) {
    if (!principal.email) return [];
    where.push(eq(tickets.requesterEmail, principal.email), eq(tickets.requesterVerified, true));
  }
  const found = await db
    .select({ key: tickets.key, title: tickets.title, status: tickets.status, createdAt: tickets.createdAt })
    .from(tickets)
    .where(and(...where))
    .orderBy(asc(tickets.id))
    .limit(FOLLOW_UPS_MAX);
  return found.map((r) => ({
    key: r.key,
    title: r.title,
    status: r.status,
    createdAt: (r.createdAt instanceof Date ? r.createdAt : new Date(r.createdAt)).toISOString(),
  }));
}
