"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { fetchJson } from "@/components/dashboard/parts";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import type { TicketSuggestions } from "@/lib/assistant/suggest/types";
import { queryKeys } from "@/lib/query-keys";
import { openAssistant } from "./command-events";
import { insertReply } from "./ticket-insert-reply";

type Answer = TicketSuggestions & { conversationId: string };

const linkClass = "font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900";

/** Who wrote the suggestion, for the header ("Templates", "openai-compatible · llama3.1:8b"). */
function sourceLabel(s: Answer): string {
  if (s.provenance.provider === "templates") return s.fallbackReason ? "Templates (the LLM was not used)" : "Templates";
  return [s.provenance.provider, s.provenance.model].filter(Boolean).join(" · ");
}

/**
 * The per-ticket assistant for agents (GET /api/tickets/{key}/assistant): a suggested reply with
 * the tickets it cites and an "Insert into reply" button (fills the reply box, never sends),
 * next actions with the assistant command that performs each (opened in the command bar, not
 * run), similar resolved tickets with their resolutions, and a link to this ticket's assistant
 * history. Fetched once per page view (each fetch is stored in the agent's chat history);
 * "Refresh" asks again.
 */
export function TicketAssistantPanel({ ticketKey }: { ticketKey: string }) {
  const id = useId();
  const q = useQuery({
    queryKey: queryKeys.assistant.ticket(ticketKey),
    queryFn: ({ signal }) => fetchJson<Answer>(`/api/tickets/${encodeURIComponent(ticketKey)}/assistant`, signal, "assistant"),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  });
  const s = q.data;
  const h = (name: string) => `${id}-${name}`;

  return (
    <Card aria-labelledby={h("title")} className="overflow-hidden">
      <CardHeader>
        <h2 id={h("title")} className="text-sm font-semibold">
          Assistant
        </h2>
        <div className="flex items-center gap-2">
          {s ? <span className="text-xs text-slate-600" data-testid="assistant-source">{sourceLabel(s)}</span> : null}
          <Button size="sm" variant="ghost" onClick={() => void q.refetch()} disabled={q.isFetching}>
            {q.isFetching && s ? "Refreshing…" : "Refresh"}
          </Button>
        </div>
      </CardHeader>
      <div className="space-y-4 px-4 py-3 text-sm" aria-busy={q.isFetching}>
        {q.isPending ? (
          <p role="status" className="text-slate-600">
            Preparing suggestions…
          </p>
        ) : q.isError ? (
          <Alert tone="error" live title="Suggestions are not available">
            {q.error.message}
          </Alert>
        ) : s ? (
          <>
            <section aria-labelledby={h("reply")} className="space-y-2">
              <h3 id={h("reply")} className="font-semibold text-slate-900">
                Suggested reply
              </h3>
              {s.reply ? (
                <>
                  <p data-testid="suggested-reply" className="whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-900">
                    {s.reply.text}
                  </p>
                  {s.reply.citations.length ? (
                    <p className="text-xs text-slate-600" data-testid="suggested-reply-citations">
                      Based on{" "}
                      {s.reply.citations.map((k, i) => (
                        <span key={k}>
                          {i > 0 ? ", " : null}
                          <Link href={`/tickets/${k}`} className={linkClass}>
                            {k}
                          </Link>
                        </span>
                      ))}
                    </p>
                  ) : null}
                  <Button size="sm" variant="secondary" onClick={() => insertReply(s.reply!.text)} data-testid="insert-reply">
                    Insert into reply
                  </Button>
                </>
              ) : (
                <p className="text-slate-600">No reply to suggest.</p>
              )}
              {s.droppedCitations.length ? (
                <p className="text-xs text-amber-800" data-testid="dropped-citations">
                  Left out what relied on {s.droppedCitations.join(", ")}: not among the tickets the assistant was given, or not found.
                </p>
              ) : null}
            </section>

            <section aria-labelledby={h("actions")} className="space-y-2">
              <h3 id={h("actions")} className="font-semibold text-slate-900">
                Next actions
              </h3>
              {s.actions.length ? (
                <ul className="space-y-2" data-testid="next-actions">
                  {s.actions.map((a, i) => (
                    <li key={`${a.kind}-${a.ticketKey ?? ""}-${i}`} className="rounded-md border border-slate-200 px-3 py-2" data-kind={a.kind}>
                      <p className="font-medium text-slate-900">{a.label}</p>
                      <p className="text-slate-700">{a.detail}</p>
                      {a.command ? (
                        <div className="mt-1 flex flex-wrap items-center gap-2">
                          <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">{a.command}</code>
                          <Button size="sm" variant="ghost" onClick={() => openAssistant({ text: a.command })}>
                            Open in command bar
                          </Button>
                        </div>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-slate-600">Nothing to suggest.</p>
              )}
            </section>

            <section aria-labelledby={h("similar")} className="space-y-2">
              <h3 id={h("similar")} className="font-semibold text-slate-900">
                Similar resolved tickets
              </h3>
              {s.similar.length ? (
                <ul className="space-y-2" data-testid="similar-resolved">
                  {s.similar.map((t) => (
                    <li key={t.key} className="rounded-md border border-slate-200 px-3 py-2">
                      <p>
                        <Link href={t.href} className={linkClass}>
                          {t.key}
                        </Link>{" "}
                        <span className="text-slate-900">{t.title}</span>{" "}
                        <span className="text-xs text-slate-600">({Math.round(t.similarity * 100)}% similar)</span>
                      </p>
                      {t.resolution ? (
                        <p className="mt-1 line-clamp-3 whitespace-pre-wrap break-words text-slate-700">
                          <span className="font-medium">Resolution: </span>
                          {t.resolution}
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-slate-600">No similar resolved tickets.</p>
              )}
            </section>
          </>
        ) : null}
        <p>
          <Link href={`/assistant?ticket=${encodeURIComponent(ticketKey)}`} className={linkClass}>
            Assistant history for this ticket
          </Link>
        </p>
      </div>
    </Card>
  );
}
