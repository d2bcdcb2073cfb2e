import "server-only";
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { isStaff, type Principal } from "@/lib/auth/principal";

/** Who sent an inbound message, as the ticket services need it. */
export interface InboundSender {
  email: string;
  /** The users row with that address (active or not), or null for a requester without an account. */
  user: { id: string; name: string; role: "requester" | "agent" | "admin"; active: boolean } | null;
  /** The principal the ticket services act for (see {@link resolveSender}). */
  principal: Principal;
  /** An active agent or admin: a reply is an agent's public reply. */
  staff: boolean;
}

/** audit_events.actor_id holds 80 characters: a longer address is recorded by its hash. */
function mailActorId(email: string): string {
  const id = `mail:${email}`;
  return id.length <= 80 ? id : `mail:sha256:${crypto.createHash("sha256").update(email).digest("hex").slice(0, 40)}`;
}

/**
 * The principal for an inbound mail's From address:
 * - an active users row → that user, with the row's role (an agent's mail is an agent reply);
 * - an inactive users row → a requester principal for the address (a deactivated agent keeps no
 *   agent powers by mail);
 * - no users row → a requester principal with `email` = the address, no user id, labelled with
 *   the address (audit actor id `mail:<address>`).
 * The From header is not authenticated (no DKIM/SPF check here): the principal only ever gets
 * requester powers unless the address belongs to an active staff account.
 */
export async function resolveSender(db: DbOrTx, email: string): Promise<InboundSender> {
  const [u] = await db
    .select({ id: users.id, name: users.name, role: users.role, active: users.active })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (u && u.active) {
    const principal: Principal = { kind: "user", id: u.id, role: u.role, userId: u.id, email, label: u.name || email };
    return { email, user: u, principal, staff: isStaff(principal) };
  }
  const principal: Principal = { kind: "user", id: mailActorId(email), role: "requester", userId: u?.id ?? null, email, label: email };
  return { email, user: u ?? null, principal, staff: false };
}
