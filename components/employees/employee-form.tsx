"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { SENIORITIES } from "@/db/schema/routing";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { CreateEmployeeSchema, UpdateEmployeeSchema, type EmployeeDTO } from "@/lib/routing/employees/schemas";
import type { EmployeeField, EmployeeFormInput, EmployeeFormState } from "./form-state";

const DAYS = [
  [1, "Mon"], [2, "Tue"], [3, "Wed"], [4, "Thu"], [5, "Fri"], [6, "Sat"], [7, "Sun"],
] as const;
const ORDER: readonly EmployeeField[] = ["name", "email", "team", "department", "skills", "seniority", "maxOpenTickets", "timeZone", "workHours", "workDays", "active"];

interface Values {
  name: string;
  email: string;
  team: string;
  department: string;
  skills: string;
  seniority: string;
  maxOpenTickets: string;
  timeZone: string;
  workHours: string;
  workDays: number[];
  active: boolean;
}

function initialValues(e: EmployeeDTO | null): Values {
  if (!e) {
    return { name: "", email: "", team: "", department: "", skills: "", seniority: "mid", maxOpenTickets: "10", timeZone: "UTC", workHours: "09:00-17:00", workDays: [1, 2, 3, 4, 5], active: true };
  }
  return {
    name: e.name, email: e.email, team: e.team ?? "", department: e.department, skills: e.skills.join(", "), seniority: e.seniority,
    maxOpenTickets: String(e.maxOpenTickets), timeZone: e.timeZone, workHours: e.workHours, workDays: e.workDays, active: e.active,
  };
}

/**
 * Create or edit an employee skill profile (admins): name, e-mail, team, department, skills
 * (comma-separated), seniority, max open tickets, IANA time zone, working hours and days,
 * active. Checked with the API's zod schema before sending; server errors (409 e-mail taken,
 * 422 unknown team) come back as field errors.
 */
