import type { ReactNode } from "react";
import { cx } from "./cx";

type Tone = "info" | "success" | "warning" | "error";

const tones: Record<Tone, string> = {
  info: "border-sky-200 bg-sky-50 text-sky-900",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  error: "border-red-200 bg-red-50 text-red-900",
};

/**
 * A message box. `live` makes it an announcement: `role="alert"` for errors, `role="status"`
 * otherwise. Static notices (e.g. an explanation on page load) leave `live` off.
 */
export function Alert({
  tone = "info",
  title,
  children,
  live = false,
  className,
  id,
}: {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  live?: boolean;
  className?: string;
  id?: string;
}) {
  const role = live ? (tone === "error" ? "alert" : "status") : undefined;
  return (
    <div id={id} role={role} className={cx("rounded-md border px-3 py-2 text-sm", tones[tone], className)}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? "mt-0.5" : undefined}>{children}</div> : null}
    </div>
  );
}

/**
 * The live regions of a form: the server's error (`role="alert"`) or success (`role="status"`)
 * message, both kept mounted (empty) so screen readers announce what appears. While the form
 * shows client-side field errors the server's message is hidden; `clientErrorNote` is shown then.
 */
export function FormMessages({
  state,
  hasClientErrors,
  clientErrorNote,
}: {
  state: { status: string; message?: string | null };
  hasClientErrors: boolean;
  clientErrorNote?: string;
}) {
  return (
    <>
      <div role="alert" className="empty:absolute">
        {state.status === "error" && !hasClientErrors ? <Alert tone="error">{state.message}</Alert> : null}
        {hasClientErrors && clientErrorNote ? <Alert tone="error">{clientErrorNote}</Alert> : null}
      </div>
      <div role="status" className="empty:absolute">
        {state.status === "success" && !hasClientErrors ? (
          <Alert tone="success" className="font-medium">
            {state.message}
          </Alert>
        ) : null}
      </div>
    </>
  );
}
