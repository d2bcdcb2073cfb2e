"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FormState } from "@/lib/forms/form-state";

/** "Run now" for one source: queues a pull and says so (the run appears as running). */
export function RunNowButton({ label, action }: { label: string; action: (prev: FormState<never, { runId: string }>) => Promise<FormState<never, { runId: string }>> }) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={dispatch} className="flex flex-wrap items-center gap-2">
      <Button type="submit" size="sm" variant="secondary" disabled={pending} aria-label={label}>
        {pending ? "Queuing…" : "Run now"}
      </Button>
      <span role="status" className="text-xs">
        {state.status === "success" ? <span className="text-emerald-800">{state.message}</span> : null}
      </span>
      <span role="alert" className="empty:absolute">
        {state.status === "error" ? <Alert tone="error">{state.message}</Alert> : null}
      </span>
    </form>
  );
}
