import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { pathWithQuery, requireStaff } from "@/components/auth/guards";
import { TicketFilters } from "@/components/tickets/ticket-filters";
import { hrefWith, parseTicketQuery, type SearchParams } from "@/components/tickets/ticket-query";
import { TicketTable } from "@/components/tickets/ticket-table";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData } from "@/lib/reference/cache";
import { listTickets, type TicketPage } from "@/lib/tickets/list-tickets";
import { listAgents } from "@/lib/users/list-agents";

export const metadata: Metadata = { title: "Tickets" };
export const dynamic = "force-dynamic";

export default async function TicketsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const principal = await requireStaff(pathWithQuery("/tickets", sp));
  const db = await getDb();
  const [ref, agents] = await Promise.all([getReferenceData(db), listAgents(db)]);
  const parsed = parseTicketQuery(sp);

  let page: TicketPage | null = null;
  let problem: string[] | null = parsed.ok ? null : parsed.issues;
  if (parsed.ok) {
    try {
      page = await listTickets(db, parsed.query, principal);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      problem = [err.message];
    }
  }

  const categoryName = Object.fromEntries(ref.categories.map((c) => [c.slug, c.name]));
  const teamName = Object.fromEntries(ref.teams.map((t) => [t.slug, t.name]));
  const filtersActive = Object.keys(parsed.raw).some((k) => k !== "cursor" && k !== "limit");
  const reviewQueue = parsed.raw.needsReview === "true";
  const byDue = parsed.raw.sort === "due";
  const order = byDue ? "Due first (SLA)" : "Newest first";
  const now = Date.now();

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">{reviewQueue ? "Review queue" : "Tickets"}</h1>
          <p className="text-sm text-slate-600">
            {reviewQueue
              ? `Tickets whose triage needs an agent's review, ${order.toLowerCase()}.`
              : `${order}. ${filtersActive ? "Filtered." : "All tickets."}`}
          </p>
        </div>
        <Link href="/submit" className={buttonClass("secondary", "sm")}>
          New ticket
        </Link>
      </div>

      <TicketFilters
        action="/tickets"
        current={parsed.raw}
        categories={ref.categories.map((c) => ({ value: c.slug, label: c.name }))}
        teams={ref.teams.map((t) => ({ value: t.slug, label: t.name }))}
        agents={agents.map((a) => ({ value: a.id, label: a.name }))}
      />

      {reviewQueue ? (
        <Alert tone="info" title="How to work the review queue">
          <p>
            The triage was not sure enough about these tickets to route them on its own. Open each one and check its category,
            priority and team. If they are right, choose <strong>Confirm triage</strong>; if the category is wrong, change it and
            save (the model learns from the correction). Either takes the ticket off the queue, and so does resolving or closing it.
          </p>
          <p className="mt-1">
            <Link href="/tickets" className="font-medium underline underline-offset-2">
              Show all tickets
            </Link>
          </p>
        </Alert>
      ) : null}

      {problem ? (
        <Alert tone="error" title="These filters are not valid">
          <ul className="list-disc pl-5">
            {problem.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          <p className="mt-2">
            <Link href="/tickets" className="font-medium underline underline-offset-2">
              Clear the filters
            </Link>{" "}
            and start again.
          </p>
        </Alert>
      ) : null}

      {page ? (
        <>
          <p role="status" className="text-sm text-slate-700">
            {page.items.length === 0
              ? "No tickets match these filters."
              : `Showing ${page.items.length} ticket${page.items.length === 1 ? "" : "s"}${parsed.raw.cursor ? " (later page)" : ""}.`}
          </p>
          {page.items.length > 0 ? (
            <TicketTable
              items={page.items}
              categoryName={categoryName}
              teamName={teamName}
              hrefFor={(key) => `/tickets/${key}`}
              now={now}
              caption={`${reviewQueue ? "Review queue" : "Tickets"}, ${order.toLowerCase()}`}
            />
          ) : null}
          <nav aria-label="Pagination" className="flex items-center justify-between gap-2">
            {parsed.raw.cursor ? (
              <Link href={hrefWith("/tickets", parsed.raw, { cursor: undefined })} className={buttonClass("secondary", "sm")}>
                ← First page
              </Link>
            ) : (
              <span />
            )}
            {page.nextCursor ? (
              <Link href={hrefWith("/tickets", parsed.raw, { cursor: page.nextCursor })} className={buttonClass("secondary", "sm")}>
                Next page →
              </Link>
            ) : null}
          </nav>
        </>
      ) : null}
    </div>
  );
}
