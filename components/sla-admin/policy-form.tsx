"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import { PRIORITIES, WAITING_REASONS, type Priority, type WaitingReason } from "@/db/schema/enums";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CreatePolicySchema, DURATION_UNITS, UpdatePolicySchema, type DurationUnit } from "@/lib/sla/admin/schemas";
import { Field } from "./form-kit";
import { emptyPolicyValues, policyPayload, type PolicyFormValues } from "./policy-input";
import { issuesToErrors, type SlaFormState } from "@/lib/sla/admin/form-errors";

const UNIT_LABEL: Record<DurationUnit, string> = { minutes: "minutes", hours: "hours", bdays: "business days (8 h)" };
const REASON_LABEL: Record<WaitingReason, string> = { requester: "Waiting for the requester", third_party: "Waiting for a third party" };

type Option = { value: string; label: string };

const options = (list: Option[]) =>
  list.map((o) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  ));

/** Create or edit an SLA policy. With `initial`: edit (sends the whole policy; the API accepts any subset). */
export function PolicyForm({
  action,
  initial,
  categories,
  teams,
  calendars,
  submitLabel,
}: {
  action: (prev: SlaFormState, input: unknown) => Promise<SlaFormState>;
  initial?: PolicyFormValues;
  categories: Option[];
  teams: Option[];
  calendars: Option[];
  submitLabel: string;
}) {
  const uid = useId();
  const fid = (f: string) => `${uid}-${f.replace(/\./g, "-")}`;
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [values, setValues] = useState<PolicyFormValues>(initial ?? emptyPolicyValues(calendars[0]?.value ?? ""));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [resetFor, setResetFor] = useState<string | null>(null);
  if (!initial && state.status === "success" && state.data.id !== resetFor) {
    setResetFor(state.data.id);
    setValues(emptyPolicyValues(calendars[0]?.value ?? ""));
  }
  const serverErrors: Record<string, string | undefined> = state.status === "error" ? state.fieldErrors : {};
  const err = (k: string) => clientErrors[k] ?? serverErrors[k];
  const set = <K extends keyof PolicyFormValues>(k: K, v: PolicyFormValues[K]) => setValues((s) => ({ ...s, [k]: v }));

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const payload = policyPayload(values);
    const parsed = (initial ? UpdatePolicySchema : CreatePolicySchema).safeParse(payload);
    if (!parsed.success) {
      const errs = issuesToErrors(parsed.error.issues);
      setClientErrors(errs);
      document.getElementById(fid(Object.keys(errs)[0]))?.focus();
      return;
    }
    setClientErrors({});
    startTransition(() => dispatch(payload));
  }

  const duration = (key: "firstResponse" | "resolution" | "nextResponse", apiKey: string, label: string, hint?: string) => (
    <Field id={fid(apiKey)} label={label} hint={hint} error={err(apiKey)}>
      {(a) => (
        <div className="flex gap-2">
          <input {...a} inputMode="decimal" value={values[key].value} onChange={(e) => set(key, { ...values[key], value: e.target.value })} className={`${a.className} w-24`} />
          <select
            aria-label={`${label}: unit`}
            value={values[key].unit}
            onChange={(e) => set(key, { ...values[key], unit: e.target.value as DurationUnit })}
            className={`${a.className} w-auto`}
          >
            {(Object.keys(DURATION_UNITS) as DurationUnit[]).map((u) => (
              <option key={u} value={u}>
                {UNIT_LABEL[u]}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={submitLabel}>
      <FormMessages state={state} hasClientErrors={Object.keys(clientErrors).length > 0} clientErrorNote="Please correct the highlighted fields." />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Field id={fid("name")} label="Name" error={err("name")}>
          {(a) => <input {...a} value={values.name} maxLength={80} onChange={(e) => set("name", e.target.value)} />}
        </Field>
        <Field id={fid("priority")} label="Priority" error={err("priority")}>
          {(a) => (
            <select {...a} value={values.priority} onChange={(e) => set("priority", e.target.value as Priority)}>
              {PRIORITIES.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          )}
        </Field>
        <Field id={fid("category")} label="Category (optional)" error={err("category")}>
          {(a) => (
            <select {...a} value={values.category} onChange={(e) => set("category", e.target.value)}>
              <option value="">Any category</option>
              {options(categories)}
            </select>
          )}
        </Field>
        <Field id={fid("team")} label="Team (optional)" error={err("team")}>
          {(a) => (
            <select {...a} value={values.team} onChange={(e) => set("team", e.target.value)}>
              <option value="">Any team</option>
              {options(teams)}
            </select>
          )}
        </Field>
        <Field id={fid("orgDomain")} label="Requester organisation (optional)" hint="E-mail domain, e.g. example.com" error={err("orgDomain")}>
          {(a) => <input {...a} value={values.orgDomain} maxLength={253} spellCheck={false} onChange={(e) => set("orgDomain", e.target.value)} />}
        </Field>
        <Field id={fid("calendarId")} label="Business calendar" error={err("calendarId")}>
          {(a) => (
            <select {...a} value={values.calendarId} onChange={(e) => set("calendarId", e.target.value)}>
              {options(calendars)}
            </select>
          )}
        </Field>
        {duration("firstResponse", "firstResponseS", "First response target")}
        {duration("resolution", "resolutionS", "Resolution target")}
        {duration("nextResponse", "nextResponseS", "Next response target (optional)", "After each requester message; leave empty for none")}
        <Field id={fid("atRiskPct")} label="At risk after (%)" hint="Share of a target used before it shows at risk and warns, 1–99" error={err("atRiskPct")}>
          {(a) => <input {...a} inputMode="numeric" value={values.atRiskPct} onChange={(e) => set("atRiskPct", e.target.value)} />}
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Pause the clock while</legend>
        {WAITING_REASONS.map((r) => (
          <label key={r} className="mt-1 flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              checked={values.pauseOn.includes(r)}
              onChange={(e) => set("pauseOn", e.target.checked ? [...values.pauseOn, r] : values.pauseOn.filter((x) => x !== r))}
            />
            {REASON_LABEL[r]}
          </label>
        ))}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">On a breach</legend>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" checked={values.raisePriority} onChange={(e) => set("raisePriority", e.target.checked)} />
          Raise the priority one step (never above P1)
        </label>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <Field id={fid("escalation.reassignTo")} label="Reassign to" error={err("escalation.reassignTo")}>
            {(a) => (
              <select {...a} value={values.reassignTo} onChange={(e) => set("reassignTo", e.target.value as PolicyFormValues["reassignTo"])}>
                <option value="">Nobody (keep the assignee)</option>
                <option value="lead">The team&apos;s lead</option>
                <option value="team">Another team</option>
              </select>
            )}
          </Field>
          {values.reassignTo === "team" ? (
            <Field id={fid("escalation.teamSlug")} label="Team to move it to" error={err("escalation.teamSlug")}>
              {(a) => (
                <select {...a} value={values.escalationTeam} onChange={(e) => set("escalationTeam", e.target.value)}>
                  <option value="">Choose a team</option>
                  {options(teams)}
                </select>
              )}
            </Field>
          ) : null}
        </div>
      </fieldset>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" checked={values.active} onChange={(e) => set("active", e.target.checked)} />
        Active
      </label>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}
