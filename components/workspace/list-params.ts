import type { SearchParams } from "@/components/tickets/ticket-query";
import { flattenSearchParams } from "@/components/tickets/ticket-query";
import { VIEW_SORTS, type ViewSort } from "@/lib/workspace/view-schemas";

/** URL parameters that page or order the list rather than filter it. */
export const PAGING_KEYS = ["cursor", "before", "limit", "sort"] as const;

/** The filter parameters of a list URL (everything but view, paging and sort). */
export function filtersOf(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "view" && !(PAGING_KEYS as readonly string[]).includes(k)));
}

/** The list URL's sort, defaulting to `fallback` when absent or unknown. */
export function sortOf(raw: Record<string, string>, fallback: ViewSort = "created"): ViewSort {
  return (VIEW_SORTS as readonly string[]).includes(raw.sort ?? "") ? (raw.sort as ViewSort) : fallback;
}

/**
 * The /tickets URL → what to list. With `view=<id>` the view's filters and sort apply (the URL
 * may still choose the sort and the page); otherwise the URL's own filters.
 * @returns `viewId` (null without one), `raw` (the URL's flat parameters) and `query` (the
 *   search parameters the list schema parses).
 */
export function listParams(sp: SearchParams, view: { filters: Record<string, string>; sort: ViewSort } | null) {
  const raw = flattenSearchParams(sp);
  if (!view) {
    const { view: _ignored, ...rest } = sp;
    return { raw, query: rest as SearchParams };
  }
  const paging = Object.fromEntries(PAGING_KEYS.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
  return { raw, query: { ...view.filters, sort: view.sort, ...paging } as SearchParams };
}
