import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rowsPrepared, type DbOrTx } from "@/db/client";

/** Newest rows (after the other filters) the probe reads before deciding how to search. */
const PROBE_ROWS = 4000;
/** The window aims at this many times the matches a page needs. */
const WINDOW_SAFETY = 3;

export interface SearchHit {
  id: number;
  /** created_at as PostgreSQL text (cursor precision). */
  t: string;
}

const ORDER = sql`created_at DESC NULLS LAST, id DESC NULLS LAST`;

/**
 * Newest-first search over tickets that stays fast on a million rows, whatever the
 * terms' frequency. The GIN index finds matches, but ordering them by date means fetching every
 * match from the heap, and PostgreSQL's row estimates for two common words (which co-occur) are
 * far too low, so it happily does that for 20,000 rows. Instead:
 *
 * 1. Probe: read the newest 4,000 rows that pass the other filters (index order) and test them.
 *    Frequent terms fill a page here (~1.5 ms).
 * 2. Otherwise the probe's hit density estimates how far back a page of matches reaches: search
 *    a time window sized for 3× that many rows (GIN AND created_at range, few heap fetches).
 * 3. If that is still short, or the probe found nothing (rare terms: small GIN result), search
 *    without a window.
 *
 * Results are exact: the same rows, in the same order, as the plain query.
 * @param where SQL condition over `tickets` (scope, filters, cursor); @param match the search
 *   condition over `tickets` (`search @@ tsquery`, possibly ORed with a requester condition:
 *   lib/search/plan.ts).
 * @returns up to `limit` hits, newest first.
 */
export async function searchTicketIds(db: DbOrTx, where: SQL, match: SQL, limit: number): Promise<SearchHit[]> {
  // One pass over the newest rows: how many were read, their time span, and the hits in order.
  const [probe] = await rowsPrepared<{ scanned: number; oldest: string | null; newest: string | null; ids: number[] | null; ts: string[] | null }>(
    db,
    sql`SELECT count(*)::int AS scanned, min(created_at)::text AS oldest, max(created_at)::text AS newest,
               (array_agg(id::float8 ORDER BY created_at DESC, id DESC) FILTER (WHERE hit))[1:${limit}] AS ids,
               (array_agg(created_at::text ORDER BY created_at DESC, id DESC) FILTER (WHERE hit))[1:${limit}] AS ts
        FROM (SELECT id, created_at, ${match} AS hit FROM tickets WHERE ${where}
              ORDER BY ${ORDER} LIMIT ${PROBE_ROWS}) w`,
  );
  const ids = probe?.ids ?? [];
  const hits = ids.map((id, i) => ({ id: Number(id), t: probe!.ts![i] }));
  const head = probe;
  if (!head || hits.length >= limit || Number(head.scanned) < PROBE_ROWS) return hits;

  const run = (extra: SQL) =>
    rowsPrepared<{ id: number; t: string }>(
      db,
      sql`SELECT id::float8 AS id, created_at::text AS t FROM tickets
          WHERE ${where} AND ${match} ${extra} ORDER BY ${ORDER} LIMIT ${limit}`,
    ).then((r) => r.map((x) => ({ id: Number(x.id), t: x.t })));

  if (hits.length > 0 && head.oldest && head.newest) {
    const spanMs = Date.parse(head.newest) - Date.parse(head.oldest);
    const rowsNeeded = (limit / hits.length) * PROBE_ROWS * WINDOW_SAFETY;
    const windowMs = Math.ceil(spanMs * (rowsNeeded / PROBE_ROWS));
    if (Number.isFinite(windowMs) && windowMs > 0) {
      const from = new Date(Date.parse(head.newest) - windowMs).toISOString();
      const windowed = await run(sql`AND created_at >= ${from}::timestamptz`);
      if (windowed.length >= limit) return windowed;
    }
  }
  return run(sql``);
}
