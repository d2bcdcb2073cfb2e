import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import type { Status } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ACTIVE_STATUSES } from "@/lib/tickets/status";

/** The tabs of /requests: open (still being worked on), closed (resolved or closed), all. */
export const REQUEST_FILTERS = ["open", "closed", "all"] as const;
export type RequestFilter = (typeof REQUEST_FILTERS)[number];

/** The statuses each tab lists (null = every status). */
export const REQUEST_FILTER_STATUSES: Record<RequestFilter, readonly Status[] | null> = {
  open: ACTIVE_STATUSES,
  closed: ["resolved", "closed"],
  all: null,
};

/** `?filter=` of /requests → a tab; anything else (or nothing) is `open`, the default. */
export function parseRequestFilter(v: string | string[] | undefined): RequestFilter {
  const s = Array.isArray(v) ? v[0] : v;
  return (REQUEST_FILTERS as readonly string[]).includes(s ?? "") ? (s as RequestFilter) : "open";
}

/**
 * How many of the requester's own confirmed tickets each tab holds (one grouped count over
 * their tickets; requesters have few). A principal without an e-mail has none.
 */
export async function countRequests(db: DbOrTx, principal: Principal): Promise<Record<RequestFilter, number>> {
  const out: Record<RequestFilter, number> = { open: 0, closed: 0, all: 0 };
  if (!principal.email) return out;
  const byStatus = await rows<{ status: Status; n: number }>(
    db,
    sql`SELECT status::text AS status, count(*)::int AS n FROM tickets
        WHERE requester_email = ${principal.email} AND requester_verified GROUP BY status`,
  );
  for (const { status, n } of byStatus) {
    out.all += n;
    if (REQUEST_FILTER_STATUSES.open!.includes(status)) out.open += n;
    if (REQUEST_FILTER_STATUSES.closed!.includes(status)) out.closed += n;
  }
  return out;
}
