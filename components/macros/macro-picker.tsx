"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { buttonClass } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass } from "@/components/ui/field";
import type { MacroDTO, RenderedMacro } from "@/lib/macros/schemas";

/** GET /api/macros; throws a readable message on failure. */
async function fetchMacros(): Promise<MacroDTO[]> {
  const res = await fetch("/api/macros", { headers: { accept: "application/json" } });
  const json = (await res.json().catch(() => null)) as { macros?: MacroDTO[]; error?: { message?: string } } | null;
  if (!res.ok || !json?.macros) throw new Error(json?.error?.message ?? `Macros could not be loaded (${res.status}).`);
  return json.macros;
}

/** POST /api/macros/{id}/render for the ticket; throws a readable message on failure. */
async function renderMacro(id: string, ticketKey: string): Promise<RenderedMacro> {
  const res = await fetch(`/api/macros/${encodeURIComponent(id)}/render`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ ticketKey }),
  });
  const json = (await res.json().catch(() => null)) as (RenderedMacro & { error?: { message?: string } }) | null;
  if (!res.ok || !json || typeof json.body !== "string") throw new Error(json?.error?.message ?? `The macro could not be filled (${res.status}).`);
  return { body: json.body, internal: json.internal, actions: json.actions };
}

/**
 * "Insert macro" in the composer: a button opens a search box (ARIA combobox) over a listbox of
 * the agent's macros (shared and own), filtered by name and text as they type. Arrow keys move,
 * Enter picks, Escape closes and returns focus to the button. The picked macro is rendered for
 * the ticket on the server (placeholders filled, use counted) and handed to `onInsert`.
 */
export function MacroPicker({ ticketKey, onInsert }: { ticketKey: string; onInsert: (m: RenderedMacro & { name: string }) => void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [macros, setMacros] = useState<MacroDTO[] | null>(null);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    inputRef.current?.focus();
    let cancelled = false;
    fetchMacros()
      .then((m) => !cancelled && setMacros(m))
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [open]);

  const q = query.trim().toLowerCase();
  const matches = (macros ?? []).filter((m) => !q || m.name.toLowerCase().includes(q) || m.body.toLowerCase().includes(q)).slice(0, 20);
  const current = Math.min(active, Math.max(0, matches.length - 1));

  /** Close the search; `refocus` returns focus to the button (Escape), not when focus moved elsewhere. */
  function close(refocus: boolean) {
    setOpen(false);
    setQuery("");
    setActive(0);
    setError(null);
    if (refocus) requestAnimationFrame(() => buttonRef.current?.focus());
  }

  async function pick(m: MacroDTO) {
    setBusy(true);
    setError(null);
    try {
      const rendered = await renderMacro(m.id, ticketKey);
      setOpen(false);
      setQuery("");
      setActive(0);
      onInsert({ ...rendered, name: m.name });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive(matches.length ? (current + 1) % matches.length : 0);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive(matches.length ? (current - 1 + matches.length) % matches.length : 0);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (matches[current] && !busy) void pick(matches[current]);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    }
  }

  if (!open) {
    return (
      <button ref={buttonRef} type="button" className={buttonClass("secondary", "sm")} onClick={() => setOpen(true)} aria-haspopup="listbox" data-testid="insert-macro">
        Insert macro
      </button>
    );
  }

  const listId = `${id}-list`;
  return (
    <div className="relative w-full max-w-md" data-testid="macro-picker">
      <label htmlFor={`${id}-search`} className="sr-only">
        Search macros
      </label>
      <input
        ref={inputRef}
        id={`${id}-search`}
        type="text"
        role="combobox"
        aria-expanded={matches.length > 0}
        aria-controls={matches.length > 0 ? listId : undefined}
        aria-autocomplete="list"
        aria-activedescendant={matches[current] ? `${id}-opt-${matches[current].id}` : undefined}
        aria-describedby={`${id}-hint`}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={(e) => {
          if (!e.currentTarget.parentElement?.contains(e.relatedTarget as Node | null)) close(false);
        }}
        placeholder="Search macros by name or text"
        className={cx(controlClass, "py-1")}
        autoComplete="off"
      />
      <p id={`${id}-hint`} className="sr-only">
        Arrow keys choose, Enter inserts, Escape closes.
      </p>
      {error || macros === null || matches.length === 0 ? (
        <p role={error ? "alert" : "status"} className={cx("absolute z-20 mt-1 w-full rounded-md border border-slate-200 bg-white px-3 py-2 text-sm shadow-lg", error ? "text-red-800" : "text-slate-600")}>
          {error ?? (macros === null ? "Loading macros…" : macros.length ? "No macro matches." : "No macros yet. Add them under Macros in the header.")}
        </p>
      ) : (
        <ul id={listId} role="listbox" aria-label="Macros" className="absolute z-20 mt-1 max-h-64 w-full overflow-y-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg">
          {matches.map((m, i) => (
            <li
              key={m.id}
              id={`${id}-opt-${m.id}`}
              role="option"
              aria-selected={i === current}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => void pick(m)}
              onMouseEnter={() => setActive(i)}
              className={cx("cursor-pointer px-3 py-1.5", i === current ? "bg-brand-50 text-brand-900" : "text-slate-800")}
            >
              <span className="font-medium">{m.name}</span>
              <span className="ml-2 text-xs text-slate-600">
                {m.shared ? "Shared" : "Mine"}
                {m.internal ? " · note" : ""}
              </span>
              <span className="block truncate text-xs text-slate-600">{m.body}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
