import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";

/**
 * Requesters see only tickets filed with their own e-mail AND confirmed as theirs
 * (`requester_verified`: a ticket a signed-out visitor filed under their address stays hidden
 * from them until they confirm it by the e-mailed link); agents and admins see all.
 * A ticket the caller may not see answers 404 (not 403), so keys cannot be probed.
 * @throws ApiError 404 not_found
 */
export function assertCanRead(
  principal: Principal | null,
  ticket: { key: string; requesterEmail: string; requesterVerified: boolean },
): void {
  if (isStaff(principal)) return;
  if (principal?.email && principal.email === ticket.requesterEmail && ticket.requesterVerified) return;
  throw new ApiError("not_found", `Ticket ${ticket.key} not found`);
}

/** @throws ApiError 403 unless the caller is an agent or admin. */
export function assertStaff(principal: Principal | null, action: string): void {
  if (!isStaff(principal)) throw new ApiError("forbidden", `Only agents can ${action}`);
}

/** Audit label of a signed-out visitor who typed `email` as theirs (unproven until confirmed). */
export function anonymousLabel(claimedEmail?: string | null): string {
  return claimedEmail ? `anonymous (claimed ${claimedEmail})` : "anonymous";
}

/** Audit actor columns: who did something, as stored in audit_events and event actors. */
export interface AuditActor {
  actorType: "user" | "api_key";
  /** User id (sessions) or key id (API keys); null for signed-out visitors. */
  actorId: string | null;
  actorLabel: string;
}

/**
 * Audit actor columns for a principal. A signed-out visitor (null principal) is never
 * recorded as the person whose e-mail they typed: the label is `anonymous (claimed <email>)`
 * with a null actor id (actor type `user`, as in the actor_type enum).
 */
export function actorOf(principal: Principal | null, claimedEmail?: string | null): AuditActor {
  if (!principal) return { actorType: "user", actorId: null, actorLabel: anonymousLabel(claimedEmail) };
  return {
    actorType: principal.kind === "api_key" ? "api_key" : "user",
    actorId: principal.id,
    actorLabel: principal.label,
  };
}
