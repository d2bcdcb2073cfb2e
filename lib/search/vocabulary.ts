import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";

/** How often each worker process folds pending vocabulary words (ms). */
export const SEARCH_TERMS_FOLD_INTERVAL_MS = 2000;

/**
 * Fold the words waiting in `search_terms_pending` (appended by the tickets trigger for each new
 * ticket and each text edit) into the search vocabulary `search_terms` (sb_fold_search_terms,
 * migrations 0017 and 0018): one statement, counts aggregated per word. One folder at a time
 * across instances (a transaction-level advisory lock). Cheap when nothing is pending (one probe).
 * @param opts.wait false (the periodic fold): a concurrent caller returns 0 at once and the rows
 *   it did not see wait for the next fold. true (a typo lookup): wait for a running fold to
 *   commit, then fold what is left, so every word committed before the call is in the vocabulary
 *   when it returns.
 * @returns the number of pending rows folded by this call.
 * @throws Error when the database cannot be reached.
 */
export async function foldSearchTerms(db: DbOrTx, opts: { wait?: boolean } = {}): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT sb_fold_search_terms(${opts.wait === true})::int AS n`);
  return Number(r?.n ?? 0);
}
