import Link from "next/link";
import type { InboundStatus, MailStatus } from "@/db/schema/mail";
import { Badge } from "@/components/tickets/badges";

/** Outgoing mail status labels (mail_outbox.status). */
export const OUTBOX_STATUS_LABEL: Record<MailStatus, string> = {
  outbox: "Dev outbox",
  queued: "Queued",
  sent: "Sent",
  failed: "Failed",
  suppressed: "Switched off",
};

/** Inbound message status labels (inbound_messages.status). */
export const INBOUND_STATUS_LABEL: Record<InboundStatus, string> = {
  received: "Received",
  processed: "Processed",
  ignored: "Ignored",
  bounced: "Bounced",
  rate_limited: "Rate limited",
  failed: "Failed",
};

const OUTBOX_TONE = { outbox: "brand", queued: "amber", sent: "emerald", failed: "amber", suppressed: "slate" } as const;
const INBOUND_TONE = { received: "amber", processed: "emerald", ignored: "slate", bounced: "slate", rate_limited: "amber", failed: "amber" } as const;

/** Status pill of an outgoing mail; failures say so in words, not colour alone. */
export function OutboxStatusBadge({ status }: { status: MailStatus }) {
  return <Badge tone={OUTBOX_TONE[status] ?? "slate"}>{OUTBOX_STATUS_LABEL[status] ?? status}</Badge>;
}

/** Status pill of an inbound message. */
export function InboundStatusBadge({ status }: { status: InboundStatus }) {
  return <Badge tone={INBOUND_TONE[status] ?? "slate"}>{INBOUND_STATUS_LABEL[status] ?? status}</Badge>;
}

/** A table's column headings. */
export function HeadRow({ labels }: { labels: string[] }) {
  return (
    <thead className="bg-slate-50 text-xs text-slate-700">
      <tr>
        {labels.map((h) => (
          <th key={h} scope="col" className="px-3 py-2 font-semibold">
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}

const linkClass = "text-brand-700 underline underline-offset-2 hover:text-brand-900";

/** A ticket key linking to the ticket page, or a dash. */
export function TicketLink({ ticketKey }: { ticketKey: string | null }) {
  if (!ticketKey) return <span className="text-slate-600">—</span>;
  return (
    <Link href={`/tickets/${ticketKey}`} className={`font-mono ${linkClass}`}>
      {ticketKey}
    </Link>
  );
}

/** Cursor paging under a list: "Newest" when not on the first page, "Older" when there is more. */
export function Pager({ label, newestHref, olderHref }: { label: string; newestHref: string | null; olderHref: string | null }) {
  if (!newestHref && !olderHref) return null;
  return (
    <nav aria-label={label} className="flex gap-3 border-t border-slate-200 px-4 py-2 text-sm">
      {newestHref ? (
        <Link href={newestHref} className={linkClass}>
          Newest
        </Link>
      ) : null}
      {olderHref ? (
        <Link href={olderHref} className={linkClass}>
          Older
        </Link>
      ) : null}
    </nav>
  );
}

/** The heading of a mail admin detail page: "Admin", then `<list> / <item>` with the list linked. */
export function DetailHeading({ listHref, listLabel, item }: { listHref: string; listLabel: string; item: string }) {
  return (
    <div>
      <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
      <p className="text-sm text-slate-600">
        <Link href={listHref} className={linkClass}>
          {listLabel}
        </Link>{" "}
        / {item}
      </p>
    </div>
  );
}

/** `path?<filters>&cursor=<cursor>` (no `?` when both are empty): links of the filtered, paged lists. */
export function listHref(path: string, filters: URLSearchParams, cursor: string | null): string {
  const p = new URLSearchParams(filters);
  if (cursor) p.set("cursor", cursor);
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/** First value of a page's query parameter (empty → undefined). */
export function firstParam(v: string | string[] | undefined): string | undefined {
  return (Array.isArray(v) ? v[0] : v) || undefined;
}
