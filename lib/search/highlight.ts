import "server-only";
import { inArray, sql, type SQL } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { tickets } from "@/db/schema";

/** Start and end of a highlighted match in {@link TicketHighlight} texts (never HTML). */
export const MARK_START = "\u0001";
export const MARK_END = "\u0002";

/** A search result's title and description excerpt with matches between {@link MARK_START} and {@link MARK_END}. */
export interface TicketHighlight {
  title: string;
  /** Up to two fragments of the description around matches (" … " between them); null when the description has no match. */
  snippet: string | null;
}

const SEL = `StartSel=${MARK_START}, StopSel=${MARK_END}`;
const TITLE_OPTIONS = `HighlightAll=true, ${SEL}`;
const SNIPPET_OPTIONS = `MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=" … ", ${SEL}`;

/**
 * Highlights for a page of search results (`ts_headline`, english config, so stemmed and
 * corrected words are marked as the search matched them). Runs on the given rows only.
 * Marker characters already in a title or description are removed first, so marks are always
 * the search's own.
 * @param ids the page's ticket ids; @param tsquery the search's text query (TicketSearchPlan.tsquery).
 * @returns ticket id → highlight.
 */
export async function ticketHighlights(db: DbOrTx, ids: number[], tsquery: SQL): Promise<Map<number, TicketHighlight>> {
  if (ids.length === 0) return new Map();
  const strip = (col: SQL) => sql`translate(${col}, ${MARK_START + MARK_END}, '')`;
  const found = await rows<{ id: number; title: string; snippet: string }>(
    db,
    sql`SELECT t.id::float8 AS id,
               ts_headline('english', ${strip(sql`t.title`)}, x.q, ${TITLE_OPTIONS}) AS title,
               ts_headline('english', ${strip(sql`t.description`)}, x.q, ${SNIPPET_OPTIONS}) AS snippet
        FROM (SELECT ${tsquery} AS q) x, ${tickets} t WHERE ${inArray(sql`t.id`, ids)}`,
  );
  return new Map(
    found.map((r) => [Number(r.id), { title: r.title, snippet: r.snippet.includes(MARK_START) ? r.snippet : null }]),
  );
}
