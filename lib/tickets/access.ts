import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";

/**
 * Requesters see only tickets filed with their own e-mail; agents and admins see all.
 * A ticket the caller may not see answers 404 (not 403), so keys cannot be probed.
 * @throws ApiError 404 not_found
 */
export function assertCanRead(principal: Principal | null, ticket: { key: string; requesterEmail: string }): void {
  if (isStaff(principal)) return;
  if (principal?.email && principal.email === ticket.requesterEmail) return;
  throw new ApiError("not_found", `Ticket ${ticket.key} not found`);
}

/** @throws ApiError 403 unless the caller is an agent or admin. */
export function assertStaff(principal: Principal | null, action: string): void {
  if (!isStaff(principal)) throw new ApiError("forbidden", `Only agents can ${action}`);
}

/** Audit actor columns for a principal; anonymous web requesters are recorded by e-mail. */
export function actorOf(principal: Principal | null, fallbackLabel = "anonymous") {
  if (!principal) return { actorType: "user" as const, actorId: null, actorLabel: fallbackLabel };
  return {
    actorType: principal.kind === "api_key" ? ("api_key" as const) : ("user" as const),
    actorId: principal.id,
    actorLabel: principal.label,
  };
}
