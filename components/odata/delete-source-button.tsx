"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { SourceFormState } from "./source-input";

/** Delete a source in two steps (Delete…, then Yes, delete); back to the list when done. */
export function DeleteSourceButton({ name, action }: { name: string; action: (prev: SourceFormState) => Promise<SourceFormState> }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [state, dispatch, pending] = useActionState(async (prev: SourceFormState) => {
    const next = await action(prev);
    if (next.status === "success") router.push("/admin/odata");
    return next;
  }, { status: "idle" });
  return (
    <div className="space-y-2">
      <div role="alert" className="empty:absolute">
        {state.status === "error" ? <Alert tone="error">{state.message}</Alert> : null}
      </div>
      {asking ? (
        <form action={dispatch} className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-800">Delete {name} and its runs? Its tickets stay.</span>
          <Button type="submit" variant="danger" size="sm" disabled={pending}>
            {pending ? "Deleting…" : "Yes, delete"}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setAsking(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => setAsking(true)}>
          Delete…
        </Button>
      )}
    </div>
  );
}
