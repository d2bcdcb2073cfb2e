import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";

/** How often each worker process folds pending vocabulary words (ms). */
export const SEARCH_TERMS_FOLD_INTERVAL_MS = 2000;

/**
 * Fold the words waiting in `search_terms_pending` (appended by the tickets trigger for each new
 * ticket and each text edit) into the search vocabulary `search_terms` (sb_fold_search_terms,
 * migrations 0017 and 0018): one statement, counts aggregated per word. One folder at a time
 * across instances (a transaction-level advisory lock): a concurrent call returns 0 at once, and
 * the rows it did not see wait for the next fold. Cheap when nothing is pending (one probe).
 * Typo lookups do not fold: they read the pending words beside the vocabulary
 * (lib/search/corrections.ts), so folding is only the worker's periodic upkeep.
 * @returns the number of pending rows folded by this call.
 * @throws Error when the database cannot be reached.
 */
export async function foldSearchTerms(db: DbOrTx): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT sb_fold_search_terms(false)::int AS n`);
  return Number(r?.n ?? 0);
}
