import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { pathWithQuery, requireStaff } from "@/components/auth/guards";
import { TicketFilters } from "@/components/tickets/ticket-filters";
import { hrefWith, parseTicketQuery, type SearchParams } from "@/components/tickets/ticket-query";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { filtersOf, listParams, sortOf } from "@/components/workspace/list-params";
import { LiveRefresh } from "@/components/workspace/live-refresh";
import { SaveViewForm } from "@/components/workspace/save-view-form";
import { TicketList } from "@/components/workspace/ticket-list";
import { formatCount, ViewsSidebar } from "@/components/workspace/views-sidebar";
import { hasRole } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData } from "@/lib/reference/cache";
import { countTickets, listTickets, type TicketPage } from "@/lib/tickets/list-tickets";
import { listAgents } from "@/lib/users/list-agents";
import { defaultViewId, viewsWithCounts } from "@/lib/workspace/counts";
import { workspaceVersion } from "@/lib/workspace/version";
import type { ViewSort } from "@/lib/workspace/view-schemas";

export const metadata: Metadata = { title: "Tickets" };
export const dynamic = "force-dynamic";

const SORT_LABEL: Record<ViewSort, string> = { created: "Newest", updated: "Recently updated", priority: "Priority", due: "Due (SLA)" };

export default async function TicketsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const principal = await requireStaff(pathWithQuery("/tickets", sp));
  const db = await getDb();
  const [ref, agents, views, version] = await Promise.all([getReferenceData(db), listAgents(db), viewsWithCounts(db, principal), workspaceVersion(db)]);

  // A bare /tickets shows the default view (never "all tickets including closed").
  const viewId = typeof sp.view === "string" ? sp.view : Object.keys(sp).length === 0 ? defaultViewId(views) : null;
  const urlFilters = filtersOf(listParams(sp, null).raw);
  const view = viewId ? (views.find((v) => v.id === viewId) ?? null) : null;

  const { raw, query } = listParams(sp, view);
  const parsed = viewId && !view ? null : parseTicketQuery(query);
  const filters = view ? view.filters : urlFilters;
  const sort = sortOf(raw, view?.sort);

  let page: TicketPage | null = null;
  let total: number | null = null;
  let problem: string[] | null = parsed && !parsed.ok ? parsed.issues : null;
  if (parsed?.ok) {
    try {
      [page, total] = await Promise.all([listTickets(db, parsed.query, principal), countTickets(db, parsed.query, principal)]);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      problem = [err.message];
    }
  }

  const categoryName = Object.fromEntries(ref.categories.map((c) => [c.slug, c.name]));
  const teamName = Object.fromEntries(ref.teams.map((t) => [t.slug, t.name]));
  const reviewQueue = filters.needsReview === "true";
  const title = view ? view.name : reviewQueue ? "Review queue" : "Tickets";
  const base = viewId ? { view: viewId, ...(raw.sort ? { sort: raw.sort } : {}), ...(raw.limit ? { limit: raw.limit } : {}) } : { ...raw };
  const pageHref = (patch: Record<string, string | undefined>) => hrefWith("/tickets", base, { cursor: undefined, before: undefined, ...patch });
  const onLaterPage = Boolean(raw.cursor || raw.before);
  const now = Date.now();
  const options = {
    agents: agents.map((a) => ({ value: a.id, label: a.name })),
    categories: ref.categories.map((c) => ({ value: c.slug, label: c.name })),
    teams: ref.teams.map((t) => ({ value: t.slug, label: t.name })),
  };

  return (
    <div className="grid min-w-0 gap-4 lg:grid-cols-[15rem_minmax(0,1fr)]">
      <LiveRefresh version={version} />
      <aside className="min-w-0">
        <ViewsSidebar views={views} activeId={view?.id ?? null} />
      </aside>
      <div className="min-w-0 space-y-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div className="min-w-0">
            <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
            <p className="text-sm text-slate-700" data-testid="ticket-total">
              {page ? `${formatCount(total)} ticket${total === 1 ? "" : "s"}` : null}
              {page && !view ? " · filtered" : null}
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <SaveViewForm filters={filters} sort={sort} canShare={hasRole(principal, "admin")} />
            <Link href="/submit" className={buttonClass("secondary", "sm")}>
              New ticket
            </Link>
          </div>
        </div>

        {/* On a view the form starts empty, so a search or filter covers the whole desk (the side bar shows the view). */}
        <TicketFilters action="/tickets" current={{ ...(view ? {} : filters), ...(raw.sort ? { sort: raw.sort } : {}) }} {...options} />

        <nav aria-label="Sort tickets" className="flex flex-wrap items-center gap-1 text-sm">
          <span className="mr-1 text-slate-700">Sort:</span>
          {(Object.keys(SORT_LABEL) as ViewSort[]).map((s) => (
            <Link
              key={s}
              href={pageHref({ sort: view && s === view.sort ? undefined : s })}
              aria-current={s === sort ? "true" : undefined}
              className={cx("rounded-md px-2 py-1", s === sort ? "bg-brand-50 font-semibold text-brand-800" : "text-slate-800 hover:bg-slate-100")}
            >
              {SORT_LABEL[s]}
            </Link>
          ))}
        </nav>

        {reviewQueue ? (
          <Alert tone="info" title="How to work the review queue">
            <p>
              The triage was not sure enough about these tickets to route them on its own. Open each one and check its category,
              priority and team. If they are right, choose <strong>Confirm triage</strong>; if the category is wrong, change it and
              save (the model learns from the correction). Either takes the ticket off the queue, and so does resolving or closing it.
            </p>
          </Alert>
        ) : null}

        {viewId && !view ? (
          <Alert tone="error" title="This view does not exist">
            <p>
              It may have been deleted.{" "}
              <Link href="/tickets" className="font-medium underline underline-offset-2">
                Open your default view
              </Link>
              .
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
            {page.items.length === 0 ? (
              <p role="status" className="text-sm text-slate-700">
                No tickets match {view ? "this view" : "these filters"}.
              </p>
            ) : (
              <TicketList items={page.items} categoryName={categoryName} teamName={teamName} now={now} caption={`${title}, sorted by ${SORT_LABEL[sort].toLowerCase()}`} {...options} />
            )}
            <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-2">
              <div className="flex gap-2">
                {onLaterPage ? (
                  <Link href={pageHref({})} className={buttonClass("secondary", "sm")}>
                    ← First
                  </Link>
                ) : null}
                {page.prevCursor ? (
                  <Link href={pageHref({ before: page.prevCursor })} className={buttonClass("secondary", "sm")} rel="prev">
                    ‹ Previous
                  </Link>
                ) : null}
              </div>
              {page.nextCursor ? (
                <Link href={pageHref({ cursor: page.nextCursor })} className={buttonClass("secondary", "sm")} rel="next">
                  Next ›
                </Link>
              ) : null}
            </nav>
          </>
        ) : null}
      </div>
    </div>
  );
}
