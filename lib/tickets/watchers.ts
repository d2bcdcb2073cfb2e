import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { auditEvents, tickets, ticketWatchers, users } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { actorOf, assertStaff } from "./access";
import { findTicketRow } from "./queries";

export { WatcherBodySchema, type WatcherBody } from "./watcher-schema";

/**
 * Watchers (CC) of a ticket: addresses that get every public message on it (lib/mail/notify.ts,
 * kind `watcher_message`), never internal notes. Agents add and remove them on the ticket page
 * or through `/api/tickets/{key}/watchers`; inbound mail adds the Cc addresses of a message
 * ({@link addWatchers}). Addresses are stored lower-cased, once per ticket.
 */

export interface WatcherDTO {
  email: string;
  /** Name (or e-mail) of the user who added it; null when added by inbound mail or the user is gone. */
  addedBy: string | null;
  /** ISO timestamp. */
  createdAt: string;
}

/** The watchers of a ticket (by numeric id), oldest first. */
export async function listWatchers(db: DbOrTx, ticketId: number): Promise<WatcherDTO[]> {
  const found = await db
    .select({ email: ticketWatchers.email, addedBy: users.name, createdAt: ticketWatchers.createdAt })
    .from(ticketWatchers)
    .leftJoin(users, eq(users.id, ticketWatchers.addedById))
    .where(eq(ticketWatchers.ticketId, ticketId))
    .orderBy(asc(ticketWatchers.createdAt), asc(ticketWatchers.email));
  return found.map((w) => ({ email: w.email, addedBy: w.addedBy, createdAt: new Date(w.createdAt).toISOString() }));
}

/** The watcher addresses of a ticket (for the notifier). */
export async function watcherEmails(db: DbOrTx, ticketId: number): Promise<string[]> {
  const found = await db.select({ email: ticketWatchers.email }).from(ticketWatchers).where(eq(ticketWatchers.ticketId, ticketId));
  return found.map((w) => w.email);
}

const emailShape = z.string().email().max(254);

/**
 * Add addresses as watchers of a ticket in the caller's transaction, e.g. the Cc of an inbound
 * mail. Addresses are trimmed and lower-cased; invalid ones, the ticket's requester (who gets
 * the requester mails anyway) and those already watching are skipped. Each added address
 * writes a `ticket.watcher_added` audit row (actor: the user `addedById`, else system `e-mail`).
 *
 * @returns the addresses added (in input order, without duplicates).
 */
export async function addWatchers(tx: DbOrTx, ticketId: number, emails: readonly string[], addedById: string | null): Promise<string[]> {
  const [t] = await tx.select({ key: tickets.key, requesterEmail: tickets.requesterEmail }).from(tickets).where(eq(tickets.id, ticketId)).limit(1);
  if (!t) return [];
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()))].filter((e) => emailShape.safeParse(e).success && e !== t.requesterEmail.toLowerCase());
  if (wanted.length === 0) return [];
  const added = await tx
    .insert(ticketWatchers)
    .values(wanted.map((email) => ({ ticketId, email, addedById })))
    .onConflictDoNothing()
    .returning({ email: ticketWatchers.email });
  if (added.length === 0) return [];
  let actor = { actorType: "system" as "user" | "system", actorId: null as string | null, actorLabel: "e-mail" };
  if (addedById) {
    const [u] = await tx.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, addedById)).limit(1);
    actor = { actorType: "user", actorId: addedById, actorLabel: u?.name ?? u?.email ?? addedById };
  }
  const addedSet = new Set(added.map((a) => a.email));
  const order = wanted.filter((e) => addedSet.has(e));
  await tx.insert(auditEvents).values(
    order.map((email) => ({ ticketId, entityType: "ticket", entityId: t.key, ...actor, action: "ticket.watcher_added", before: null, after: { watcher: email } })),
  );
  return order;
}

/**
 * An agent adds one watcher to a ticket (with a `ticket.watcher_added` audit row).
 *
 * @returns the ticket's watchers afterwards and whether the address was new.
 * @throws ApiError 403 for non-agents; 404 unknown ticket; 422 when the address is the requester's.
 */
export async function addWatcher(db: DbOrTx, key: string, email: string, principal: Principal): Promise<{ added: boolean; watchers: WatcherDTO[] }> {
  assertStaff(principal, "add watchers");
  const address = email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const row = await findTicketRow(tx, key);
    if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
    if (address === row.requesterEmail.toLowerCase()) {
      throw new ApiError("unprocessable", "The requester gets the ticket's mail already; add someone else", { field: "email" });
    }
    const actor = actorOf(principal);
    const added = await tx.insert(ticketWatchers).values({ ticketId: row.id, email: address, addedById: principal.userId }).onConflictDoNothing().returning({ email: ticketWatchers.email });
    if (added.length > 0) {
      await tx.insert(auditEvents).values({ ticketId: row.id, entityType: "ticket", entityId: row.key, ...actor, action: "ticket.watcher_added", before: null, after: { watcher: address } });
    }
    return { added: added.length > 0, watchers: await listWatchers(tx, row.id) };
  });
}

/**
 * An agent removes one watcher (with a `ticket.watcher_removed` audit row).
 *
 * @returns the ticket's watchers afterwards.
 * @throws ApiError 403 for non-agents; 404 unknown ticket or an address that does not watch it.
 */
export async function removeWatcher(db: DbOrTx, key: string, email: string, principal: Principal): Promise<{ watchers: WatcherDTO[] }> {
  assertStaff(principal, "remove watchers");
  const address = email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const row = await findTicketRow(tx, key);
    if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
    const removed = await tx
      .delete(ticketWatchers)
      .where(and(eq(ticketWatchers.ticketId, row.id), eq(ticketWatchers.email, address)))
      .returning({ email: ticketWatchers.email });
    if (removed.length === 0) throw new ApiError("not_found", `${address} does not watch ${row.key}`, { field: "email" });
    await tx.insert(auditEvents).values({ ticketId: row.id, entityType: "ticket", entityId: row.key, ...actorOf(principal), action: "ticket.watcher_removed", before: { watcher: address }, after: null });
    return { watchers: await listWatchers(tx, row.id) };
  });
}

/** Watchers of a ticket by key, for agents. @throws ApiError 403 non-agents; 404 unknown ticket. */
export async function listWatchersByKey(db: DbOrTx, key: string, principal: Principal): Promise<{ watchers: WatcherDTO[] }> {
  assertStaff(principal, "see watchers");
  const row = await findTicketRow(db, key);
  if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
  return { watchers: await listWatchers(db, row.id) };
}

/** Used by the notifier: which of `emails` belong to active agents/admins (they get desk links). */
export async function staffEmails(db: DbOrTx, emails: readonly string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const found = await db
    .select({ email: users.email })
    .from(users)
    .where(and(inArray(users.email, [...emails]), eq(users.active, true), inArray(users.role, ["agent", "admin"])));
  return new Set(found.map((u) => u.email.toLowerCase()));
}
