"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/forms/form-state";
import { Button } from "@/components/ui/button";

type State = FormState<string, { key: string; status: string }>;

/** "Confirm triage": takes a low-confidence ticket off the review queue as it is. */
export function ConfirmTriageButton({ action }: { action: (prev: State) => Promise<State> }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="flex items-center gap-2">
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        {pending ? "Confirming…" : "Confirm triage"}
      </Button>
      <span role="status" className="text-sm">
        {state.status === "error" ? <span className="text-red-800">{state.message}</span> : null}
      </span>
    </form>
  );
}
