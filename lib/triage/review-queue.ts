import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";

/**
 * Size of the review queue: tickets whose triage still waits for an agent (needs_review) and
 * that are not resolved or closed — the same count as `reviewQueue` in GET /api/triage/stats.
 * Cheap (the partial index tickets_review_created_idx covers it); the header shows it to agents.
 */
export async function countReviewQueue(db: DbOrTx): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM tickets WHERE needs_review AND status NOT IN ('resolved', 'closed')`);
  return Number(r?.n ?? 0);
}
