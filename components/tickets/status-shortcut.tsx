"use client";

import { useShortcuts } from "@/components/ui/shortcuts";

/**
 * Registers the ticket page's `s` shortcut: focus the status control of the Properties card
 * (the element marked `data-shortcut-target="status"`), scrolled into view. Renders nothing.
 */
export function StatusShortcut() {
  useShortcuts([
    {
      keys: "s",
      description: "Change the status",
      group: "Ticket",
      handler: () => {
        const el = document.querySelector<HTMLElement>('[data-shortcut-target="status"]');
        el?.scrollIntoView({ block: "center" });
        el?.focus();
      },
      when: () => !!document.querySelector('[data-shortcut-target="status"]:not(:disabled)'),
    },
  ]);
  return null;
}
