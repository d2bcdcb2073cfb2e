"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { createPortal } from "react-dom";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { keepTabInside } from "@/components/ui/focus-trap";
import { COMMAND_MAX, WRITE_OPS, type AssistantOpName } from "@/lib/assistant/ops";
import type { ConversationDetailDTO } from "@/lib/assistant/history-schemas";
import type { AssistantResponse } from "@/lib/assistant/types";
import { queryKeys } from "@/lib/query-keys";
import { OPEN_ASSISTANT_EVENT, type OpenAssistantDetail } from "./command-events";
import { ResultView } from "./result-view";

/*
 * The staff command bar (issue #11): a header button "Ask assistant" and the global shortcut
 * Ctrl+K / Cmd+K open a modal dialog with one input. Commands go to POST /api/assistant (with the
 * ticket the page shows, so "take it" works); answers are rendered by ResultView. After a
 * successful write the page under the bar is refreshed (router.refresh) and TanStack queries
 * are invalidated. The session's exchanges stay listed while the page lives; the conversation
 * id is kept so follow-ups continue the same conversation.
 */

type Answer = Pick<AssistantResponse, "op" | "ok" | "message" | "data">;

interface Exchange {
  id: number;
  /** What was sent, as shown ("Confirm" for a confirmation). */
  asked: string;
  answer: Answer | null;
  /** A confirmation answered with Confirm or Cancel is no longer clickable. */
  settled?: boolean;
}

const TICKET_PATH = /^\/tickets\/(T-\d+)(?:\/|$)/i;

/** The ticket key of a ticket page's path (`/tickets/T-12` → `T-12`), else undefined. */
function ticketKeyOf(pathname: string | null): string | undefined {
  const m = pathname ? TICKET_PATH.exec(pathname) : null;
  return m ? m[1].toUpperCase() : undefined;
}

