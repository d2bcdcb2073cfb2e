import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { findCorrections } from "./corrections";
import { correctableWords } from "./query-words";
import { requesterCondition } from "./requesters";

/** How a `q` search runs: what a ticket must match, and the tsquery its highlights mark. */
export interface TicketSearchPlan {
  /** The text query: `websearch_to_tsquery('english', q)` with corrected words ORed in. */
  tsquery: SQL;
  /** Condition over `tickets`: the text query matches the stored tsvector, OR the requester is named by `q`. */
  match: SQL;
  /** Query word → the vocabulary words it was widened with (empty when `q` had no typos). */
  corrections: Record<string, string[]>;
}

/**
 * Plan a typo-tolerant ticket search for `q` (web-search syntax: words ANDed, "quoted
 * phrases", -exclusions, `or`).
 *
 * The text query is `websearch_to_tsquery('english', q)` — exactly today's query when no word
 * needs correcting. Each plain word that is unknown or rare in the search vocabulary
 * (findCorrections) is replaced, with `ts_rewrite`, by "the word OR its corrections", so
 * "pritner jammed" searches `(pritner | printer) & jam`. Phrases and exclusions stay exact.
 *
 * Requesters: a `q` that looks like (part of) an e-mail address or is close to a user's name
 * also matches those requesters' tickets (requesterCondition). The two are ORed: a ticket
 * matches when its text does or its requester does; results stay newest first.
 */
export async function planTicketSearch(db: DbOrTx, q: string): Promise<TicketSearchPlan> {
  const [corrections, requesters] = await Promise.all([findCorrections(db, correctableWords(q)), requesterCondition(db, q)]);
  let tsquery: SQL = sql`websearch_to_tsquery('english', ${q})`;
  for (const [word, alternatives] of corrections) {
    const target = sql`plainto_tsquery('english', ${word})`;
    const widened = sql.join([target, ...alternatives.map((a) => sql`plainto_tsquery('english', ${a})`)], sql` || `);
    tsquery = sql`ts_rewrite(${tsquery}, ${target}, ${widened})`;
  }
  const text = sql`search @@ ${tsquery}`;
  return {
    tsquery,
    match: requesters ? sql`(${text} OR ${requesters})` : text,
    corrections: Object.fromEntries(corrections),
  };
}
