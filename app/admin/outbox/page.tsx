import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { firstParam, HeadRow, listHref, Pager, TicketLink, OUTBOX_STATUS_LABEL, OutboxStatusBadge } from "@/components/mail/parts";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { controlClass, Label } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/time";
import { MAIL_STATUSES } from "@/db/schema/mail";
import { listOutbox } from "@/lib/mail/admin/outbox";
import { smtpConfigured } from "@/lib/mail/config";
import { MAIL_KIND_LABELS, MAIL_KINDS } from "@/lib/mail/kinds";
import { ListOutboxQuerySchema } from "@/lib/mail/schemas";

export const metadata: Metadata = { title: "Outbox" };
export const dynamic = "force-dynamic";

const PAGE = 50;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminOutboxPage({ searchParams }: Props) {
  await requireAdmin("/admin/outbox");
  const sp = await searchParams;
  // Bad filter values (hand-edited URLs) are dropped rather than failing the page.
  const parsed = ListOutboxQuerySchema.safeParse({ status: firstParam(sp.status), kind: firstParam(sp.kind), to: firstParam(sp.to), cursor: firstParam(sp.cursor), limit: PAGE });
  const q = parsed.success ? parsed.data : { limit: PAGE };
  const { items, nextCursor } = await listOutbox(await getDb(), q);
  const smtp = smtpConfigured();
  const now = Date.now();
  const filters = new URLSearchParams();
  for (const k of ["status", "kind", "to"] as const) if (parsed.success && parsed.data[k]) filters.set(k, parsed.data[k]!);
  const withCursor = (c: string | null) => listHref("/admin/outbox", filters, c);

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Outgoing mail: notifications Switchboard wrote, newest first.</p>
      </div>
      <AdminNav current="outbox" />

      {smtp ? (
        <Alert tone="info">SMTP is configured (SMTP_URL): mail is delivered. This list is the delivery log.</Alert>
      ) : (
        <Alert tone="warning" title="Dev outbox: SMTP_URL is not set; nothing is sent." >
          Every mail is kept here instead, with its rendered HTML. Set SMTP_URL to deliver mail.
        </Alert>
      )}

      <Card className="min-w-0 overflow-hidden" aria-labelledby="outbox-h">
        <div className="space-y-3 border-b border-slate-200 px-4 py-3">
          <h2 id="outbox-h" className="text-base font-semibold text-slate-900">
            Mail
          </h2>
          <form method="get" action="/admin/outbox" className="flex flex-wrap items-end gap-3" aria-label="Filter mail">
            <div>
              <Label htmlFor="f-status">Status</Label>
              <select id="f-status" name="status" defaultValue={parsed.success ? (parsed.data.status ?? "") : ""} className={controlClass}>
                <option value="">Any</option>
                {MAIL_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {OUTBOX_STATUS_LABEL[s]}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <Label htmlFor="f-kind">Kind</Label>
              <select id="f-kind" name="kind" defaultValue={parsed.success ? (parsed.data.kind ?? "") : ""} className={controlClass}>
                <option value="">Any</option>
                {MAIL_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {MAIL_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <Label htmlFor="f-to">Recipient</Label>
              <input id="f-to" name="to" type="search" defaultValue={parsed.success ? (parsed.data.to ?? "") : ""} className={controlClass} placeholder="name@example.com" />
            </div>
            <button type="submit" className={buttonClass("secondary")}>
              Filter
            </button>
            {filters.size ? (
              <Link href="/admin/outbox" className="pb-2 text-sm text-brand-700 underline underline-offset-2 hover:text-brand-900">
                Clear filters
              </Link>
            ) : null}
          </form>
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="outbox-table">
            <caption className="sr-only">Outgoing mail with time, recipient, kind, subject, status, attempts and ticket</caption>
            <HeadRow labels={["Time", "To", "Kind", "Subject", "Status", "Attempts", "Ticket"]} />
            <tbody className="divide-y divide-slate-200">
              {items.length === 0 ? (
                <tr>
                  <td colSpan={7} className="px-3 py-4 text-slate-600">
                    No mail{filters.size ? " matches these filters" : " yet"}.
                  </td>
                </tr>
              ) : (
                items.map((m) => (
                  <tr key={m.id} className="align-top" data-testid={`outbox-row-${m.id}`}>
                    <td className="whitespace-nowrap px-3 py-2.5 text-slate-800">
                      <RelativeTime iso={m.createdAt} now={now} />
                    </td>
                    <td className="px-3 py-2.5 font-mono text-xs text-slate-800">{m.to}</td>
                    <td className="px-3 py-2.5 text-slate-800">{m.kindLabel}</td>
                    <th scope="row" className="max-w-md px-3 py-2.5 text-left font-normal">
                      <Link href={`/admin/outbox/${m.id}`} className="break-words font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                        {m.subject}
                      </Link>
                    </th>
                    <td className="px-3 py-2.5">
                      <OutboxStatusBadge status={m.status} />
                    </td>
                    <td className="px-3 py-2.5 tabular-nums text-slate-800">{m.attempts}</td>
                    <td className="px-3 py-2.5">
                      <TicketLink ticketKey={m.ticketKey} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <Pager label="Outbox pages" newestHref={q.cursor ? withCursor(null) : null} olderHref={nextCursor ? withCursor(nextCursor) : null} />
      </Card>
    </div>
  );
}
