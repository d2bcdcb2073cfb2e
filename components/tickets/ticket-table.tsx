import Link from "next/link";
import type { TicketDTO } from "@/lib/tickets/dto";
import { RelativeTime } from "@/components/ui/time";
import { SlaBadge } from "@/components/sla/sla-badge";
import { Badge, PriorityBadge, StatusBadge } from "./badges";

/**
 * The agents' ticket table: dense, one row per ticket, the key links to the detail page. The
 * SLA due badge sits right after the key so it stays in view on a narrow screen (the table
 * scrolls sideways).
 */
export function TicketTable({
  items,
  categoryName,
  teamName,
  hrefFor,
  now,
  caption,
}: {
  items: TicketDTO[];
  categoryName: Record<string, string>;
  teamName: Record<string, string>;
  hrefFor: (key: string) => string;
  now: number;
  caption: string;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="ticket-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-700">
          <tr>
            <th scope="col" className="px-3 py-2">Key</th>
            <th scope="col" className="px-3 py-2">Due</th>
            <th scope="col" className="px-3 py-2">Title</th>
            <th scope="col" className="px-3 py-2">Status</th>
            <th scope="col" className="px-3 py-2">Priority</th>
            <th scope="col" className="px-3 py-2">Category</th>
            <th scope="col" className="px-3 py-2">Team</th>
            <th scope="col" className="px-3 py-2">Assignee</th>
            <th scope="col" className="px-3 py-2">Created</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((t) => (
            <tr key={t.key} className="hover:bg-slate-50">
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                <Link href={hrefFor(t.key)} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                  {t.key}
                </Link>
              </td>
              <td className="whitespace-nowrap px-3 py-2">
                <SlaBadge sla={t.sla} />
              </td>
              <td className="max-w-md px-3 py-2">
                <div className="flex items-center gap-2">
                  <span className="truncate text-slate-900" title={t.title}>
                    {t.title}
                  </span>
                  {t.needsReview ? <Badge tone="amber">Review</Badge> : null}
                </div>
              </td>
              <td className="whitespace-nowrap px-3 py-2">
                <StatusBadge status={t.status} waitingReason={t.waitingReason} />
              </td>
              <td className="whitespace-nowrap px-3 py-2">
                <PriorityBadge priority={t.priority} short />
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-700">{categoryName[t.category] ?? t.category}</td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-700">{t.team ? (teamName[t.team] ?? t.team) : "–"}</td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-700">{t.assignee?.name ?? <span className="text-slate-600">Unassigned</span>}</td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-700">
                <RelativeTime iso={t.createdAt} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
