import Link from "next/link";
import type { TicketListItem } from "@/lib/tickets/list-tickets";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/time";
import { SlaBadge } from "@/components/sla/sla-badge";
import { Badge, PriorityBadge, StatusBadge } from "./badges";
import { Highlighted } from "./highlight";
import { UnreadMark } from "./unread-mark";

/** Row selection and keyboard focus, owned by the list around the table (components/workspace/ticket-list.tsx). */
export interface RowSelection {
  selected: ReadonlySet<string>;
  toggle: (key: string) => void;
  /** Select every row of the page, or clear them all. */
  toggleAll: (on: boolean) => void;
  /** The row the j/k keys highlight. */
  focusedKey: string | null;
}

/**
 * The agents' ticket table (wide screens; phones get components/tickets/ticket-cards.tsx):
 * dense, one row per ticket, the key links to the detail page. The title takes the width the other
 * columns leave (truncated, whole in its tooltip) with the category and age under it; the
 * assignee sits over the team (the assignment group). With `selection`, each row has
 * a checkbox and the header a select-all for the page. An unread ticket's title is bold with a
 * dot (and "unread" for screen readers).
 */
export function TicketTable({
  items,
  categoryName,
  teamName,
  now,
  caption,
  selection,
}: {
  items: TicketListItem[];
  categoryName: Record<string, string>;
  teamName: Record<string, string>;
  now: number;
  caption: string;
  selection?: RowSelection;
}) {
  const allOn = !!selection && items.length > 0 && items.every((t) => selection.selected.has(t.key));
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="ticket-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-700">
          <tr>
            {selection ? (
              <th scope="col" className="w-8 px-3 py-2">
                <input
                  type="checkbox"
                  aria-label="Select all tickets on this page"
                  checked={allOn}
                  onChange={(e) => selection.toggleAll(e.target.checked)}
                  className="h-4 w-4 rounded border-slate-400"
                />
              </th>
            ) : null}
            <th scope="col" className="px-2 py-2">Key</th>
            <th scope="col" className="px-2 py-2">Due</th>
            <th scope="col" className="px-3 py-2">Title</th>
            <th scope="col" className="px-2 py-2">Status</th>
            <th scope="col" className="px-2 py-2">Priority</th>
            <th scope="col" className="whitespace-nowrap px-2 py-2">Assigned to</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((t) => (
            <tr
              key={t.key}
              data-ticket-key={t.key}
              aria-current={selection?.focusedKey === t.key ? "true" : undefined}
              className={cx("hover:bg-slate-50", selection?.selected.has(t.key) && "bg-brand-50", selection?.focusedKey === t.key && "outline outline-2 -outline-offset-2 outline-brand-600")}
            >
              {selection ? (
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Select ${t.key}`}
                    checked={selection.selected.has(t.key)}
                    onChange={() => selection.toggle(t.key)}
                    className="h-4 w-4 rounded border-slate-400"
                  />
                </td>
              ) : null}
              <td className="whitespace-nowrap px-2 py-2 font-mono text-xs">
                <Link href={`/tickets/${t.key}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                  {t.key}
                </Link>
              </td>
              <td className="whitespace-nowrap px-2 py-2">
                <SlaBadge sla={t.sla} />
              </td>
              <td className="w-full min-w-64 max-w-0 px-3 py-2">
                <div className="flex items-center gap-2">
                  {t.unread ? <UnreadMark /> : null}
                  <span className={cx("truncate text-slate-900", t.unread && "font-semibold")} title={t.title}>
                    {t.highlight ? <Highlighted text={t.highlight.title} /> : t.title}
                  </span>
                  {t.needsReview ? <Badge tone="amber">Review</Badge> : null}
                </div>
                <div className="mt-0.5 truncate text-xs text-slate-700">
                  {categoryName[t.category] ?? t.category} · created <RelativeTime iso={t.createdAt} now={now} />
                </div>
                {t.highlight?.snippet ? <Highlighted text={t.highlight.snippet} className="mt-0.5 line-clamp-2 block text-xs text-slate-700" /> : null}
              </td>
              <td className="whitespace-nowrap px-2 py-2">
                <StatusBadge status={t.status} waitingReason={t.waitingReason} />
              </td>
              <td className="whitespace-nowrap px-2 py-2">
                <PriorityBadge priority={t.priority} short />
              </td>
              <td className="max-w-40 px-2 py-2">
                <div className="truncate text-slate-800" title={t.assignee?.name}>{t.assignee?.name ?? <span className="text-slate-600">Unassigned</span>}</div>
                <div className="text-xs text-slate-700">{t.team ? (teamName[t.team] ?? t.team) : "No team"}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