/** POST /api/assistant; any failure becomes an answer with ok false and a readable message. */
async function postCommand(body: { text?: string; ticketKey?: string; conversationId?: string; confirm?: string }): Promise<Answer & { conversationId?: string }> {
  let res: Response;
  try {
    res = await fetch("/api/assistant", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    return { op: "clarify", ok: false, data: null, message: "Could not reach the server. Check your connection and try again." };
  }
  const json = (await res.json().catch(() => null)) as (Partial<AssistantResponse> & { error?: { message?: string } }) | null;
  if (json && typeof json.ok === "boolean" && typeof json.message === "string") {
    return { op: json.op ?? "clarify", ok: json.ok && res.ok, message: json.message, data: json.data ?? null, conversationId: json.conversationId };
  }
  const message = json?.error?.message ?? (res.status === 401 ? "Your session has ended. Sign in again." : `The assistant answered ${res.status}.`);
  return { op: "clarify", ok: false, data: null, message };
}

/**
 * The last exchanges of a stored conversation (GET /api/assistant/conversations/{id}), read-only
 * (settled: an old confirmation is not offered again). Empty when it cannot be read.
 */
async function loadEarlier(conversationId: string): Promise<Exchange[]> {
  const res = await fetch(`/api/assistant/conversations/${encodeURIComponent(conversationId)}`, { headers: { accept: "application/json" } }).catch(() => null);
  const detail = res?.ok ? ((await res.json().catch(() => null)) as ConversationDetailDTO | null) : null;
  const out: Exchange[] = [];
  for (const m of detail?.messages ?? []) {
    if (m.role === "user") out.push({ id: -m.id, asked: m.content, answer: null, settled: true });
    else if (out.length && !out[out.length - 1].answer) {
      out[out.length - 1].answer = { op: (m.op ?? "clarify") as Answer["op"], ok: m.ok !== false, message: m.content, data: m.data };
    }
  }
  return out.filter((x) => x.answer).slice(-5);
}

/** The header button and the dialog. Render only for agents and admins. */
export function CommandBar() {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [exchanges, setExchanges] = useState<Exchange[]>([]);
  const [conversationId, setConversationId] = useState<string | undefined>();
  const [continuing, setContinuing] = useState<string | undefined>();
  const nextId = useRef(1);
  const returnFocus = useRef<HTMLElement | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const router = useRouter();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  const ticketKey = ticketKeyOf(pathname);
  const id = useId();

  const show = useCallback(() => {
    const active = document.activeElement;
    // Ctrl+K while open keeps the original opener.
    if (!panelRef.current?.contains(active)) returnFocus.current = active instanceof HTMLElement ? active : null;
    setOpen(true);
  }, []);

  const close = useCallback(() => {
    setOpen(false);
    const back = returnFocus.current;
    returnFocus.current = null;
    // After the dialog is gone: back to whatever opened it.
    requestAnimationFrame(() => back?.focus());
  }, []);

  // Ctrl+K / Cmd+K anywhere; the open event from the history pages.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        show();
      }
    }
    function onOpen(e: Event) {
      const detail = (e as CustomEvent<OpenAssistantDetail>).detail ?? {};
      if (detail.conversationId) {
        const cid = detail.conversationId;
        setConversationId(cid);
        setContinuing(detail.title ?? "an earlier conversation");
        setExchanges([]);
        void loadEarlier(cid).then((earlier) => {
          setExchanges((xs) => (xs.length ? xs : earlier));
        });
      }
      if (detail.text) setText(detail.text);
      show();
    }
    window.addEventListener("keydown", onKey);
    window.addEventListener(OPEN_ASSISTANT_EVENT, onOpen);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener(OPEN_ASSISTANT_EVENT, onOpen);
    };
  }, [show]);

  // Focus the input on open; a link followed from a result (another page) closes the dialog.
  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);
  const [shownPath, setShownPath] = useState(pathname);
  if (pathname !== shownPath) {
    setShownPath(pathname);
    if (open) setOpen(false);
  }

  // Newest exchange in view.
  useEffect(() => {
    logRef.current?.lastElementChild?.scrollIntoView({ block: "nearest" });
  }, [exchanges]);

  async function run(asked: string, body: { text?: string; confirm?: string }) {
    const exchangeId = nextId.current++;
    setBusy(true);
    setExchanges((xs) => [...xs.slice(-9), { id: exchangeId, asked, answer: null }]);
    const answer = await postCommand({ ...body, ...(ticketKey && body.text ? { ticketKey } : {}), ...(conversationId ? { conversationId } : {}) });
    if (answer.conversationId) setConversationId(answer.conversationId);
    setExchanges((xs) => xs.map((x) => (x.id === exchangeId ? { ...x, answer } : x)));
    setBusy(false);
    if (answer.ok && WRITE_OPS.has(answer.op as AssistantOpName) && answer.data?.kind !== "confirm") {
      router.refresh();
      // Not the per-ticket suggestions (["assistant", …]): each refetch is a new LLM call and chat log entry.
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.assistant.all()[0] });
    }
    inputRef.current?.focus();
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const command = text.trim();
    if (!command || busy) return;
    setText("");
    void run(command, { text: command });
  }

  function settle(exchangeId: number) {
    setExchanges((xs) => xs.map((x) => (x.id === exchangeId ? { ...x, settled: true } : x)));
  }

  function newConversation() {
    setConversationId(undefined);
    setContinuing(undefined);
    setExchanges([]);
    inputRef.current?.focus();
  }

  // Escape closes; Tab stays inside the dialog.
  function onPanelKeyDown(e: ReactKeyboardEvent<HTMLDivElement>) {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
      return;
    }
    keepTabInside(e, panelRef.current);
  }

  const dialog = open ? (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-slate-900/40 px-3 pt-[10vh]" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={panelRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-hint`}
        onKeyDown={onPanelKeyDown}
        className="flex max-h-[80vh] w-full max-w-2xl flex-col overflow-hidden rounded-lg border border-slate-200 bg-white text-slate-900 shadow-xl"
        data-testid="command-bar"
      >
        <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
          <h2 id={`${id}-title`} className="text-sm font-semibold">
            Assistant
          </h2>
          <div className="flex items-center gap-1">
            {exchanges.length || conversationId ? (
              <Button size="sm" variant="ghost" onClick={newConversation}>
                New conversation
              </Button>
            ) : null}
            <Button size="sm" variant="ghost" onClick={close} aria-label="Close assistant">
              Close
            </Button>
          </div>
        </div>

        <div ref={logRef} className="min-h-0 flex-1 space-y-3 overflow-y-auto px-4 py-3" aria-live="polite" data-testid="command-log">
          {continuing ? <p className="text-xs text-slate-600">Continuing {continuing}.</p> : null}
          {exchanges.length === 0 ? (
            <p className="text-sm text-slate-600">
              Ask in plain words: &ldquo;show my open tickets&rdquo;, &ldquo;how many P1s this week?&rdquo;
              {ticketKey ? <>, &ldquo;take it&rdquo; (this ticket, {ticketKey})</> : null}, or &ldquo;help&rdquo;.
            </p>
          ) : null}
          {exchanges.map((x) => (
            <div key={x.id} className="space-y-1.5" data-testid="command-exchange">
              <p className="text-sm">
                <span className="sr-only">You asked: </span>
                <span className="rounded-md bg-slate-100 px-2 py-0.5 font-medium text-slate-900">{x.asked}</span>
              </p>
              {x.answer ? (
                <ResultView
                  response={x.answer}
                  actions={
                    x.settled
                      ? { fill: setText }
                      : {
                          busy,
                          fill: (c) => {
                            setText(c);
                            inputRef.current?.focus();
                          },
                          send: (c) => void run(c, { text: c }),
                          confirm: (token) => {
                            settle(x.id);
                            void run("Confirm", { confirm: token });
                          },
                          cancel: () => {
                            settle(x.id);
                            setExchanges((xs) => [...xs, { id: nextId.current++, asked: "Cancel", answer: { op: "bulk", ok: true, data: null, message: "Cancelled; nothing was changed." } }]);
                            inputRef.current?.focus();
                          },
                        }
                  }
                />
              ) : (
                <p className="text-sm text-slate-600" role="status">
                  Working…
                </p>
              )}
            </div>
          ))}
        </div>

        <form onSubmit={onSubmit} className="flex items-center gap-2 border-t border-slate-200 px-4 py-3" aria-busy={busy}>
          <label htmlFor={`${id}-input`} className="sr-only">
            Command
          </label>
          <input
            ref={inputRef}
            id={`${id}-input`}
            type="text"
            autoComplete="off"
            value={text}
            maxLength={COMMAND_MAX}
            onChange={(e) => setText(e.target.value)}
            placeholder={ticketKey ? `A command, e.g. "take it" (${ticketKey})` : 'A command, e.g. "show my open tickets"'}
            className={controlClass}
            data-testid="command-input"
          />
          <Button type="submit" disabled={busy || !text.trim()}>
            {busy ? "Working…" : "Ask"}
          </Button>
        </form>
        <p id={`${id}-hint`} className="sr-only">
          Type a command and press Enter. Escape closes.
        </p>
      </div>
    </div>
  ) : null;

  return (
    <>
      <button
        type="button"
        onClick={show}
        aria-keyshortcuts="Control+K Meta+K"
        aria-haspopup="dialog"
        title="Ask assistant (Ctrl+K)"
        className="inline-flex items-center gap-2 rounded-md border border-slate-600 px-2.5 py-1 text-sm font-medium text-slate-100 hover:bg-slate-800 hover:text-white focus-visible:outline-white"
        data-testid="command-bar-open"
      >
        Ask assistant
        <kbd className="hidden rounded bg-slate-700 px-1.5 py-0.5 font-sans text-xs text-slate-100 2xl:inline-block">Ctrl K</kbd>
      </button>
      {dialog ? createPortal(dialog, document.body) : null}
    </>
  );
}
