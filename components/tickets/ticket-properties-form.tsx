"use client";

import { startTransition, useActionState, useId, useState, type FormEvent, type ReactNode } from "react";
import type { FormState } from "@/lib/forms/form-state";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint } from "@/components/ui/field";
import { PRIORITIES, WAITING_REASONS, type Priority, type Status, type WaitingReason } from "@/db/schema/enums";
import { PRIORITY_LABEL, STATUS_LABEL, WAITING_REASON_LABEL } from "./labels";

type Field = "status" | "waitingReason" | "priority" | "category" | "team" | "assignee" | "resolution" | "needsReview";
type State = FormState<Field, { key: string; status: string }>;

interface Option {
  value: string;
  label: string;
}

export interface TicketProperties {
  status: Status;
  /** On whom the ticket waits; used only while the status is (or is set to) `waiting`. Pass `requester` otherwise. */
  waitingReason: WaitingReason;
  priority: Priority;
  category: string;
  team: string;
  assignee: string;
  resolution: string;
}

/**
 * The agent's edit panel: status (only legal next statuses are offered) with "Waiting on"
 * (requester or third party) while the status is waiting, priority, category, team, assignee
 * and resolution. Sends only the fields that changed (the waiting reason only with status
 * waiting); errors from the service (e.g. an illegal transition) are shown in place.
 */
