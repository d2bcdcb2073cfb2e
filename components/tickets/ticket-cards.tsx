import Link from "next/link";
import type { TicketListItem } from "@/lib/tickets/list-tickets";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/time";
import { SlaBadge } from "@/components/sla/sla-badge";
import { PriorityBadge, StatusBadge } from "./badges";
import { Highlighted } from "./highlight";
import type { RowSelection } from "./ticket-table";
import { UnreadMark } from "./unread-mark";

/**
 * The ticket list on a phone: one card per ticket with its key, title, status, priority,
 * assignee and age, wrapping instead of scrolling sideways. Same selection as the table.
 */
export function TicketCards({ items, now, label, selection }: { items: TicketListItem[]; now: number; label: string; selection?: RowSelection }) {
  return (
    <ul aria-label={label} className="space-y-2" data-testid="ticket-cards">
      {items.map((t) => (
        <li
          key={t.key}
          data-ticket-key={t.key}
          aria-current={selection?.focusedKey === t.key ? "true" : undefined}
          className={cx(
            "min-w-0 rounded-lg border border-slate-200 bg-white p-3 shadow-sm",
            selection?.selected.has(t.key) && "bg-brand-50",
            selection?.focusedKey === t.key && "outline outline-2 outline-brand-600",
          )}
        >
          <div className="flex items-start gap-3">
            {selection ? (
              <input
                type="checkbox"
                aria-label={`Select ${t.key}`}
                checked={selection.selected.has(t.key)}
                onChange={() => selection.toggle(t.key)}
                className="mt-1 h-5 w-5 shrink-0 rounded border-slate-400"
              />
            ) : null}
            <div className="min-w-0 flex-1">
              <div className="flex items-center gap-2">
                {t.unread ? <UnreadMark /> : null}
                <Link href={`/tickets/${t.key}`} className={cx("min-w-0 break-words text-slate-900 underline-offset-2 hover:underline", t.unread && "font-semibold")}>
                  <span className="font-mono text-xs text-brand-700">{t.key}</span> {t.highlight ? <Highlighted text={t.highlight.title} /> : t.title}
                </Link>
              </div>
              {t.highlight?.snippet ? <Highlighted text={t.highlight.snippet} className="mt-1 line-clamp-2 block break-words text-xs text-slate-700" /> : null}
              <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-700">
                <StatusBadge status={t.status} waitingReason={t.waitingReason} />
                <PriorityBadge priority={t.priority} short />
                <SlaBadge sla={t.sla} />
                <span>{t.assignee?.name ?? "Unassigned"}</span>
                <span aria-hidden="true">·</span>
                <RelativeTime iso={t.createdAt} now={now} />
              </div>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
