"use client";

import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { createPortal } from "react-dom";
import { buttonClass } from "./button";
import { keepTabInside } from "./focus-trap";

/*
 * Single-key keyboard shortcuts for the staff desk (issue 12) and the `?` overlay that documents them.
 *
 * Pages register their shortcuts with `useShortcuts([...])`; registrations live in a module-level
 * registry while the registering component is mounted. One window `keydown` listener dispatches a key
 * to the most recently registered shortcut for it whose `when()` holds. Keys are ignored while the user
 * types (input, textarea, select, contenteditable), with Ctrl/Meta/Alt held, inside a dialog, or when
 * another handler already called preventDefault. `ShortcutsOverlay` (mounted once in the site header
 * for staff) opens with `?` and lists every registered shortcut by group.
 */

export interface Shortcut {
  /** The key as `KeyboardEvent.key` reports it: "j", "?", "Enter". Case-sensitive ("A" is Shift+a). */
  keys: string;
  /** What it does, shown in the overlay ("Assign to me"). */
  description: string;
  /** Overlay section ("Ticket", "List", "General"). */
  group: string;
  handler: (e: KeyboardEvent) => void;
  /** Only active while this returns true (checked on each key press). */
  when?: () => boolean;
}

interface Entry {
  id: number;
  shortcut: Shortcut;
}

/** Shortcuts shown in the overlay that are not single keys handled here (the assistant's chord). */
const STATIC_SHORTCUTS: Pick<Shortcut, "keys" | "description" | "group">[] = [
  { keys: "Ctrl+K", description: "Open the assistant (Cmd+K on a Mac)", group: "General" },
  { keys: "Escape", description: "Close a dialog", group: "General" },
];

let entries: Entry[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function publish(next: Entry[]) {
  entries = next;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getSnapshot = () => entries;
const NO_ENTRIES: Entry[] = [];
// Stable: React requires the same snapshot object on every call.
const getServerSnapshot = (): Entry[] => NO_ENTRIES;

const TYPING_SELECTOR = "input, textarea, select, [contenteditable]:not([contenteditable='false'])";
const INTERACTIVE_SELECTOR = "a[href], button, summary, [role='button'], [role='option'], [role='menuitem'], [role='checkbox'], [role='tab']";

/** True when a key press should not trigger a single-key shortcut. */
function ignored(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return true;
  const target = e.target instanceof Element ? e.target : null;
  if (!target) return false;
  if (target.closest(TYPING_SELECTOR)) return true;
  if (target.closest("[role='dialog'], dialog")) return true;
  // Enter and Space belong to the focused button or link.
  if ((e.key === "Enter" || e.key === " ") && target.closest(INTERACTIVE_SELECTOR)) return true;
  return false;
}

function onWindowKeyDown(e: KeyboardEvent) {
  if (ignored(e)) return;
  for (let i = entries.length - 1; i >= 0; i--) {
    const s = entries[i].shortcut;
    if (s.keys !== e.key) continue;
    if (s.when && !s.when()) continue;
    e.preventDefault();
    s.handler(e);
    return;
  }
}

let listening = false;
function ensureListener() {
  if (listening || typeof window === "undefined") return;
  window.addEventListener("keydown", onWindowKeyDown);
  listening = true;
}

/**
 * Registers single-key shortcuts while the calling component is mounted. The latest `handler` and
 * `when` are always used (no need to memoise the list); a change of keys, descriptions or groups
 * re-registers. Later registrations win over earlier ones for the same key.
 */
export function useShortcuts(list: Shortcut[]): void {
  const latest = useRef(list);
  useEffect(() => {
    latest.current = list;
  });
  const signature = list.map((s) => `${s.group}\u0000${s.keys}\u0000${s.description}`).join("\u0001");
  useEffect(() => {
    ensureListener();
    const mine: Entry[] = latest.current.map((s, index) => ({
      id: nextId++,
      shortcut: {
        keys: s.keys,
        description: s.description,
        group: s.group,
        handler: (e) => latest.current[index]?.handler(e),
        when: () => {
          const current = latest.current[index];
          return current ? (current.when ? current.when() : true) : false;
        },
      },
    }));
    publish([...entries, ...mine]);
    return () => {
      const ids = new Set(mine.map((m) => m.id));
      publish(entries.filter((e) => !ids.has(e.id)));
    };
  }, [signature]);
}

/** The registered shortcuts grouped for display; the same key registered twice is listed once. */
function groupShortcuts(list: Entry[]): [string, Pick<Shortcut, "keys" | "description">[]][] {
  const groups = new Map<string, Pick<Shortcut, "keys" | "description">[]>();
  const seen = new Set<string>();
  const all = [...list.map((e) => e.shortcut), ...STATIC_SHORTCUTS];
  for (const s of all) {
    const k = `${s.group}\u0000${s.keys}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const rows = groups.get(s.group) ?? [];
    rows.push({ keys: s.keys, description: s.description });
    groups.set(s.group, rows);
  }
  return [...groups.entries()];
}

/** The `?` overlay: a modal dialog listing the shortcuts registered on the current page. Mount once. */
export function ShortcutsOverlay() {
  const [open, setOpen] = useState(false);
  const list = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  const panelRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const id = useId();

  const show = useCallback(() => {
    const active = document.activeElement;
    returnFocus.current = active instanceof HTMLElement ? active : null;
    setOpen(true);
  }, []);

  const close = useCallback(() => {
    setOpen(false);
    const back = returnFocus.current;
    returnFocus.current = null;
    requestAnimationFrame(() => back?.focus());
  }, []);

  useShortcuts([{ keys: "?", description: "Show keyboard shortcuts", group: "General", handler: show }]);

  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);

  function onKeyDown(e: ReactKeyboardEvent<HTMLDivElement>) {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
      return;
    }
    keepTabInside(e, panelRef.current);
  }

  if (!open) return null;
  const groups = groupShortcuts(list);
  return createPortal(
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-slate-900/40 px-3 pt-[10vh]" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={panelRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        onKeyDown={onKeyDown}
        className="flex max-h-[80vh] w-full max-w-lg flex-col overflow-hidden rounded-lg border border-slate-200 bg-white text-slate-900 shadow-xl"
        data-testid="shortcuts-overlay"
      >
        <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
          <h2 id={`${id}-title`} className="text-sm font-semibold">
            Keyboard shortcuts
          </h2>
          <button ref={closeRef} type="button" className={buttonClass("ghost", "sm")} onClick={close} aria-label="Close keyboard shortcuts">
            Close
          </button>
        </div>
        <div className="space-y-4 overflow-y-auto px-4 py-3">
          {groups.map(([group, rows]) => (
            <section key={group} aria-labelledby={`${id}-${group}`}>
              <h3 id={`${id}-${group}`} className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">
                {group}
              </h3>
              <dl className="divide-y divide-slate-100 text-sm">
                {rows.map((r) => (
                  <div key={r.keys} className="flex items-center justify-between gap-4 py-1.5">
                    <dt className="text-slate-800">{r.description}</dt>
                    <dd>
                      {r.keys.split("+").map((k, i) => (
                        <span key={k}>
                          {i > 0 ? <span aria-hidden="true"> + </span> : null}
                          <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-800">{k}</kbd>
                        </span>
                      ))}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-600">Shortcuts are off while you type in a field. Escape closes.</p>
      </div>
    </div>,
    document.body,
  );
}