export function EmployeeForm({
  employee,
  teams,
  timeZones,
  action,
  cancelHref,
}: {
  /** Null: a new employee. */
  employee: EmployeeDTO | null;
  teams: { slug: string; name: string }[];
  /** IANA names offered as suggestions (any valid name is accepted). */
  timeZones: readonly string[];
  action: (prev: EmployeeFormState, input: EmployeeFormInput) => Promise<EmployeeFormState>;
  cancelHref?: string;
}) {
  const id = useId();
  const fid = (f: string) => `${id}-${f}`;
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [values, setValues] = useState<Values>(() => initialValues(employee));
  const [clientErrors, setClientErrors] = useState<Partial<Record<EmployeeField, string>>>({});
  const [clearedFor, setClearedFor] = useState<string | null>(null);

  if (!employee && state.status === "success" && state.data.id !== clearedFor) {
    setClearedFor(state.data.id);
    setValues(initialValues(null));
  }

  const serverErrors = state.status === "error" ? state.fieldErrors : {};
  const errorOf = (f: EmployeeField) => clientErrors[f] ?? serverErrors[f];
  const set = <K extends keyof Values>(field: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setClientErrors((e) => ({ ...e, [field]: undefined }));
  };
  const teamName = (slug: string) => teams.find((t) => t.slug === slug)?.name ?? "";
  // The department follows the team while it is empty or still the old team's name.
  const changeTeam = (slug: string) => {
    if (values.department === "" || values.department === teamName(values.team)) set("department", teamName(slug));
    set("team", slug);
  };
  const aria = (f: EmployeeField, hint = false) => ({
    "aria-invalid": errorOf(f) ? true : undefined,
    "aria-describedby": describedBy(hint && fid(`${f}-hint`), errorOf(f) && fid(`${f}-error`)),
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input: EmployeeFormInput = {
      name: values.name,
      email: values.email,
      team: values.team || null,
      department: values.department,
      skills: values.skills,
      seniority: values.seniority,
      maxOpenTickets: values.maxOpenTickets.trim() === "" ? Number.NaN : Number(values.maxOpenTickets),
      timeZone: values.timeZone,
      workHours: values.workHours,
      workDays: values.workDays,
      active: values.active,
    };
    const parsed = (employee ? UpdateEmployeeSchema : CreateEmployeeSchema).safeParse(input);
    if (!parsed.success) {
      const errs = fieldErrorsFromIssues<EmployeeField>(parsed.error.issues);
      if (errs.maxOpenTickets) errs.maxOpenTickets = "Enter a whole number from 0 to 1000.";
      if (errs.workDays) errs.workDays = "Choose at least one working day.";
      setClientErrors(errs);
      const first = ORDER.find((f) => errs[f]);
      if (first) document.getElementById(fid(first))?.focus();
      return;
    }
    setClientErrors({});
    startTransition(() => dispatch(employee ? { ...input, id: employee.id } : input));
  }

  const hasClientErrors = ORDER.some((f) => clientErrors[f]);
  const title = employee ? `Edit ${employee.name}` : "New employee";

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-labelledby={fid("h")} aria-busy={pending} data-testid="employee-form">
      <h2 id={fid("h")} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      <FormMessages state={state} hasClientErrors={hasClientErrors} />

      <div>
        <Label htmlFor={fid("name")}>Name</Label>
        <input id={fid("name")} value={values.name} onChange={(e) => set("name", e.target.value)} maxLength={120} autoComplete="off" className={cx(controlClass, "mt-1")} {...aria("name")} />
        <FieldError id={fid("name-error")} message={errorOf("name")} />
      </div>
      <div>
        <Label htmlFor={fid("email")}>E-mail</Label>
        <input id={fid("email")} type="email" value={values.email} onChange={(e) => set("email", e.target.value)} maxLength={254} autoComplete="off" className={cx(controlClass, "mt-1")} {...aria("email", true)} />
        <Hint id={fid("email-hint")}>They are assigned tickets as the user with this address; a new address gets an invitation.</Hint>
        <FieldError id={fid("email-error")} message={errorOf("email")} />
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <Label htmlFor={fid("team")}>Team</Label>
          <select id={fid("team")} value={values.team} onChange={(e) => changeTeam(e.target.value)} className={cx(controlClass, "mt-1")} {...aria("team")}>
            <option value="">No team</option>
            {teams.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
          <FieldError id={fid("team-error")} message={errorOf("team")} />
        </div>
        <div>
          <Label htmlFor={fid("department")}>Department (optional)</Label>
          <input id={fid("department")} value={values.department} onChange={(e) => set("department", e.target.value)} maxLength={80} autoComplete="off" className={cx(controlClass, "mt-1")} {...aria("department")} />
          <FieldError id={fid("department-error")} message={errorOf("department")} />
        </div>
      </div>
      <div>
        <Label htmlFor={fid("skills")}>Skills</Label>
        <textarea id={fid("skills")} rows={2} value={values.skills} onChange={(e) => set("skills", e.target.value)} className={cx(controlClass, "mt-1")} {...aria("skills", true)} />
        <Hint id={fid("skills-hint")}>Separated by commas, e.g. vpn, cisco, active directory.</Hint>
        <FieldError id={fid("skills-error")} message={errorOf("skills")} />
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <Label htmlFor={fid("seniority")}>Seniority</Label>
          <select id={fid("seniority")} value={values.seniority} onChange={(e) => set("seniority", e.target.value)} className={cx(controlClass, "mt-1")} {...aria("seniority")}>
            {SENIORITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <FieldError id={fid("seniority-error")} message={errorOf("seniority")} />
        </div>
        <div>
          <Label htmlFor={fid("maxOpenTickets")}>Max open tickets</Label>
          <input id={fid("maxOpenTickets")} inputMode="numeric" value={values.maxOpenTickets} onChange={(e) => set("maxOpenTickets", e.target.value)} className={cx(controlClass, "mt-1")} {...aria("maxOpenTickets")} />
          <FieldError id={fid("maxOpenTickets-error")} message={errorOf("maxOpenTickets")} />
        </div>
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <Label htmlFor={fid("timeZone")}>Time zone</Label>
          <input id={fid("timeZone")} list={fid("tz-list")} value={values.timeZone} onChange={(e) => set("timeZone", e.target.value)} maxLength={64} autoComplete="off" spellCheck={false} className={cx(controlClass, "mt-1")} {...aria("timeZone", true)} />
          <datalist id={fid("tz-list")}>
            {timeZones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <Hint id={fid("timeZone-hint")}>An IANA name, e.g. Europe/Berlin.</Hint>
          <FieldError id={fid("timeZone-error")} message={errorOf("timeZone")} />
        </div>
        <div>
          <Label htmlFor={fid("workHours")}>Working hours</Label>
          <input id={fid("workHours")} value={values.workHours} onChange={(e) => set("workHours", e.target.value)} maxLength={40} autoComplete="off" className={cx(controlClass, "mt-1")} {...aria("workHours", true)} />
          <Hint id={fid("workHours-hint")}>Local time, e.g. 09:00-17:00.</Hint>
          <FieldError id={fid("workHours-error")} message={errorOf("workHours")} />
        </div>
      </div>
      <fieldset aria-describedby={errorOf("workDays") ? fid("workDays-error") : undefined}>
        <legend className="text-sm font-medium text-slate-800">Working days</legend>
        <div id={fid("workDays")} tabIndex={-1} className="mt-1 flex flex-wrap gap-3">
          {DAYS.map(([d, label]) => (
            <label key={d} className="inline-flex items-center gap-1.5 text-sm text-slate-800">
              <input
                type="checkbox"
                checked={values.workDays.includes(d)}
                onChange={(e) => set("workDays", e.target.checked ? [...values.workDays, d].sort((a, b) => a - b) : values.workDays.filter((x) => x !== d))}
              />
              {label}
            </label>
          ))}
        </div>
        <FieldError id={fid("workDays-error")} message={errorOf("workDays")} />
      </fieldset>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input id={fid("active")} type="checkbox" checked={values.active} onChange={(e) => set("active", e.target.checked)} />
        Active (inactive employees are never assigned)
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : employee ? "Save changes" : "Create employee"}
        </Button>
        {cancelHref ? (
          <a href={cancelHref} className="text-sm text-brand-700 underline underline-offset-2">
            {employee ? "Close" : "Cancel"}
          </a>
        ) : null}
      </div>
    </form>
  );
}
