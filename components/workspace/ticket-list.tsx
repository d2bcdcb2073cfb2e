"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { BulkBar } from "@/components/tickets/bulk-bar";
import { TicketCards } from "@/components/tickets/ticket-cards";
import { TicketTable, type RowSelection } from "@/components/tickets/ticket-table";
import { useShortcuts } from "@/components/ui/shortcuts";
import type { TicketListItem } from "@/lib/tickets/list-tickets";

type Option = { value: string; label: string };

/**
 * The agents' ticket list: a table on wide screens, cards on phones, row checkboxes with
 * select-all for the page, the bulk action bar while rows are selected, and the list keys
 * (j/k move a highlight, Enter or o opens, x selects). The selection is kept by key, so it
 * survives the live refresh of the page (rows that leave the page drop out of it).
 */
export function TicketList({
  items,
  categoryName,
  teamName,
  now,
  caption,
  agents,
  categories,
  teams,
}: {
  items: TicketListItem[];
  categoryName: Record<string, string>;
  teamName: Record<string, string>;
  now: number;
  caption: string;
  agents: Option[];
  categories: Option[];
  teams: Option[];
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const keys = useMemo(() => items.map((t) => t.key), [items]);
  const selectedKeys = keys.filter((k) => selected.has(k));

  const toggle = useCallback((key: string) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  const selection: RowSelection = {
    selected,
    toggle,
    toggleAll: (on) => setSelected(on ? new Set(keys) : new Set()),
    focusedKey,
  };

  // From the latest highlight, not this render's: two quick presses land before the re-render.
  const move = (step: number) => {
    if (keys.length === 0) return;
    setFocusedKey((current) => {
      const i = current ? keys.indexOf(current) : -1;
      return keys[Math.min(keys.length - 1, Math.max(0, i < 0 ? (step > 0 ? 0 : keys.length - 1) : i + step))];
    });
  };
  useEffect(() => {
    if (!focusedKey) return;
    for (const el of document.querySelectorAll<HTMLElement>(`[data-ticket-key="${focusedKey}"]`)) {
      if (el.offsetParent !== null) el.scrollIntoView({ block: "nearest" });
    }
  }, [focusedKey]);
  const open = () => {
    if (focusedKey) router.push(`/tickets/${focusedKey}`);
  };
  const hasFocus = () => focusedKey !== null && keys.includes(focusedKey);
  useShortcuts([
    { keys: "j", description: "Next ticket in the list", group: "List", handler: () => move(1) },
    { keys: "k", description: "Previous ticket in the list", group: "List", handler: () => move(-1) },
    { keys: "Enter", description: "Open the highlighted ticket", group: "List", handler: open, when: hasFocus },
    { keys: "o", description: "Open the highlighted ticket", group: "List", handler: open, when: hasFocus },
    { keys: "x", description: "Select or clear the highlighted ticket", group: "List", handler: () => focusedKey && toggle(focusedKey), when: hasFocus },
  ]);

  return (
    <div className="space-y-3">
      {selectedKeys.length > 0 ? (
        <BulkBar selectedKeys={selectedKeys} onDone={() => setSelected(new Set())} agents={agents} categories={categories} teams={teams} />
      ) : null}
      <div className="hidden md:block">
        <TicketTable items={items} categoryName={categoryName} teamName={teamName} now={now} caption={caption} selection={selection} />
      </div>
      <div className="md:hidden">
        <label className="mb-2 flex items-center gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            checked={items.length > 0 && selectedKeys.length === items.length}
            onChange={(e) => selection.toggleAll(e.target.checked)}
            className="h-5 w-5 rounded border-slate-400"
          />
          Select all on this page
        </label>
        <TicketCards items={items} now={now} label={caption} selection={selection} />
      </div>
    </div>
  );
}
