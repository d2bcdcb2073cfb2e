"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { PriorityBadge, StatusBadge } from "@/components/tickets/badges";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { AssistantData, AssistantResponse, TicketSummary } from "@/lib/assistant/types";

/*
 * One assistant answer rendered for people: rows, badges and links, never raw JSON. Used by the
 * command bar (with the callbacks, so examples, candidates and confirmations are clickable) and
 * by the history pages (without them: the same answer, read-only).
 */

/** What the command bar can do with a clicked element; leave out for a read-only view. */
export interface ResultActions {
  /** Put a command in the input (help examples). */
  fill?: (command: string) => void;
  /** Send a command at once (candidates). */
  send?: (command: string) => void;
  /** Run the confirmed bulk operation with its token. */
  confirm?: (token: string) => void;
  /** Dismiss a confirmation without running it. */
  cancel?: () => void;
  /** True while a request is in flight (disables the buttons). */
  busy?: boolean;
}

/** The parts of an answer shown: an API answer, or a stored chat message (op as stored). */
export type ResultLike = Pick<AssistantResponse, "ok" | "message" | "data"> & { op: string };

const linkClass = "font-medium text-brand-700 underline-offset-2 hover:underline";

/**
 * An assistant answer: its message (an alert when `ok` is false) and the typed data under it.
 * `actions` makes examples, candidates and the confirmation clickable.
 */
export function ResultView({ response, actions }: { response: ResultLike; actions?: ResultActions }) {
  if (!response.ok) {
    return (
      <div className="space-y-2" data-testid="assistant-result" data-op={response.op} data-ok="false">
        <Alert tone="error">{response.message}</Alert>
        {response.data ? <DataView data={response.data} actions={actions} message={response.message} /> : null}
      </div>
    );
  }
  return (
    <div className="space-y-2" data-testid="assistant-result" data-op={response.op} data-ok="true">
      {response.message ? <p className="text-sm text-slate-800">{response.message}</p> : null}
      {response.data ? <DataView data={response.data} actions={actions} message={response.message} /> : null}
    </div>
  );
}

