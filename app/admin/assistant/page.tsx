import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { formatCost, provenanceLabel } from "@/components/assistant/history-messages";
import { pathWithQuery, requireAdmin } from "@/components/auth/guards";
import { firstParam, HeadRow, listHref, Pager, TicketLink } from "@/components/mail/parts";
import { Badge } from "@/components/tickets/badges";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { FilterButtons } from "@/components/assistant/history-filter";
import { Card } from "@/components/ui/card";
import { controlClass, Label } from "@/components/ui/field";
import { formatAbsolute } from "@/components/ui/time";
import { listChatMessagesForAudit } from "@/lib/assistant/history";
import { AuditMessagesQuerySchema, type AuditMessageDTO } from "@/lib/assistant/history-schemas";

export const metadata: Metadata = { title: "Assistant log" };
export const dynamic = "force-dynamic";

const PAGE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A date field's day (`2026-12-01`) as the API's instant: its UTC start, or (for `to`) the next day's, so the day is included. */
function dayToInstant(day: string | undefined, end: boolean): string | undefined {
  if (!day || !DAY.test(day)) return undefined;
  const t = Date.parse(`${day}T00:00:00.000Z`);
  return Number.isNaN(t) ? undefined : new Date(t + (end ? 86_400_000 : 0)).toISOString();
}

/** One row: an answer with the question before it (same conversation), or a lone message. */
interface Exchange {
  key: number;
  asked: AuditMessageDTO | null;
  answer: AuditMessageDTO | null;
}

/** Pair each answer with its question: newest first, the question is the next older message of the conversation. */
function pairExchanges(items: AuditMessageDTO[]): Exchange[] {
  const rows: Exchange[] = [];
  for (let i = 0; i < items.length; i++) {
    const m = items[i];
    const next = items[i + 1];
    if (m.role === "assistant" && next?.role === "user" && next.conversationId === m.conversationId) {
      rows.push({ key: m.id, asked: next, answer: m });
      i++;
    } else rows.push({ key: m.id, asked: m.role === "user" ? m : null, answer: m.role === "assistant" ? m : null });
  }
  return rows;
}

