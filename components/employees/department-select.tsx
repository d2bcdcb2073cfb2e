"use client";

import { useCallback, useId, useRef, useState } from "react";
import { SubmitTicketForm, type SubmitTicketFormProps } from "@/components/tickets/submit-ticket-form";
import type { SubmitTicketState } from "@/components/tickets/submit-form-state";
import { cx } from "@/components/ui/cx";
import { controlClass, Hint, Label } from "@/components/ui/field";
import type { DepartmentDTO } from "@/lib/routing/employees/schemas";

/**
 * The /submit form with an optional "Department" select above it (seed 002's department
 * dropdown): the chosen department's slug is sent as `team`, which wins over the team the
 * category routes to. Empty: the AI suggestion's routing applies, as before. The select sits
 * outside the ticket form's own fields, so the form (components/tickets) is used unchanged:
 * its submit action is wrapped to add `team`.
 */
export function SubmitWithDepartment({ departments, ...props }: SubmitTicketFormProps & { departments: DepartmentDTO[] }) {
  const id = useId();
  const [team, setTeam] = useState("");
  const teamRef = useRef("");
  const { submitAction } = props;
  const action = useCallback(
    (prev: SubmitTicketState, input: unknown) => {
      const withTeam = teamRef.current && input && typeof input === "object" ? { ...(input as Record<string, unknown>), team: teamRef.current } : input;
      return submitAction(prev, withTeam);
    },
    [submitAction],
  );
  return (
    <div className="space-y-4">
      {departments.length > 0 ? (
        <div>
          <Label htmlFor={`${id}-department`}>Department (optional)</Label>
          <select
            id={`${id}-department`}
            value={team}
            onChange={(e) => {
              teamRef.current = e.target.value;
              setTeam(e.target.value);
            }}
            aria-describedby={`${id}-department-hint`}
            className={cx(controlClass, "mt-1")}
            data-testid="department-select"
          >
            <option value="">Not sure: route it for me</option>
            {departments.map((d) => (
              <option key={d.slug} value={d.slug}>
                {d.name}
              </option>
            ))}
          </select>
          <Hint id={`${id}-department-hint`}>Choose the department that should handle this, if you know it. It overrides the suggested team.</Hint>
        </div>
      ) : null}
      <SubmitTicketForm {...props} submitAction={action} />
    </div>
  );
}
