import type { KeyboardEvent as ReactKeyboardEvent } from "react";

/** Elements that take keyboard focus, for focus trapping in modal dialogs. */
export const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside `container` (a modal dialog's panel): from the last focusable
 * element Tab wraps to the first and vice versa. Other keys are left alone. Call from the panel's
 * onKeyDown.
 */
export function keepTabInside(e: ReactKeyboardEvent<HTMLElement>, container: HTMLElement | null): void {
  if (e.key !== "Tab" || !container) return;
  const items = Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null);
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (e.shiftKey && (document.activeElement === first || !container.contains(document.activeElement))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
