import "server-only";
import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { actorOf } from "@/lib/tickets/access";
import { isUuid } from "@/lib/ids";

/** What the SLA admin services share: the admin check, id check, audit rows, transaction type. */

export type Tx = Parameters<Parameters<DbOrTx["transaction"]>[0]>[0];

/** @throws ApiError 403 unless the principal is an admin. */
export function assertAdmin(p: Principal, what: string): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", `Only admins can manage ${what}`);
}

/** @throws ApiError 404 (`what` not found) when `id` is not a UUID (so the database never sees it). */
export function assertUuid(id: string, what: string): void {
  if (!isUuid(id)) throw new ApiError("not_found", `${what} not found`);
}

/** One audit_events row (entity `sla_policy` or `business_calendar`) in the caller's transaction. */
export async function audit(
  tx: DbOrTx,
  actor: Principal,
  entityType: "sla_policy" | "business_calendar",
  entityId: string,
  action: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<void> {
  await tx.insert(auditEvents).values({ entityType, entityId, ...actorOf(actor), action, before, after });
}

/** A 409 whose `details.reason` names the conflict (`duplicate_name`, `duplicate_scope`, `calendar_in_use`). */
export function conflict(reason: string, message: string, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError("conflict", message, { reason, ...extra });
}
