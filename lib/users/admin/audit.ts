import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { actorOf, type AuditActor } from "@/lib/tickets/access";

/** Audit actions of the people admin and the password flows (entity type `user`, entity id the user's id). */
export type UserAuditAction =
  | "user.invited"
  | "user.updated"
  | "user.password_reset_sent"
  | "user.password_reset_requested"
  | "user.invite_accepted"
  | "user.password_reset"
  | "user.password_changed";

/**
 * Write one audit event about a user in the caller's transaction. `actor`: the principal who
 * acted, or `{self}` for a signed-out person acting on their own account through a mailed link
 * (recorded as that user, labelled with their e-mail). Never pass passwords or tokens in
 * `before`/`after`.
 */
export async function auditUser(
  db: DbOrTx,
  input: {
    userId: string;
    action: UserAuditAction;
    actor: Principal | { self: { id: string; email: string } };
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
  },
): Promise<void> {
  const who: AuditActor = "self" in input.actor ? { actorType: "user", actorId: input.actor.self.id, actorLabel: input.actor.self.email } : actorOf(input.actor);
  await db.insert(auditEvents).values({
    entityType: "user",
    entityId: input.userId,
    ...who,
    action: input.action,
    before: input.before ?? null,
    after: input.after ?? null,
  });
}