export function TicketPropertiesForm({
  ticketKey,
  version,
  current,
  nextStatuses,
  categories,
  teams,
  agents,
  action,
}: {
  ticketKey: string;
  /** Changes whenever the ticket changes (its updatedAt): the form then shows the saved values. */
  version: string;
  current: TicketProperties;
  nextStatuses: readonly Status[];
  categories: (Option & { team: string })[];
  teams: Option[];
  agents: Option[];
  action: (prev: State, patch: unknown) => Promise<State>;
}) {
  const id = useId();
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [values, setValues] = useState<TicketProperties>(current);
  const [seenVersion, setSeenVersion] = useState(version);
  const [localMessage, setLocalMessage] = useState<string | null>(null);
  const [teamTouched, setTeamTouched] = useState(false);

  // The ticket changed on the server (our save or someone else's): show the stored values.
  if (version !== seenVersion) {
    setSeenVersion(version);
    setValues(current);
    setTeamTouched(false);
  }

  const waiting = values.status === "waiting";
  const patch: Partial<Record<Field, string>> = {};
  (Object.keys(values) as (keyof TicketProperties)[]).forEach((k) => {
    if (k !== "waitingReason" && values[k] !== current[k]) patch[k] = values[k];
  });
  // The reason goes only with status waiting (the service refuses it with any other status):
  // always when moving to waiting, otherwise when it changed on a waiting ticket.
  if (waiting && (patch.status !== undefined || values.waitingReason !== current.waitingReason)) patch.waitingReason = values.waitingReason;
  const dirty = Object.keys(patch).length > 0;

  function set<K extends keyof TicketProperties>(k: K, v: TicketProperties[K]) {
    setLocalMessage(null);
    setValues((prev) => {
      const next = { ...prev, [k]: v };
      // The team follows the category unless the agent picked a team themselves.
      if (k === "category" && !teamTouched) {
        next.team = categories.find((c) => c.value === v)?.team ?? prev.team;
      }
      return next;
    });
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!dirty) {
      setLocalMessage("Nothing to save: no field changed.");
      return;
    }
    const body: Record<string, string> = { ...patch } as Record<string, string>;
    // A category change re-routes on the server; send the team only when the agent chose one.
    if (!teamTouched) delete body.team;
    startTransition(() => dispatch(body));
  }

  const err = (f: Field) => (state.status === "error" ? state.fieldErrors[f] : undefined);
  const statusOptions: Status[] = [current.status, ...nextStatuses.filter((s) => s !== current.status)];
  const closed = current.status === "closed";

  const row = (name: keyof TicketProperties, label: string, control: ReactNode, hint?: string) => (
    <div>
      <label htmlFor={`${id}-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <div className="mt-1">{control}</div>
      {hint ? <Hint id={`${id}-${name}-hint`}>{hint}</Hint> : null}
      <FieldError id={`${id}-${name}-error`} message={err(name)} />
    </div>
  );
  const aria = (name: keyof TicketProperties, hint?: boolean) => ({
    "aria-invalid": err(name) ? true : undefined,
    "aria-describedby": describedBy(hint && `${id}-${name}-hint`, err(name) && `${id}-${name}-error`),
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={`Edit ${ticketKey}`}>
      {row(
        "status",
        "Status",
        <select
          id={`${id}-status`}
          data-shortcut-target="status"
          value={values.status}
          disabled={closed}
          onChange={(e) => set("status", e.target.value as Status)}
          className={cx(controlClass, "py-1")}
          {...aria("status", closed)}
        >
          {statusOptions.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
              {s === current.status ? " (current)" : ""}
            </option>
          ))}
        </select>,
        closed ? "Closed tickets are final." : undefined,
      )}
      {waiting
        ? row(
            "waitingReason",
            "Waiting on",
            <select
              id={`${id}-waitingReason`}
              value={values.waitingReason}
              onChange={(e) => set("waitingReason", e.target.value as WaitingReason)}
              className={cx(controlClass, "py-1")}
              {...aria("waitingReason")}
            >
              {WAITING_REASONS.map((r) => (
                <option key={r} value={r}>
                  {WAITING_REASON_LABEL[r]}
                </option>
              ))}
            </select>,
          )
        : null}
      {row(
        "priority",
        "Priority",
        <select id={`${id}-priority`} value={values.priority} onChange={(e) => set("priority", e.target.value as Priority)} className={cx(controlClass, "py-1")} {...aria("priority")}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {PRIORITY_LABEL[p]}
            </option>
          ))}
        </select>,
      )}
      {row(
        "category",
        "Category",
        <select id={`${id}-category`} value={values.category} onChange={(e) => set("category", e.target.value)} className={cx(controlClass, "py-1")} {...aria("category")}>
          {categories.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>,
      )}
      {row(
        "team",
        "Team",
        <select
          id={`${id}-team`}
          value={values.team}
          onChange={(e) => {
            setTeamTouched(true);
            set("team", e.target.value);
          }}
          className={cx(controlClass, "py-1")}
          {...aria("team", true)}
        >
          <option value="">No team</option>
          {teams.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>,
        "Follows the category unless you pick one.",
      )}
      {row(
        "assignee",
        "Assignee",
        <select id={`${id}-assignee`} value={values.assignee} onChange={(e) => set("assignee", e.target.value)} className={cx(controlClass, "py-1")} {...aria("assignee")}>
          <option value="">Unassigned</option>
          {agents.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>,
      )}
      {row(
        "resolution",
        "Resolution",
        <textarea
          id={`${id}-resolution`}
          rows={3}
          value={values.resolution}
          onChange={(e) => set("resolution", e.target.value)}
          maxLength={5000}
          className={cx(controlClass, "py-1")}
          {...aria("resolution", true)}
        />,
        "What fixed it; shown to agents and kept with the ticket.",
      )}

      <div role="status" className="text-sm empty:absolute">
        {localMessage ? <p className="text-slate-700">{localMessage}</p> : null}
        {!localMessage && state.status === "success" && !dirty ? <p className="font-medium text-emerald-800">{state.message}</p> : null}
      </div>
      <div role="alert" className="empty:absolute">{state.status === "error" ? <Alert tone="error">{state.message}</Alert> : null}</div>

      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
        {dirty ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setValues(current);
              setTeamTouched(false);
            }}
          >
            Discard
          </Button>
        ) : null}
      </div>
    </form>
  );
}
