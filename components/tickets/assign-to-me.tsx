"use client";

import { startTransition, useActionState, useRef } from "react";
import type { FormState } from "@/lib/forms/form-state";
import { buttonClass } from "@/components/ui/button";
import { useShortcuts } from "@/components/ui/shortcuts";

type State = FormState<string, { key: string; status: string }>;

/**
 * "Assign to me" in the ticket header (shortcut `a`): the signed-in agent takes the ticket
 * (the action goes through updateTicket). Render it only while the ticket is not already theirs.
 */
export function AssignToMeButton({ action }: { action: (prev: State) => Promise<State> }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const buttonRef = useRef<HTMLButtonElement>(null);
  useShortcuts([
    {
      keys: "a",
      description: "Assign to me",
      group: "Ticket",
      handler: () => {
        buttonRef.current?.focus();
        startTransition(() => formAction());
      },
      when: () => !pending,
    },
  ]);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <button ref={buttonRef} type="submit" className={buttonClass("secondary", "sm")} disabled={pending} aria-keyshortcuts="a">
        {pending ? "Assigning…" : "Assign to me"}
      </button>
      <span role="status" className="text-sm">
        {state.status === "error" ? <span className="text-red-800">{state.message}</span> : null}
      </span>
    </form>
  );
}
