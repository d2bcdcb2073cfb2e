"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { SlaFormState } from "@/lib/sla/admin/form-errors";

/** Delete in two steps (Delete…, then Yes, delete); then go to `backTo` (or stay and refresh). */
export function DeleteButton({ label, question, action, backTo }: { label: string; question: string; action: (prev: SlaFormState) => Promise<SlaFormState>; backTo?: string }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [state, dispatch, pending] = useActionState(async (prev: SlaFormState) => {
    const next = await action(prev);
    if (next.status === "success") {
      setAsking(false);
      if (backTo) router.push(backTo);
      else router.refresh();
    }
    return next;
  }, { status: "idle" });
  return (
    <div className="space-y-2">
      <div role="alert" className="empty:absolute">
        {state.status === "error" ? <Alert tone="error">{state.message}</Alert> : null}
      </div>
      {asking ? (
        <form action={dispatch} className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-800">{question}</span>
          <Button type="submit" variant="danger" size="sm" disabled={pending}>
            {pending ? "Deleting…" : "Yes, delete"}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setAsking(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => setAsking(true)} aria-label={label}>
          Delete…
        </Button>
      )}
    </div>
  );
}