function DataView({ data, actions, message }: { data: AssistantData; actions?: ResultActions; message: string }) {
  switch (data.kind) {
    case "ticket":
      return (
        <div className="space-y-1.5">
          <TicketRows tickets={[data.ticket]} />
          {data.changes.length ? (
            <ul className="list-disc space-y-0.5 pl-5 text-sm text-slate-700" aria-label="Changes" data-testid="assistant-changes">
              {data.changes.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          ) : null}
        </div>
      );
    case "tickets":
      return (
        <div className="space-y-1.5">
          <p className="text-sm text-slate-700" data-testid="assistant-total">
            <span className="font-semibold text-slate-900">{countLabel(data.total, data.totalCap, "ticket")}</span>
            {data.description && !message.includes(data.description) ? ` · ${data.description}` : null}
          </p>
          {data.tickets.length ? <TicketRows tickets={data.tickets} /> : null}
          {data.total !== null && data.total > data.tickets.length ? (
            <p className="text-xs text-slate-600">Showing the first {data.tickets.length}.</p>
          ) : null}
        </div>
      );
    case "stats":
      return (
        <div className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2" data-testid="assistant-stats">
          <p className="text-3xl font-semibold tabular-nums text-slate-900">{data.count.toLocaleString("en-US")}</p>
          <p className="text-sm text-slate-700">{data.description}</p>
        </div>
      );
    case "confirm":
      return <ConfirmView data={data} actions={actions} />;
    case "bulk":
      return (
        <div className="space-y-1.5" data-testid="assistant-bulk">
          <p className="text-sm font-semibold text-slate-900" data-testid="assistant-bulk-summary">
            {bulkSummary(data.succeeded, data.failed, message)}
          </p>
          <ul className="space-y-0.5 text-sm">
            {data.results.map((r) => (
              <li key={r.key} className="flex flex-wrap gap-x-2">
                <Link href={`/tickets/${r.key}`} className={`font-mono ${linkClass}`}>
                  {r.key}
                </Link>
                <span className={r.ok ? "text-emerald-800" : "text-red-800"}>{r.ok ? "done" : `failed${r.error ? `: ${r.error}` : ""}`}</span>
              </li>
            ))}
          </ul>
        </div>
      );
    case "help":
      return (
        <div className="space-y-1">
          <p className="text-sm text-slate-700">Try:</p>
          <ul className="flex flex-wrap gap-1.5" data-testid="assistant-examples">
            {data.examples.map((ex) => (
              <li key={ex}>
                {actions?.fill ? (
                  <button
                    type="button"
                    onClick={() => actions.fill?.(ex)}
                    className="rounded-full border border-slate-300 bg-white px-2.5 py-0.5 text-left text-sm text-slate-800 hover:bg-slate-50"
                  >
                    {ex}
                  </button>
                ) : (
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 text-sm text-slate-800">{ex}</code>
                )}
              </li>
            ))}
          </ul>
        </div>
      );
    case "candidates":
      return (
        <div className="space-y-1">
          <p className="text-sm text-slate-700">Which {data.field}?</p>
          <ul className="flex flex-wrap gap-1.5" data-testid="assistant-candidates">
            {data.candidates.map((c) => (
              <li key={c.command}>
                {actions?.send ? (
                  <Button size="sm" variant="secondary" disabled={actions.busy} onClick={() => actions.send?.(c.command)}>
                    {c.label}
                  </Button>
                ) : (
                  <span className="text-sm text-slate-800">{c.label}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      );
  }
}

function ConfirmView({ data, actions }: { data: Extract<AssistantData, { kind: "confirm" }>; actions?: ResultActions }) {
  return (
    <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2" data-testid="assistant-confirm">
      <p className="text-sm font-semibold text-amber-950">
        {data.action.charAt(0).toUpperCase() + data.action.slice(1)}
        {data.total > data.tickets.length ? ` (the first ${data.tickets.length} are listed)` : ""}:
      </p>
      <TicketRows tickets={data.tickets} />
      {actions?.confirm ? (
        <div className="flex gap-2">
          <Button size="sm" disabled={actions.busy} onClick={() => actions.confirm?.(data.token)}>
            Confirm
          </Button>
          <Button size="sm" variant="ghost" disabled={actions.busy} onClick={() => actions.cancel?.()}>
            Cancel
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** Tickets as compact rows: key link, title, status and priority badges, assignee. */
function TicketRows({ tickets }: { tickets: TicketSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table className="min-w-full text-sm" data-testid="assistant-tickets">
        <thead className="sr-only">
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col">Assignee</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tickets.map((t) => (
            <tr key={t.key} data-testid="assistant-ticket-row">
              <td className="whitespace-nowrap px-2 py-1.5 font-mono text-xs">
                <Link href={t.href} className={linkClass}>
                  {t.key}
                </Link>
              </td>
              <td className="max-w-xs truncate px-2 py-1.5 text-slate-900" title={t.title}>
                {t.title}
              </td>
              <td className="whitespace-nowrap px-2 py-1.5">
                <StatusBadge status={t.status} />
              </td>
              <td className="whitespace-nowrap px-2 py-1.5">
                <PriorityBadge priority={t.priority} short />
              </td>
              <Cell>{t.assignee ?? <span className="text-slate-600">Unassigned</span>}</Cell>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ children }: { children: ReactNode }) {
  return <td className="whitespace-nowrap px-2 py-1.5 text-slate-700">{children}</td>;
}

/** "1 ticket", "12 tickets", "10,000+ tickets" (total null: more than the cap). */
export function countLabel(total: number | null, cap: number | null, noun: string): string {
  if (total === null) return `${(cap ?? 0).toLocaleString("en-US")}+ ${noun}s`;
  return `${total.toLocaleString("en-US")} ${total === 1 ? noun : `${noun}s`}`;
}

const DONE: Record<string, string> = { close: "closed", resolve: "resolved", assign: "assigned", unassign: "unassigned" };

/**
 * "3 closed, 1 failed": the verb from the answer's message (`Ran "close 4 tickets": …`, see
 * lib/assistant/execute/bulk.ts), "updated" when it names none.
 */
function bulkSummary(succeeded: number, failed: number, message: string): string {
  const verb = DONE[/^Ran "(\w+)/.exec(message)?.[1] ?? ""] ?? "updated";
  return `${succeeded} ${verb}${failed ? `, ${failed} failed` : ""}`;
}
