"use client";

import { startTransition, useActionState, useId, useState } from "react";
import type { AssignmentMode } from "@/db/schema/routing";
import type { FormState } from "@/lib/forms/form-state";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass } from "@/components/ui/field";

export type AssignmentModeState = FormState<"assignmentMode", { assignmentMode: AssignmentMode }>;

export const ASSIGNMENT_MODE_LABEL: Record<AssignmentMode, string> = {
  auto: "Automatic (skills)",
  round_robin: "Round-robin",
  manual: "Manual",
};

/** A team's assignment mode with its own Save button (the teams table's "Assignment" cell). */
export function AssignmentModeSelect({
  teamName,
  current,
  action,
}: {
  teamName: string;
  current: AssignmentMode;
  action: (prev: AssignmentModeState, input: unknown) => Promise<AssignmentModeState>;
}) {
  const id = useId();
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [mode, setMode] = useState<AssignmentMode>(current);
  const dirty = mode !== current;
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) startTransition(() => dispatch({ assignmentMode: mode }));
      }}
    >
      <label htmlFor={`${id}-mode`} className="sr-only">
        Assignment for {teamName}
      </label>
      <select id={`${id}-mode`} value={mode} onChange={(e) => setMode(e.target.value as AssignmentMode)} className={cx(controlClass, "w-auto py-1")}>
        {(Object.keys(ASSIGNMENT_MODE_LABEL) as AssignmentMode[]).map((m) => (
          <option key={m} value={m}>
            {ASSIGNMENT_MODE_LABEL[m]}
          </option>
        ))}
      </select>
      <Button type="submit" size="sm" variant="secondary" disabled={pending || !dirty} aria-label={`Save assignment for ${teamName}`}>
        {pending ? "Saving…" : "Save"}
      </Button>
      <span role="status" className="text-xs text-slate-700">
        {state.status === "error" ? <span className="text-red-700">{state.message}</span> : state.status === "success" && !dirty ? state.message : null}
      </span>
    </form>
  );
}