/** Admins: every assistant exchange (all users and API keys), newest first, with filters and a CSV export. */
export default async function AdminAssistantPage({ searchParams }: Props) {
  const sp = await searchParams;
  const principal = await requireAdmin(pathWithQuery("/admin/assistant", sp));
  const form = {
    actor: firstParam(sp.actor) ?? "",
    ticket: (firstParam(sp.ticket) ?? "").toUpperCase(),
    op: firstParam(sp.op) ?? "",
    from: firstParam(sp.from) ?? "",
    to: firstParam(sp.to) ?? "",
  };
  const parsed = AuditMessagesQuerySchema.safeParse({
    actor: form.actor || undefined,
    ticket: form.ticket || undefined,
    op: form.op || undefined,
    from: dayToInstant(form.from, false),
    to: dayToInstant(form.to, true),
    cursor: firstParam(sp.cursor),
    limit: PAGE,
  });
  const q = parsed.success ? parsed.data : AuditMessagesQuerySchema.parse({ limit: PAGE });
  const { items, nextCursor } = await listChatMessagesForAudit(await getDb(), principal, q);

  // Links keep the form's values (days); the export gets the API's instants.
  const filters = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v) filters.set(k, v);
  const api = new URLSearchParams({ format: "csv" });
  for (const k of ["actor", "ticket", "op", "from", "to"] as const) if (q[k]) api.set(k, q[k]!);
  const rows = pairExchanges(items);

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Assistant log: every command and answer, from people and API keys, newest first.</p>
      </div>
      <AdminNav current="assistant" />

      {!parsed.success ? (
        <Alert tone="warning" live>
          Some filters were not valid and were ignored: {parsed.error.issues.map((i) => i.message).join("; ")}.
        </Alert>
      ) : null}

      <Card className="min-w-0 overflow-hidden" aria-labelledby="assistant-log-h">
        <div className="space-y-3 border-b border-slate-200 px-4 py-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="assistant-log-h" className="text-base font-semibold text-slate-900">
              Exchanges
            </h2>
            <a href={`/api/admin/assistant/messages?${api.toString()}`} className={buttonClass("secondary", "sm")} data-testid="assistant-export-csv" download>
              Export CSV
            </a>
          </div>
          <form method="get" action="/admin/assistant" className="flex flex-wrap items-end gap-3" aria-label="Filter the assistant log">
            <div>
              <Label htmlFor="f-actor">Who</Label>
              <input id="f-actor" name="actor" type="search" defaultValue={form.actor} placeholder="name or e-mail" className={controlClass} />
            </div>
            <div>
              <Label htmlFor="f-ticket">Ticket</Label>
              <input id="f-ticket" name="ticket" type="search" defaultValue={form.ticket} placeholder="T-12" className={`${controlClass} w-28`} />
            </div>
            <div>
              <Label htmlFor="f-op">Operation</Label>
              <input id="f-op" name="op" type="search" defaultValue={form.op} placeholder="bulk" list="assistant-ops" className={`${controlClass} w-32`} />
              <datalist id="assistant-ops">
                {["create", "update", "assign", "comment", "resolve", "show", "list", "stats", "bulk", "create_category", "help", "clarify", "suggest"].map((o) => (
                  <option key={o} value={o} />
                ))}
              </datalist>
            </div>
            <div>
              <Label htmlFor="f-from">From</Label>
              <input id="f-from" name="from" type="date" defaultValue={form.from} className={controlClass} />
            </div>
            <div>
              <Label htmlFor="f-to">To (inclusive)</Label>
              <input id="f-to" name="to" type="date" defaultValue={form.to} className={controlClass} />
            </div>
            <FilterButtons clearHref="/admin/assistant" active={filters.size > 0} />
          </form>
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="assistant-log-table">
            <caption className="sr-only">Assistant exchanges with time, who, ticket, question, answer, provider, tokens, cost and latency</caption>
            <HeadRow labels={["Time (UTC)", "Who", "Ticket", "Asked", "Answered", "Provider", "Tokens", "Cost", "Latency"]} />
            <tbody className="divide-y divide-slate-200">
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={9} className="px-3 py-4 text-slate-600">
                    Nothing{filters.size ? " matches these filters" : " yet"}.
                  </td>
                </tr>
              ) : (
                rows.map(({ key, asked, answer }) => {
                  const m = (answer ?? asked)!;
                  return (
                    <tr key={key} className="align-top" data-testid="assistant-log-row">
                      <td className="whitespace-nowrap px-3 py-2.5 text-slate-800">{formatAbsolute(m.createdAt).replace(" UTC", "")}</td>
                      <td className="px-3 py-2.5 text-slate-800">{m.actor}</td>
                      <td className="px-3 py-2.5">
                        <TicketLink ticketKey={m.ticketKey} />
                      </td>
                      <th scope="row" className="max-w-sm break-words px-3 py-2.5 text-left font-normal text-slate-900">
                        {asked?.content ?? <span className="text-slate-600">–</span>}
                      </th>
                      <td className="max-w-sm px-3 py-2.5">
                        {answer ? (
                          <div className="space-y-0.5">
                            <div className="flex flex-wrap items-center gap-1.5">
                              <span className="font-mono text-xs text-slate-800">{answer.op ?? "–"}</span>
                              <Badge tone={answer.ok ? "emerald" : "amber"}>{answer.ok ? "ok" : "failed"}</Badge>
                            </div>
                            <p className="line-clamp-3 break-words text-xs text-slate-700" title={answer.content}>
                              {answer.content}
                            </p>
                          </div>
                        ) : (
                          <span className="text-slate-600">–</span>
                        )}
                      </td>
                      <td className="px-3 py-2.5 text-slate-800">
                        <span className="whitespace-nowrap">{answer ? provenanceLabel(answer) : "–"}</span>
                        {answer?.fallbackReason ? <p className="max-w-48 break-words text-xs text-amber-900">Fallback: {answer.fallbackReason}</p> : null}
                      </td>
                      <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-slate-800">
                        {answer && answer.promptTokens + answer.completionTokens > 0 ? `${answer.promptTokens} + ${answer.completionTokens}` : "–"}
                      </td>
                      <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-slate-800">{answer ? formatCost(answer.costUsd) : "–"}</td>
                      <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-slate-800">{answer ? `${answer.latencyMs} ms` : "–"}</td>
                    </tr>
                  );
                })
              )}
            </tbody>
          </table>
        </div>
        <Pager
          label="Assistant log pages"
          newestHref={q.cursor ? listHref("/admin/assistant", filters, null) : null}
          olderHref={nextCursor ? listHref("/admin/assistant", filters, nextCursor) : null}
        />
      </Card>
    </div>
  );
}
