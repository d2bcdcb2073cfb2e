"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import type { FormState } from "@/lib/forms/form-state";
import { Alert } from "./alert";
import { Button } from "./button";

/**
 * Delete in two steps ("Delete…", then "Yes, delete") through a server action returning a
 * {@link FormState}; on success go to `backTo`, or stay and refresh. The action's error message
 * is announced (role=alert).
 */
export function ConfirmDeleteButton<D>({
  question,
  action,
  backTo,
  label,
}: {
  /** Shown next to the confirm button, e.g. "Delete VPN mapping and its push history?". */
  question: string;
  action: (prev: FormState<string, D>) => Promise<FormState<string, D>>;
  backTo?: string;
  /** Accessible name of the first button when "Delete…" alone is ambiguous (several on a page). */
  label?: string;
}) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [state, dispatch, pending] = useActionState(
    async (prev: FormState<string, D>) => {
      const next = await action(prev);
      if (next.status === "success") {
        setAsking(false);
        if (backTo) router.push(backTo);
        else router.refresh();
      }
      return next;
    },
    { status: "idle" },
  );
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
