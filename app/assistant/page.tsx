import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { pathWithQuery, requireStaff } from "@/components/auth/guards";
import { firstParam, listHref, Pager, TicketLink } from "@/components/mail/parts";
import { FilterButtons } from "@/components/assistant/history-filter";
import { Card } from "@/components/ui/card";
import { controlClass, Label } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/time";
import { listConversations } from "@/lib/assistant/history";
import { ListConversationsQuerySchema } from "@/lib/assistant/history-schemas";
import { ApiError } from "@/lib/http/errors";

export const metadata: Metadata = { title: "Assistant history" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The signed-in agent's own assistant conversations, most recently active first; `?ticket=T-12` narrows. */
export default async function AssistantHistoryPage({ searchParams }: Props) {
  const sp = await searchParams;
  const principal = await requireStaff(pathWithQuery("/assistant", sp));
  // A bad ticket key (hand-edited URL) is dropped rather than failing the page.
  const parsed = ListConversationsQuerySchema.safeParse({ ticket: firstParam(sp.ticket)?.toUpperCase(), cursor: firstParam(sp.cursor), limit: 25 });
  const q = parsed.success ? parsed.data : ListConversationsQuerySchema.parse({ limit: 25 });
  const db = await getDb();
  const list = (cursor: string | undefined) => listConversations(db, principal, { ticketKey: q.ticket, limit: q.limit, cursor });
  // A cursor from a hand-edited URL (ApiError 400) falls back to the first page.
  const { items, nextCursor } = await list(q.cursor).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 400) return list(undefined);
    throw err;
  });
  const filters = new URLSearchParams();
  if (q.ticket) filters.set("ticket", q.ticket);
  const now = Date.now();

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Assistant history</h1>
        <p className="text-sm text-slate-600">
          Your conversations with the assistant, most recent first. Open the assistant anywhere with <kbd className="rounded bg-slate-100 px-1 text-xs">Ctrl K</kbd>.
        </p>
      </div>

      <Card className="min-w-0 overflow-hidden" aria-labelledby="conv-list-h">
        <div className="space-y-3 border-b border-slate-200 px-4 py-3">
          <h2 id="conv-list-h" className="text-base font-semibold text-slate-900">
            Conversations{q.ticket ? ` about ${q.ticket}` : ""}
          </h2>
          <form method="get" action="/assistant" className="flex flex-wrap items-end gap-3" aria-label="Filter conversations">
            <div>
              <Label htmlFor="f-ticket">Ticket</Label>
              <input id="f-ticket" name="ticket" type="search" defaultValue={q.ticket ?? ""} placeholder="T-12" className={controlClass} />
            </div>
            <FilterButtons clearHref="/assistant" active={filters.size > 0} />
          </form>
        </div>
        {items.length === 0 ? (
          <p className="px-4 py-4 text-sm text-slate-600">
            No conversations{q.ticket ? ` about ${q.ticket}` : " yet"}. Press Ctrl K to ask the assistant something.
          </p>
        ) : (
          <ul className="divide-y divide-slate-200" data-testid="assistant-conversations">
            {items.map((c) => (
              <li key={c.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 px-4 py-2.5">
                <div className="min-w-0">
                  <Link href={`/assistant/${c.id}`} className="break-words font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                    {c.title}
                  </Link>
                  <p className="text-xs text-slate-600">
                    {c.messageCount} {c.messageCount === 1 ? "message" : "messages"}
                    {c.ticketKey ? (
                      <>
                        {" · "}
                        <TicketLink ticketKey={c.ticketKey} />
                      </>
                    ) : null}
                  </p>
                </div>
                <RelativeTime iso={c.updatedAt} now={now} className="whitespace-nowrap text-sm text-slate-700" />
              </li>
            ))}
          </ul>
        )}
        <Pager label="Conversation pages" newestHref={q.cursor ? listHref("/assistant", filters, null) : null} olderHref={nextCursor ? listHref("/assistant", filters, nextCursor) : null} />
      </Card>
    </div>
  );
}
