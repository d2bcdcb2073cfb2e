"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/forms/form-state";
import { Button } from "@/components/ui/button";

type RetryState = FormState<never, { pushId: number }>;

/** The dead-letter list's Retry button: queues the push again and says so (or why not). */
export function RetryPushButton({ label, action }: { label: string; action: (prev: RetryState) => Promise<RetryState> }) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={dispatch} className="flex flex-col items-start gap-1">
      <Button type="submit" size="sm" variant="secondary" disabled={pending || state.status === "success"} aria-label={label}>
        {pending ? "Retrying…" : state.status === "success" ? "Queued" : "Retry"}
      </Button>
      <span role="status" className="text-xs text-slate-700">
        {state.status === "error" ? <span className="text-red-700">{state.message}</span> : state.status === "success" ? state.message : null}
      </span>
    </form>
  );
}
