import "server-only";
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, tickets, ticketTags } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { emitEvents } from "@/lib/jobs/events";
import { actorOf, assertStaff } from "./access";
import { findTicketRow } from "./queries";

export { TagsBodySchema, TagsQuerySchema, TAGS_PER_TICKET, type TagsBody, type TagsQuery } from "./tags-schema";

/**
 * Ticket tags: lower-case labels agents put on tickets (the list filters by them). Stored in
 * `ticket_tags`, once per (ticket, tag); the format is checked by lib/tickets/tags-schema.ts and
 * by the table's CHECK.
 */

/** The tags of a ticket (by numeric id), alphabetical. */
export async function listTicketTags(db: DbOrTx, ticketId: number): Promise<string[]> {
  const found = await db.select({ tag: ticketTags.tag }).from(ticketTags).where(eq(ticketTags.ticketId, ticketId)).orderBy(asc(ticketTags.tag));
  return found.map((t) => t.tag);
}

/** Tags of several tickets at once (for lists): ticket id → tags, alphabetical; tickets without tags are absent. */
export async function tagsByTicket(db: DbOrTx, ticketIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (ticketIds.length === 0) return out;
  const found = await db
    .select({ ticketId: ticketTags.ticketId, tag: ticketTags.tag })
    .from(ticketTags)
    .where(inArray(ticketTags.ticketId, [...ticketIds]))
    .orderBy(asc(ticketTags.tag));
  for (const r of found) {
    const id = Number(r.ticketId);
    out.set(id, [...(out.get(id) ?? []), r.tag]);
  }
  return out;
}

/** Tags of a ticket by key, for agents. @throws ApiError 403 non-agents; 404 unknown ticket. */
export async function getTagsByKey(db: DbOrTx, key: string, principal: Principal): Promise<{ tags: string[] }> {
  assertStaff(principal, "see tags");
  const row = await findTicketRow(db, key);
  if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
  return { tags: await listTicketTags(db, row.id) };
}

/**
 * Replace a ticket's tags with `tags` (already normalised by TagsBodySchema: trimmed,
 * lower-cased, unique, ≤ 20), in one transaction with the ticket locked. When the set changes:
 * rows added/removed, `tickets.updated_at` bumped, one `ticket.tags_changed` audit row
 * (before/after: sorted tag lists) and one `ticket.updated` domain event
 * `{key, changes: {tags: {from, to}}}`.
 *
 * @returns the tags afterwards (alphabetical) and whether anything changed.
 * @throws ApiError 403 non-agents; 404 unknown ticket.
 */
export async function setTicketTags(db: DbOrTx, key: string, tags: readonly string[], principal: Principal): Promise<{ tags: string[]; changed: boolean }> {
  assertStaff(principal, "change tags");
  return db.transaction(async (tx) => {
    const row = await findTicketRow(tx, key, { forUpdate: true });
    if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
    const before = await listTicketTags(tx, row.id);
    const wanted = new Set(tags);
    const removed = before.filter((t) => !wanted.has(t));
    const added = [...wanted].filter((t) => !before.includes(t));
    if (removed.length === 0 && added.length === 0) return { tags: before, changed: false };

    if (removed.length) await tx.delete(ticketTags).where(and(eq(ticketTags.ticketId, row.id), inArray(ticketTags.tag, removed)));
    if (added.length) await tx.insert(ticketTags).values(added.map((tag) => ({ ticketId: row.id, tag })));
    await tx.update(tickets).set({ updatedAt: sql`now()` as never }).where(eq(tickets.id, row.id));
    const after = [...wanted].sort();
    const actor = actorOf(principal);
    await tx.insert(auditEvents).values({ ticketId: row.id, entityType: "ticket", entityId: row.key, ...actor, action: "ticket.tags_changed", before: { tags: before }, after: { tags: after } });
    await emitEvents(tx, [
      {
        type: "ticket.updated",
        ticketId: row.id,
        actor: { type: actor.actorType, id: actor.actorId, label: actor.actorLabel },
        payload: { key: row.key, changes: { tags: { from: before, to: after } } },
      },
    ]);
    return { tags: after, changed: true };
  });
}

/**
 * Tag autocomplete for agents: tags in use that start with `prefix` (all when empty), most
 * used first, then alphabetical.
 * @returns up to `limit` `{tag, count}` (count = tickets carrying it).
 * @throws ApiError 403 non-agents.
 */
export async function suggestTags(db: DbOrTx, prefix: string, limit: number, principal: Principal): Promise<{ tags: { tag: string; count: number }[] }> {
  assertStaff(principal, "see tags");
  const n = count();
  const found = await db
    .select({ tag: ticketTags.tag, count: n })
    .from(ticketTags)
    .where(prefix ? sql`starts_with(${ticketTags.tag}, ${prefix})` : undefined)
    .groupBy(ticketTags.tag)
    .orderBy(desc(n), asc(ticketTags.tag))
    .limit(limit);
  return { tags: found.map((t) => ({ tag: t.tag, count: Number(t.count) })) };
}
