import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, csatRatings } from "@/db/schema";
import { isStaff, type Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { emitEvents } from "@/lib/jobs/events";
import { actorOf, assertCanRead } from "@/lib/tickets/access";
import { findTicketRow } from "@/lib/tickets/queries";
import type { CsatInput, CsatRatingValue } from "./schemas";

/** A ticket's satisfaction rating as the portal and the API show it. */
export interface CsatRatingDTO {
  rating: CsatRatingValue;
  comment: string | null;
  createdAt: string;
}

/** The ticket statuses in which its requester is asked for a rating. */
export const RATEABLE_STATUSES = ["resolved", "closed"] as const;

/**
 * The rating of a ticket, if any: its requester and agents may read it.
 * @returns `{rating: null}` when not rated yet, with `canRate` (resolved or closed and the
 *   caller is the requester).
 * @throws ApiError 404 unknown ticket or not the caller's.
 */
export async function getCsat(db: DbOrTx, key: string, principal: Principal): Promise<{ rating: CsatRatingDTO | null; canRate: boolean }> {
  const row = await findTicketRow(db, key);
  if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
  assertCanRead(principal, row);
  const rating = await ratingOf(db, row.id);
  const rateable = (RATEABLE_STATUSES as readonly string[]).includes(row.status);
  return { rating, canRate: !rating && rateable && !isStaff(principal) };
}

/** The stored rating of a ticket by id, or null. */
export async function ratingOf(db: DbOrTx, ticketId: number): Promise<CsatRatingDTO | null> {
  const [r] = await db
    .select({ rating: csatRatings.rating, comment: csatRatings.comment, createdAt: csatRatings.createdAt })
    .from(csatRatings)
    .where(eq(csatRatings.ticketId, ticketId))
    .limit(1);
  return r ? { rating: r.rating as CsatRatingValue, comment: r.comment, createdAt: new Date(r.createdAt).toISOString() } : null;
}

/**
 * The requester rates their resolved (or closed) ticket once: a `csat_ratings` row with the
 * ticket's team and assignee at rating time (CSAT % per team on the dashboard), audit
 * `ticket.csat_rated` and the domain event `ticket.csat_rated` `{key, rating}`, in one
 * transaction with the ticket locked (so two ratings cannot race).
 *
 * @throws ApiError 404 unknown ticket, not the caller's, or the caller is an agent (only the
 *   requester rates); 409 conflict when already rated; 409 invalid_transition when the ticket
 *   is not resolved or closed.
 */
export async function rateTicket(db: DbOrTx, key: string, input: CsatInput, principal: Principal): Promise<{ rating: CsatRatingDTO }> {
  const actor = actorOf(principal);
  return db.transaction(async (tx) => {
    const row = await findTicketRow(tx, key, { forUpdate: true });
    // Agents can read every ticket, but only the requester rates: the same 404 as a stranger.
    if (!row || isStaff(principal)) throw new ApiError("not_found", `Ticket ${key} not found`);
    assertCanRead(principal, row);
    if (!(RATEABLE_STATUSES as readonly string[]).includes(row.status)) {
      throw new ApiError("invalid_transition", `${row.key} is ${row.status}; a rating is asked once it is resolved`, { status: row.status });
    }
    if (await ratingOf(tx, row.id)) throw new ApiError("conflict", `${row.key} is already rated`);
    const [r] = await tx
      .insert(csatRatings)
      .values({
        ticketId: row.id,
        rating: input.rating,
        comment: input.comment ?? null,
        requesterEmail: row.requesterEmail,
        teamSlug: row.teamSlug,
        assigneeId: row.assigneeId,
      })
      .returning({ createdAt: csatRatings.createdAt });
    await tx.insert(auditEvents).values({
      ticketId: row.id,
      entityType: "ticket",
      entityId: row.key,
      ...actor,
      action: "ticket.csat_rated",
      before: null,
      after: { rating: input.rating, comment: input.comment !== undefined, team: row.teamSlug, assigneeId: row.assigneeId },
    });
    await emitEvents(tx, [
      {
        type: "ticket.csat_rated",
        ticketId: row.id,
        actor: { type: actor.actorType, id: actor.actorId, label: actor.actorLabel },
        payload: { key: row.key, rating: input.rating },
      },
    ]);
    return { rating: { rating: input.rating, comment: input.comment ?? null, createdAt: new Date(r.createdAt).toISOString() } };
  });
}
