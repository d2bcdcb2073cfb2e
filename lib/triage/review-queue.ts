import "server-only";
import { sql } from "drizzle-orm";
import { unstable_rethrow } from "next/navigation";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { logger } from "@/lib/observability/logger";

/**
 * Size of the review queue: tickets whose triage still waits for an agent (needs_review) and
 * that are not resolved or closed — the same count as `reviewQueue` in GET /api/triage/stats.
 * Cheap (the partial index tickets_review_created_idx covers it); the header shows it to agents.
 */
export async function countReviewQueue(db: DbOrTx): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM tickets WHERE needs_review AND status NOT IN ('resolved', 'closed')`);
  return Number(r?.n ?? 0);
}

/**
 * The review queue's size for the header badge, or undefined when it cannot be counted (the
 * header stays up without it; the failure is logged). Next's own control flow passes through.
 */
export async function reviewQueueBadgeCount(): Promise<number | undefined> {
  try {
    return await countReviewQueue(await getDb());
  } catch (err) {
    unstable_rethrow(err);
    logger.warn({ err }, "could not count the review queue for the header");
    return undefined;
  }
}
