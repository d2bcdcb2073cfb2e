import "server-only";
import { and, asc, eq, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, ticketLinks, tickets, type Status } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { emitEvents } from "@/lib/jobs/events";
import { actorOf, assertStaff } from "./access";
import { findTicketRow } from "./queries";

export { LinkBodySchema, type LinkBody } from "./links-schema";

/**
 * "Related" links between tickets (agents): stored once per pair in `ticket_links` with the
 * smaller ticket id first, listed from both sides.
 */

/** A related ticket as the ticket page lists it. */
export interface RelatedTicketDTO {
  key: string;
  title: string;
  status: Status;
}

/** Tickets related to a ticket (by numeric id), in either direction, oldest ticket first. */
export async function listRelated(db: DbOrTx, ticketId: number): Promise<RelatedTicketDTO[]> {
  const otherId = sql`CASE WHEN ${ticketLinks.ticketId} = ${ticketId} THEN ${ticketLinks.relatedId} ELSE ${ticketLinks.ticketId} END`;
  const found = await db
    .select({ key: tickets.key, title: tickets.title, status: tickets.status })
    .from(ticketLinks)
    .innerJoin(tickets, eq(tickets.id, otherId))
    .where(or(eq(ticketLinks.ticketId, ticketId), eq(ticketLinks.relatedId, ticketId)))
    .orderBy(asc(tickets.id));
  return found;
}

/** Related tickets by key, for agents. @throws ApiError 403 non-agents; 404 unknown ticket. */
export async function listRelatedByKey(db: DbOrTx, key: string, principal: Principal): Promise<{ links: RelatedTicketDTO[] }> {
  assertStaff(principal, "see related tickets");
  const row = await findTicketRow(db, key);
  if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
  return { links: await listRelated(db, row.id) };
}

/** Both tickets of a pair, or a 404/422. */
async function loadPair(tx: DbOrTx, key: string, otherKey: string) {
  const row = await findTicketRow(tx, key);
  if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
  const other = await findTicketRow(tx, otherKey);
  if (!other) throw new ApiError("not_found", `Ticket ${otherKey} not found`, { field: "key" });
  if (row.id === other.id) throw new ApiError("unprocessable", "A ticket cannot be related to itself", { field: "key" });
  return { row, other, pair: row.id < other.id ? { ticketId: row.id, relatedId: other.id } : { ticketId: other.id, relatedId: row.id } };
}

/** Audit rows on both tickets and a `ticket.updated` event `{key, changes: {related: {from, to}}}` on the one acted on. */
async function recordLinkChange(tx: DbOrTx, row: { id: number; key: string }, other: { id: number; key: string }, added: boolean, principal: Principal) {
  const actor = actorOf(principal);
  const action = added ? "ticket.link_added" : "ticket.link_removed";
  await tx.insert(auditEvents).values([
    { ticketId: row.id, entityType: "ticket", entityId: row.key, ...actor, action, before: added ? null : { related: other.key }, after: added ? { related: other.key } : null },
    { ticketId: other.id, entityType: "ticket", entityId: other.key, ...actor, action, before: added ? null : { related: row.key }, after: added ? { related: row.key } : null },
  ]);
  await emitEvents(tx, [
    {
      type: "ticket.updated",
      ticketId: row.id,
      actor: { type: actor.actorType, id: actor.actorId, label: actor.actorLabel },
      payload: { key: row.key, changes: { related: added ? { from: null, to: other.key } : { from: other.key, to: null } } },
    },
  ]);
}

/**
 * Relate two tickets (audit `ticket.link_added` on both, in one transaction).
 * @returns whether the link is new, and the ticket's related tickets afterwards.
 * @throws ApiError 403 non-agents; 404 unknown ticket (either); 422 linking a ticket to itself.
 */
export async function addLink(db: DbOrTx, key: string, otherKey: string, principal: Principal): Promise<{ added: boolean; links: RelatedTicketDTO[] }> {
  assertStaff(principal, "link tickets");
  return db.transaction(async (tx) => {
    const { row, other, pair } = await loadPair(tx, key, otherKey);
    const inserted = await tx.insert(ticketLinks).values({ ...pair, createdById: principal.userId }).onConflictDoNothing().returning({ ticketId: ticketLinks.ticketId });
    if (inserted.length > 0) await recordLinkChange(tx, row, other, true, principal);
    return { added: inserted.length > 0, links: await listRelated(tx, row.id) };
  });
}

/**
 * Remove the link between two tickets (audit `ticket.link_removed` on both).
 * @returns the ticket's related tickets afterwards.
 * @throws ApiError 403 non-agents; 404 unknown ticket or tickets that are not linked; 422 same ticket.
 */
export async function removeLink(db: DbOrTx, key: string, otherKey: string, principal: Principal): Promise<{ links: RelatedTicketDTO[] }> {
  assertStaff(principal, "unlink tickets");
  return db.transaction(async (tx) => {
    const { row, other, pair } = await loadPair(tx, key, otherKey);
    const removed = await tx
      .delete(ticketLinks)
      .where(and(eq(ticketLinks.ticketId, pair.ticketId), eq(ticketLinks.relatedId, pair.relatedId)))
      .returning({ ticketId: ticketLinks.ticketId });
    if (removed.length === 0) throw new ApiError("not_found", `${row.key} and ${other.key} are not linked`, { field: "key" });
    await recordLinkChange(tx, row, other, false, principal);
    return { links: await listRelated(tx, row.id) };
  });
}
