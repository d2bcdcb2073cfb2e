import "server-only";
import crypto from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { auditEvents, ticketConfirmations, tickets } from "@/db/schema";
import { emitEvents } from "@/lib/jobs/events";
import { ApiError } from "@/lib/http/errors";

/*
 * Confirming the requester of a ticket filed by a signed-out visitor. Anyone can type
 * bob@example.com on /submit; such a ticket is stored with `requester_verified = false` and
 * stays out of Bob's /requests (and requester API reads) until someone holding Bob's mailbox
 * opens the link e-mailed to him. Only the SHA-256 of the link's token is stored.
 */

/** How long a confirmation link works: 7 days. */
export const CONFIRMATION_TTL_DAYS = 7;
const TOKEN_BYTES = 32;
/** base64url of 32 bytes: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => crypto.createHash("sha256").update(token, "utf8").digest("hex");

/** App-relative path of the confirmation page for a token (prefix the public base URL in mails). */
export function confirmationPath(token: string): string {
  return `/confirm/${token}`;
}

/**
 * Create a confirmation link for a ticket's claimed requester, in the caller's transaction
 * (the mail job writes the link into mail_outbox in the same transaction).
 * @param tx database or transaction.
 * @param input.ticketId the ticket's numeric id; input.email the claimed requester address.
 * @returns `{token}`: 32 random bytes, base64url (43 chars); only its SHA-256 hex is stored,
 *   with `expires_at = now() + 7 days` (database clock).
 */
export async function issueConfirmation(tx: DbOrTx, input: { ticketId: number; email: string }): Promise<{ token: string }> {
  const token = crypto.randomBytes(TOKEN_BYTES).toString("base64url");
  await tx.insert(ticketConfirmations).values({
    ticketId: input.ticketId,
    email: input.email,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(days => ${CONFIRMATION_TTL_DAYS})`,
  });
  return { token };
}

/** What a confirmation link currently does, without using it. */
export type ConfirmationState =
  | { state: "pending"; ticketKey: string; email: string; expiresAt: string }
  | { state: "confirmed"; ticketKey: string; email: string }
  | { state: "expired"; ticketKey: string; email: string }
  | { state: "unknown" };

/**
 * Look a token up without consuming it (the confirmation page shows this and asks for a click,
 * so mail scanners that prefetch links do not confirm on the requester's behalf).
 */
export async function inspectConfirmation(db: DbOrTx, token: string): Promise<ConfirmationState> {
  if (!TOKEN_SHAPE.test(token)) return { state: "unknown" };
  const [row] = await db
    .select({
      ticketKey: tickets.key,
      email: ticketConfirmations.email,
      expiresAt: ticketConfirmations.expiresAt,
      confirmedAt: ticketConfirmations.confirmedAt,
      expired: sql<boolean>`${ticketConfirmations.expiresAt} <= now()`,
    })
    .from(ticketConfirmations)
    .innerJoin(tickets, eq(tickets.id, ticketConfirmations.ticketId))
    .where(eq(ticketConfirmations.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) return { state: "unknown" };
  if (row.confirmedAt) return { state: "confirmed", ticketKey: row.ticketKey, email: row.email };
  if (row.expired) return { state: "expired", ticketKey: row.ticketKey, email: row.email };
  return { state: "pending", ticketKey: row.ticketKey, email: row.email, expiresAt: new Date(row.expiresAt).toISOString() };
}

/**
 * Use a confirmation link, in one transaction: mark it confirmed, set the ticket's
 * `requester_verified = true`, and record `ticket.requester_confirmed` in the audit trail and
 * a `ticket.updated` domain event. Each link works once.
 * @returns `{ticketKey, email}` of the confirmed ticket.
 * @throws ApiError 404 not_found for an unknown or malformed token; 410 gone when it was
 *   already used or has expired.
 */
export async function confirmRequester(db: Db, token: string): Promise<{ ticketKey: string; email: string }> {
  if (!TOKEN_SHAPE.test(token)) throw new ApiError("not_found", "This confirmation link is not valid");
  return db.transaction(async (tx) => {
    const [c] = await tx
      .select({
        id: ticketConfirmations.id,
        ticketId: ticketConfirmations.ticketId,
        email: ticketConfirmations.email,
        confirmedAt: ticketConfirmations.confirmedAt,
        expired: sql<boolean>`${ticketConfirmations.expiresAt} <= now()`,
      })
      .from(ticketConfirmations)
      .where(eq(ticketConfirmations.tokenHash, hashToken(token)))
      .for("update")
      .limit(1);
    if (!c) throw new ApiError("not_found", "This confirmation link is not valid");
    if (c.confirmedAt) throw new ApiError("gone", "This confirmation link was already used", { reason: "used" });
    if (c.expired) throw new ApiError("gone", "This confirmation link has expired", { reason: "expired" });

    // Only the first use wins, even against a concurrent click (the row is locked, and re-checked here).
    const used = await tx
      .update(ticketConfirmations)
      .set({ confirmedAt: sql`now()` })
      .where(and(eq(ticketConfirmations.id, c.id), isNull(ticketConfirmations.confirmedAt)))
      .returning({ id: ticketConfirmations.id });
    if (used.length === 0) throw new ApiError("gone", "This confirmation link was already used", { reason: "used" });

    const [before] = await tx
      .select({ key: tickets.key, verified: tickets.requesterVerified })
      .from(tickets)
      .where(eq(tickets.id, c.ticketId))
      .for("update")
      .limit(1);
    if (!before) throw new ApiError("not_found", "The ticket of this confirmation link no longer exists");
    if (!before.verified) {
      await tx.update(tickets).set({ requesterVerified: true, updatedAt: sql`now()` }).where(eq(tickets.id, c.ticketId));
      const actor = { actorType: "user" as const, actorId: null, actorLabel: `${c.email} (confirmed by e-mail link)` };
      await tx.insert(auditEvents).values({
        ticketId: c.ticketId,
        entityType: "ticket",
        entityId: before.key,
        ...actor,
        action: "ticket.requester_confirmed",
        before: { requesterVerified: false },
        after: { requesterVerified: true, email: c.email },
      });
      await emitEvents(tx, [
        {
          type: "ticket.updated",
          ticketId: c.ticketId,
          actor: { type: actor.actorType, id: null, label: actor.actorLabel },
          payload: { key: before.key, changes: { requesterVerified: { from: false, to: true } } },
        },
      ]);
    }
    return { ticketKey: before.key, email: c.email };
  });
}
