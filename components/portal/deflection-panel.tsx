"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { DeflectionSuggestion } from "@/lib/portal/deflection";
import { postJson } from "./post-json";

/** Ask once the description has this many characters (the schema's minimum for a ticket). */
const MIN_CHARS = 10;
/** Wait this long after the last keystroke before asking. */
const DEBOUNCE_MS = 600;

/**
 * "Maybe this helps" on /submit: as the requester types, the answers agents gave on similar
 * resolved tickets (POST /api/deflections/suggest, debounced). Only each answer and its
 * category are shown, never another requester's title or text. "This solved my problem"
 * counts a deflection (POST /api/deflections) and calls `onSolved`, so no ticket is filed.
 * Renders nothing while there is no suggestion.
 */
export function DeflectionPanel({ title, description, onSolved }: { title: string; description: string; onSolved: (key: string) => void }) {
  const id = useId();
  const [items, setItems] = useState<DeflectionSuggestion[]>([]);
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const text = description.trim();
    if (text.length < MIN_CHARS) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      void postJson<{ suggestions: DeflectionSuggestion[] }>("/api/deflections/suggest", {
        ...(title.trim() ? { title: title.trim() } : {}),
        description: text,
      }).then((r) => {
        // Only the newest answer counts; failures keep the last suggestions (this is only a hint).
        if (mine === seq.current && r.ok) setItems(r.data.suggestions);
      });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [title, description]);

  async function solved(key: string) {
    setBusyKey(key);
    setError(null);
    const r = await postJson("/api/deflections", { ticketKey: key });
    setBusyKey(null);
    if (!r.ok) return setError(r.message);
    onSolved(key);
  }

  const visible = description.trim().length >= MIN_CHARS ? items : [];
  return (
    <div aria-live="polite">
      {visible.length > 0 ? (
        <section aria-labelledby={`${id}-h`} className="rounded-md border border-emerald-200 bg-emerald-50/60 p-4" data-testid="deflection">
          <h2 id={`${id}-h`} className="text-sm font-semibold text-slate-900">
            Maybe this helps
          </h2>
          <p className="text-xs text-slate-700">How our agents solved similar requests. If one of these answers your question, you do not need to send a ticket.</p>
          {error ? (
            <p role="alert" className="mt-2 text-sm font-medium text-red-700">
              {error}
            </p>
          ) : null}
          <ul className="mt-3 space-y-2">
            {visible.map((s) => (
              <li key={s.key} className="rounded-md border border-slate-200 bg-white px-3 py-2 text-sm" data-testid="deflection-item">
                <p className="text-xs font-medium text-slate-600">{s.categoryName}</p>
                <p id={`${id}-${s.key}`} className="mt-1 whitespace-pre-wrap break-words text-slate-900">
                  {s.resolution}
                </p>
                <Button
                  size="sm"
                  variant="secondary"
                  className="mt-2"
                  disabled={busyKey !== null}
                  aria-describedby={`${id}-${s.key}`}
                  onClick={() => void solved(s.key)}
                >
                  {busyKey === s.key ? "Saving…" : "This solved my problem"}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
