import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { firstParam, HeadRow, listHref, Pager, TicketLink, INBOUND_STATUS_LABEL, InboundStatusBadge } from "@/components/mail/parts";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { controlClass, Label } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/time";
import { INBOUND_STATUSES } from "@/db/schema/mail";
import { listInbound } from "@/lib/mail/admin/inbound";
import { ListInboundQuerySchema } from "@/lib/mail/schemas";

export const metadata: Metadata = { title: "Inbound mail" };
export const dynamic = "force-dynamic";

const PAGE = 50;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminInboundPage({ searchParams }: Props) {
  await requireAdmin("/admin/inbound");
  const sp = await searchParams;
  const parsed = ListInboundQuerySchema.safeParse({ status: firstParam(sp.status), cursor: firstParam(sp.cursor), limit: PAGE });
  const q = parsed.success ? parsed.data : { limit: PAGE };
  const { items, nextCursor } = await listInbound(await getDb(), q);
  const status = parsed.success ? parsed.data.status : undefined;
  const now = Date.now();
  const pageHref = (cursor: string | null) => listHref("/admin/inbound", new URLSearchParams(status ? { status } : {}), cursor);

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Inbound mail: every message that reached Switchboard (IMAP or the inbound API), newest first, with what became of it.</p>
      </div>
      <AdminNav current="inbound" />

      <Card className="min-w-0 overflow-hidden" aria-labelledby="inbound-h">
        <div className="space-y-3 border-b border-slate-200 px-4 py-3">
          <h2 id="inbound-h" className="text-base font-semibold text-slate-900">
            Messages
          </h2>
          <form method="get" action="/admin/inbound" className="flex flex-wrap items-end gap-3" aria-label="Filter messages">
            <div>
              <Label htmlFor="f-status">Status</Label>
              <select id="f-status" name="status" defaultValue={status ?? ""} className={controlClass}>
                <option value="">Any</option>
                {INBOUND_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {INBOUND_STATUS_LABEL[s]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className={buttonClass("secondary")}>
              Filter
            </button>
          </form>
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="inbound-table">
            <caption className="sr-only">Inbound messages with time received, sender, subject, status, reason or error, and ticket</caption>
            <HeadRow labels={["Received", "From", "Subject", "Status", "Reason or error", "Ticket"]} />
            <tbody className="divide-y divide-slate-200">
              {items.length === 0 ? (
                <tr>
                  <td colSpan={6} className="px-3 py-4 text-slate-600">
                    No inbound mail{status ? " with this status" : " yet"}.
                  </td>
                </tr>
              ) : (
                items.map((m) => (
                  <tr key={m.id} className="align-top" data-testid={`inbound-row-${m.id}`}>
                    <td className="whitespace-nowrap px-3 py-2.5 text-slate-800">
                      <RelativeTime iso={m.receivedAt} now={now} />
                    </td>
                    <td className="px-3 py-2.5 font-mono text-xs text-slate-800">{m.from ?? "—"}</td>
                    <th scope="row" className="max-w-md px-3 py-2.5 text-left font-normal">
                      <Link href={`/admin/inbound/${m.id}`} className="break-words font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                        {m.subject || "(no subject)"}
                      </Link>
                    </th>
                    <td className="px-3 py-2.5">
                      <InboundStatusBadge status={m.status} />
                      {m.action ? <span className="ml-1 text-xs text-slate-700">{m.action.replace("_", " ")}</span> : null}
                    </td>
                    <td className="max-w-sm break-words px-3 py-2.5 text-slate-800">{m.error ?? m.reason ?? "—"}</td>
                    <td className="px-3 py-2.5">
                      <TicketLink ticketKey={m.ticketKey} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <Pager label="Inbound pages" newestHref={q.cursor ? pageHref(null) : null} olderHref={nextCursor ? pageHref(nextCursor) : null} />
      </Card>
    </div>
  );
}
