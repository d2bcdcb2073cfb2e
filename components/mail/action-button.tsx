"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/forms/form-state";
import { Button } from "@/components/ui/button";

export type ActionButtonState = FormState<never, null>;

/**
 * A one-button form that runs a server action (Resend, Replay) and says what happened in a live
 * region. `label` is the button's text, `busyLabel` while it runs.
 */
export function ActionButton({
  label,
  busyLabel,
  action,
  testId,
}: {
  label: string;
  busyLabel: string;
  action: (prev: ActionButtonState) => Promise<ActionButtonState>;
  testId?: string;
}) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={dispatch} className="flex flex-col items-start gap-1">
      <Button type="submit" size="sm" variant="secondary" disabled={pending || state.status === "success"} data-testid={testId}>
        {pending ? busyLabel : label}
      </Button>
      <span role="status" className="text-sm text-slate-700">
        {state.status === "error" ? <span className="text-red-700">{state.message}</span> : state.status === "success" ? state.message : null}
      </span>
    </form>
  );
}
