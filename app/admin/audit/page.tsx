import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { formatCost } from "@/components/assistant/history-messages";
import { FilterButtons } from "@/components/assistant/history-filter";
import { pathWithQuery, requireAdmin } from "@/components/auth/guards";
import { firstParam, HeadRow, listHref, Pager, TicketLink } from "@/components/mail/parts";
import { Badge } from "@/components/tickets/badges";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { controlClass, Label } from "@/components/ui/field";
import { formatAbsolute } from "@/components/ui/time";
import type { Principal } from "@/lib/auth/principal";
import { listAuditEvents, listTriageDecisions } from "@/lib/audit/admin/queries";
import { AUDIT_ENTITIES, AuditEventsQuerySchema, TriageDecisionsQuerySchema, utcDayBound } from "@/lib/audit/admin/schemas";

export const metadata: Metadata = { title: "Audit" };
export const dynamic = "force-dynamic";

const PAGE = 50;
const PATH = "/admin/audit";

type SP = Record<string, string | string[] | undefined>;
type Props = { searchParams: Promise<SP> };

const time = (iso: string) => formatAbsolute(iso).replace(" UTC", "");
const none = <span className="text-slate-600">–</span>;

/** Admins: the audit trail (who changed what and when) and the AI's triage decisions, with filters and CSV export. */
export default async function AdminAuditPage({ searchParams }: Props) {
  const sp = await searchParams;
  const principal = await requireAdmin(pathWithQuery(PATH, sp));
  const tab = firstParam(sp.tab) === "decisions" ? "decisions" : "changes";
  // Filters both tabs share travel with the tab links.
  const shared = new URLSearchParams();
  for (const k of ["ticket", "from", "to"] as const) {
    const v = firstParam(sp[k]);
    if (v) shared.set(k, k === "ticket" ? v.toUpperCase() : v);
  }
  const tabHref = (t: "changes" | "decisions") => `${PATH}?${new URLSearchParams([...(t === "decisions" ? [["tab", "decisions"]] : []), ...shared])}`.replace(/\?$/, "");

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Audit: who changed what and when, and what the AI decided. The trail is append-only.</p>
      </div>
      <AdminNav current="audit" />
      <nav aria-label="Audit views">
        <ul className="flex gap-2">
          {(
            [
              ["changes", "Changes"],
              ["decisions", "AI decisions"],
            ] as const
          ).map(([t, label]) => (
            <li key={t}>
              <Link href={tabHref(t)} aria-current={tab === t ? "page" : undefined} className={buttonClass(tab === t ? "primary" : "secondary", "sm")}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === "changes" ? <ChangesTab sp={sp} principal={principal} /> : <DecisionsTab sp={sp} principal={principal} />}
    </div>
  );
}

function InvalidFilters({ messages }: { messages: string[] }) {
  return (
    <Alert tone="warning" live>
      Some filters were not valid and were ignored: {messages.join("; ")}.
    </Alert>
  );
}

function DayFields({ from, to }: { from: string; to: string }) {
  return (
    <>
      <div>
        <Label htmlFor="f-from">From</Label>
        <input id="f-from" name="from" type="date" defaultValue={from} className={controlClass} />
      </div>
      <div>
        <Label htmlFor="f-to">To (inclusive)</Label>
        <input id="f-to" name="to" type="date" defaultValue={to} className={controlClass} />
      </div>
    </>
  );
}

async function ChangesTab({ sp, principal }: { sp: SP; principal: Principal }) {
  const form = {
    ticket: (firstParam(sp.ticket) ?? "").toUpperCase(),
    actor: firstParam(sp.actor) ?? "",
    action: firstParam(sp.action) ?? "",
    from: firstParam(sp.from) ?? "",
    to: firstParam(sp.to) ?? "",
  };
  const parsed = AuditEventsQuerySchema.safeParse({
    ticket: form.ticket || undefined,
    actor: form.actor || undefined,
    action: form.action || undefined,
    from: utcDayBound(form.from),
    to: utcDayBound(form.to, true),
    cursor: firstParam(sp.cursor),
    limit: PAGE,
  });
  const q = parsed.success ? parsed.data : AuditEventsQuerySchema.parse({ limit: PAGE });
  const { items, nextCursor } = await listAuditEvents(await getDb(), principal, q);
  const filters = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v) filters.set(k, v);
  const api = new URLSearchParams({ format: "csv" });
  for (const k of ["ticket", "actor", "action", "from", "to"] as const) if (q[k]) api.set(k, q[k]!);

  return (
    <>
      {!parsed.success ? <InvalidFilters messages={parsed.error.issues.map((i) => i.message)} /> : null}
      <Card className="min-w-0 overflow-hidden" aria-labelledby="audit-changes-h">
        <div className="space-y-3 border-b border-slate-200 px-4 py-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="audit-changes-h" className="text-base font-semibold text-slate-900">
              Changes
            </h2>
            <a href={`/api/admin/audit?${api.toString()}`} className={buttonClass("secondary", "sm")} data-testid="audit-export-csv" download>
              Export CSV
            </a>
          </div>
          <form method="get" action={PATH} className="flex flex-wrap items-end gap-3" aria-label="Filter the changes">
            <div>
              <Label htmlFor="f-ticket">Ticket</Label>
              <input id="f-ticket" name="ticket" type="search" defaultValue={form.ticket} placeholder="T-12" className={`${controlClass} w-28`} />
            </div>
            <div>
              <Label htmlFor="f-actor">Who</Label>
              <input id="f-actor" name="actor" type="search" defaultValue={form.actor} placeholder="e-mail, name or id" className={controlClass} />
            </div>
            <div>
              <Label htmlFor="f-action">Action</Label>
              <input id="f-action" name="action" type="search" defaultValue={form.action} placeholder="ticket.status_changed" list="audit-actions" className={`${controlClass} w-56`} />
              <datalist id="audit-actions">
                {AUDIT_ENTITIES.map((e) => (
                  <option key={e} value={e} />
                ))}
              </datalist>
            </div>
            <DayFields from={form.from} to={form.to} />
            <FilterButtons clearHref={PATH} active={filters.size > 0} />
          </form>
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="audit-changes-table">
            <caption className="sr-only">Audit events with time, actor, action, ticket and what changed</caption>
            <HeadRow labels={["Time (UTC)", "Who", "Action", "Ticket", "What changed"]} />
            <tbody className="divide-y divide-slate-200">
              {items.length === 0 ? (
                <tr>
                  <td colSpan={5} className="px-3 py-4 text-slate-600">
                    Nothing{filters.size ? " matches these filters" : " yet"}.
                  </td>
                </tr>
              ) : (
                items.map((e) => (
                  <tr key={e.id} className="align-top" data-testid="audit-change-row">
                    <td className="whitespace-nowrap px-3 py-2.5 text-slate-800">{time(e.at)}</td>
                    <td className="px-3 py-2.5 text-slate-800">
                      {e.actor}
                      {e.actorEmail && e.actorEmail !== e.actor ? <p className="text-xs text-slate-600">{e.actorEmail}</p> : null}
                    </td>
                    <th scope="row" className="whitespace-nowrap px-3 py-2.5 text-left font-mono text-xs font-normal text-slate-900">
                      {e.action}
                    </th>
                    <td className="whitespace-nowrap px-3 py-2.5">
                      {e.ticketKey ? <TicketLink ticketKey={e.ticketKey} /> : <span className="text-xs text-slate-700">{`${e.entityType} ${e.entityId}`}</span>}
                    </td>
                    <td className="max-w-xl break-words px-3 py-2.5 text-xs text-slate-800">{e.summary || none}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <Pager label="Audit pages" newestHref={q.cursor ? listHref(PATH, filters, null) : null} olderHref={nextCursor ? listHref(PATH, filters, nextCursor) : null} />
      </Card>
    </>
  );
}

async function DecisionsTab({ sp, principal }: { sp: SP; principal: Principal }) {
  const form = {
    ticket: (firstParam(sp.ticket) ?? "").toUpperCase(),
    provider: firstParam(sp.provider) ?? "",
    corrected: firstParam(sp.corrected) ?? "",
    from: firstParam(sp.from) ?? "",
    to: firstParam(sp.to) ?? "",
  };
  const parsed = TriageDecisionsQuerySchema.safeParse({
    ticket: form.ticket || undefined,
    provider: form.provider || undefined,
    corrected: form.corrected || undefined,
    from: utcDayBound(form.from),
    to: utcDayBound(form.to, true),
    cursor: firstParam(sp.cursor),
    limit: PAGE,
  });
  const q = parsed.success ? parsed.data : TriageDecisionsQuerySchema.parse({ limit: PAGE });
  const { items, nextCursor } = await listTriageDecisions(await getDb(), principal, q);
  const filters = new URLSearchParams({ tab: "decisions" });
  for (const [k, v] of Object.entries(form)) if (v) filters.set(k, v);
  const api = new URLSearchParams({ format: "csv" });
  for (const k of ["ticket", "provider", "corrected", "from", "to"] as const) if (q[k]) api.set(k, q[k]!);

  return (
    <>
      {!parsed.success ? <InvalidFilters messages={parsed.error.issues.map((i) => i.message)} /> : null}
      <Card className="min-w-0 overflow-hidden" aria-labelledby="audit-decisions-h">
        <div className="space-y-3 border-b border-slate-200 px-4 py-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="audit-decisions-h" className="text-base font-semibold text-slate-900">
              AI decisions
            </h2>
            <a href={`/api/admin/audit/decisions?${api.toString()}`} className={buttonClass("secondary", "sm")} data-testid="audit-export-csv" download>
              Export CSV
            </a>
          </div>
          <form method="get" action={PATH} className="flex flex-wrap items-end gap-3" aria-label="Filter the AI decisions">
            <input type="hidden" name="tab" value="decisions" />
            <div>
              <Label htmlFor="f-ticket">Ticket</Label>
              <input id="f-ticket" name="ticket" type="search" defaultValue={form.ticket} placeholder="T-12" className={`${controlClass} w-28`} />
            </div>
            <div>
              <Label htmlFor="f-provider">Provider</Label>
              <input id="f-provider" name="provider" type="search" defaultValue={form.provider} placeholder="local" className={`${controlClass} w-32`} />
            </div>
            <div>
              <Label htmlFor="f-corrected">Corrected by an agent</Label>
              <select id="f-corrected" name="corrected" defaultValue={form.corrected} className={controlClass}>
                <option value="">Any</option>
                <option value="true">Corrected</option>
                <option value="false">Not corrected</option>
              </select>
            </div>
            <DayFields from={form.from} to={form.to} />
            <FilterButtons clearHref={`${PATH}?tab=decisions`} active={filters.size > 1} />
          </form>
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="audit-decisions-table">
            <caption className="sr-only">Triage decisions with time, ticket, provider, model, decision, confidence, tokens, cost, latency, fallback and correction</caption>
            <HeadRow labels={["Time (UTC)", "Ticket", "Provider", "Model", "Decided", "Confidence", "Tokens", "Cost", "Latency", "Fallback", "Corrected"]} />
            <tbody className="divide-y divide-slate-200">
              {items.length === 0 ? (
                <tr>
                  <td colSpan={11} className="px-3 py-4 text-slate-600">
                    Nothing{filters.size > 1 ? " matches these filters" : " yet"}.
                  </td>
                </tr>
              ) : (
                items.map((d) => (
                  <tr key={d.id} className="align-top" data-testid="audit-decision-row">
                    <td className="whitespace-nowrap px-3 py-2.5 text-slate-800">{time(d.createdAt)}</td>
                    <th scope="row" className="whitespace-nowrap px-3 py-2.5 text-left font-normal">
                      <TicketLink ticketKey={d.ticketKey} />
                    </th>
                    <td className="px-3 py-2.5 text-slate-800">{d.provider}</td>
                    <td className="max-w-40 break-words px-3 py-2.5 font-mono text-xs text-slate-800">{d.model}</td>
                    <td className="px-3 py-2.5 text-slate-800">
                      {d.category} · {d.priority} · {d.team ?? "no team"}
                    </td>
                    <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-slate-800">{`${Math.round(d.confidence * 100)}%`}</td>
                    <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-slate-800">{d.promptTokens + d.completionTokens > 0 ? `${d.promptTokens} + ${d.completionTokens}` : "–"}</td>
                    <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-slate-800">{formatCost(d.costUsd)}</td>
                    <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-slate-800">{`${Math.round(d.latencyMs)} ms`}</td>
                    <td className="max-w-48 break-words px-3 py-2.5 text-xs text-amber-900">{d.fallbackReason ?? none}</td>
                    <td className="px-3 py-2.5">
                      {d.corrected ? (
                        <div className="space-y-0.5">
                          <Badge tone="amber">by agent</Badge>
                          <p className="text-xs text-slate-700">
                            {d.finalCategory} · {d.finalPriority} · {d.finalTeam ?? "no team"}
                          </p>
                        </div>
                      ) : d.overriddenBy ? (
                        <Badge>{`by ${d.overriddenBy}`}</Badge>
                      ) : (
                        none
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <Pager label="AI decision pages" newestHref={q.cursor ? listHref(PATH, filters, null) : null} olderHref={nextCursor ? listHref(PATH, filters, nextCursor) : null} />
      </Card>
    </>
  );
}
