import type { ReactNode } from "react";
import { cx } from "./cx";

/** Shared look of text inputs, selects and textareas. */
export const controlClass =
  "block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm " +
  "focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 " +
  "aria-[invalid=true]:border-red-600 disabled:bg-slate-100 disabled:text-slate-600";

/** Extra look for a read-only text input (e.g. the e-mail of a signed-in user). */
export const readOnlyClass = "bg-slate-100 text-slate-700";

export function Label({ htmlFor, children, className }: { htmlFor: string; children: ReactNode; className?: string }) {
  return (
    <label htmlFor={htmlFor} className={cx("block text-sm font-medium text-slate-800", className)}>
      {children}
    </label>
  );
}

/** Help text under a field; give it an id and list it in the control's aria-describedby. */
export function Hint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="mt-1 text-xs text-slate-600">
      {children}
    </p>
  );
}

/** A field's error message; rendered only when there is one. Link it with aria-describedby. */
export function FieldError({ id, message }: { id: string; message?: string | null }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-xs font-medium text-red-700">
      {message}
    </p>
  );
}

/** The ids to put in aria-describedby: the hint always, the error when present. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length ? list.join(" ") : undefined;
}
