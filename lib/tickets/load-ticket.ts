import "server-only";
import { notFound } from "next/navigation";
import type { DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { getTicketDetail, type TicketDetail } from "@/lib/tickets/get-ticket";

/** `t-12` in a URL → `T-12`; anything else unchanged (and then simply not found). */
export function normalizeTicketKey(raw: string): string {
  const k = decodeURIComponent(raw);
  return /^t-\d+$/i.test(k) ? k.toUpperCase() : k;
}

/**
 * A ticket page's data as the principal may see it (requesters: their own, public replies only);
 * renders the 404 page for unknown tickets and tickets the principal may not see.
 */
export async function loadTicketOr404(db: DbOrTx, key: string, principal: Principal): Promise<TicketDetail> {
  try {
    return await getTicketDetail(db, key, principal);
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  }
}
