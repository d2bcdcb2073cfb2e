import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { pathWithQuery, requireSignedIn } from "@/components/auth/guards";
import { PriorityBadge, StatusBadge } from "@/components/tickets/badges";
import { hrefWith, parseTicketQuery, type SearchParams } from "@/components/tickets/ticket-query";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/time";
import { isStaff } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { listTickets, type TicketPage } from "@/lib/tickets/list-tickets";
import { RequestFilterTabs } from "@/components/portal/request-filter-tabs";
import { countRequests, parseRequestFilter, REQUEST_FILTER_STATUSES } from "@/lib/portal/request-filters";

export const metadata: Metadata = { title: "My requests" };
export const dynamic = "force-dynamic";

export default async function MyRequestsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const principal = await requireSignedIn(pathWithQuery("/requests", sp));
  if (isStaff(principal)) redirect("/tickets");

  // Only the tab (`filter`: open, closed, all) and the cursor are taken from the URL;
  // listTickets scopes requesters to their own confirmed tickets.
  const filter = parseRequestFilter(sp.filter);
  const statuses = REQUEST_FILTER_STATUSES[filter];
  const parsed = parseTicketQuery(typeof sp.cursor === "string" ? { cursor: sp.cursor } : {}, {
    limit: "25",
    ...(statuses ? { status: statuses.join(",") } : {}),
  });
  const filterParams: Record<string, string> = filter === "open" ? {} : { filter };
  const db = await getDb();
  const counts = await countRequests(db, principal);
  let page: TicketPage | null = null;
  let problem: string | null = parsed.ok ? null : parsed.issues.join("; ");
  if (parsed.ok) {
    try {
      page = await listTickets(db, parsed.query, principal);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      problem = err.message;
    }
  }
  const now = Date.now();

  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">My requests</h1>
          <p className="text-sm text-slate-600">Tickets filed under {principal.email}, newest first.</p>
        </div>
        <Link href="/submit" className={buttonClass("primary", "sm")}>
          Submit a ticket
        </Link>
      </div>
      <RequestFilterTabs current={filter} counts={counts} />
      {problem ? (
        <Alert tone="error" title="Could not show this page">
          {problem} <Link href="/requests" className="font-medium underline">Start again</Link>
        </Alert>
      ) : null}
      {page && page.items.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white px-4 py-6 text-center text-sm text-slate-700">
          {filter === "all" ? "You have no tickets yet." : filter === "open" ? "You have no open requests." : "You have no closed requests yet."}{" "}
          <Link href="/submit" className="font-medium text-brand-700 underline">Submit one</Link> when you need help.
        </p>
      ) : null}
      {page && page.items.length > 0 ? (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="request-list">
          {page.items.map((t) => (
            <li key={t.key} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3">
              <Link href={`/requests/${t.key}`} className="min-w-0 basis-full text-sm font-medium text-slate-900 hover:underline sm:basis-auto sm:flex-1">
                <span className="mr-2 font-mono text-xs text-brand-700">{t.key}</span>
                {t.title}
              </Link>
              <StatusBadge status={t.status} waitingReason={t.waitingReason} />
              <PriorityBadge priority={t.priority} short />
              <span className="text-xs text-slate-600">
                Updated <RelativeTime iso={t.updatedAt} now={now} />
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {page ? (
        <nav aria-label="Pagination" className="flex items-center justify-between">
          {parsed.raw.cursor ? (
            <Link href={hrefWith("/requests", filterParams, {})} className={buttonClass("secondary", "sm")}>
              ← First page
            </Link>
          ) : (
            <span />
          )}
          {page.nextCursor ? (
            <Link href={hrefWith("/requests", filterParams, { cursor: page.nextCursor })} className={buttonClass("secondary", "sm")}>
              Next page →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
