"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import type { CreateTeamField, CreateTeamState } from "./form-state";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { CreateTeamSchema } from "@/lib/admin/schemas";
import { friendlyFieldErrors } from "./messages";
import { slugify } from "./slug";

type Values = Record<CreateTeamField, string>;
const EMPTY: Values = { name: "", slug: "", email: "", description: "" };
const ORDER: readonly CreateTeamField[] = ["name", "slug", "email", "description"];

/** New team (assignment group): name, slug (follows the name until edited), optional queue e-mail and description. */
export function TeamCreateForm({ action }: { action: (prev: CreateTeamState, input: unknown) => Promise<CreateTeamState> }) {
  const id = useId();
  const fid = (f: string) => `${id}-${f}`;
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [values, setValues] = useState<Values>(EMPTY);
  const [slugEdited, setSlugEdited] = useState(false);
  const [clientErrors, setClientErrors] = useState<Partial<Record<CreateTeamField, string>>>({});
  // The slug of the last created record whose form was cleared (slugs are unique, so one per success).
  const [clearedFor, setClearedFor] = useState<string | null>(null);

  if (state.status === "success" && state.data.slug !== clearedFor) {
    setClearedFor(state.data.slug);
    setValues(EMPTY);
    setSlugEdited(false);
  }


  const serverErrors = state.status === "error" ? state.fieldErrors : {};
  const errorOf = (f: CreateTeamField) => clientErrors[f] ?? serverErrors[f];

  function set(field: CreateTeamField, value: string) {
    setValues((v) => ({ ...v, [field]: value, ...(field === "name" && !slugEdited ? { slug: slugify(value) } : {}) }));
    setClientErrors((e) => ({ ...e, [field]: undefined, ...(field === "name" && !slugEdited ? { slug: undefined } : {}) }));
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input: Record<string, string> = { slug: values.slug, name: values.name, description: values.description };
    if (values.email.trim()) input.email = values.email;
    const parsed = CreateTeamSchema.safeParse(input);
    if (!parsed.success) {
      const errs = friendlyFieldErrors(fieldErrorsFromIssues<CreateTeamField>(parsed.error.issues), input);
      setClientErrors(errs);
      const first = ORDER.find((f) => errs[f]);
      if (first) document.getElementById(fid(first))?.focus();
      return;
    }
    setClientErrors({});
    startTransition(() => dispatch(input));
  }

  const aria = (f: CreateTeamField, hint = false) => ({
    "aria-invalid": errorOf(f) ? true : undefined,
    "aria-describedby": describedBy(hint && fid(`${f}-hint`), errorOf(f) && fid(`${f}-error`)),
  });
  const hasClientErrors = ORDER.some((f) => clientErrors[f]);

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-labelledby={fid("h")} aria-busy={pending}>
      <h2 id={fid("h")} className="text-base font-semibold text-slate-900">
        New team
      </h2>
      <FormMessages state={state} hasClientErrors={hasClientErrors} />

      <div>
        <Label htmlFor={fid("name")}>Name</Label>
        <input id={fid("name")} value={values.name} onChange={(e) => set("name", e.target.value)} maxLength={80} autoComplete="off" className={cx(controlClass, "mt-1")} {...aria("name")} />
        <FieldError id={fid("name-error")} message={errorOf("name")} />
      </div>
      <div>
        <Label htmlFor={fid("slug")}>Slug</Label>
        <input
          id={fid("slug")}
          value={values.slug}
          onChange={(e) => {
            setSlugEdited(true);
            set("slug", e.target.value);
          }}
          maxLength={40}
          autoComplete="off"
          spellCheck={false}
          className={cx(controlClass, "mt-1 font-mono")}
          {...aria("slug", true)}
        />
        <Hint id={fid("slug-hint")}>Lower-case letters, digits and dashes; it cannot be changed later.</Hint>
        <FieldError id={fid("slug-error")} message={errorOf("slug")} />
      </div>
      <div>
        <Label htmlFor={fid("email")}>Queue e-mail (optional)</Label>
        <input id={fid("email")} type="email" value={values.email} onChange={(e) => set("email", e.target.value)} maxLength={254} autoComplete="off" className={cx(controlClass, "mt-1")} {...aria("email")} />
        <FieldError id={fid("email-error")} message={errorOf("email")} />
      </div>
      <div>
        <Label htmlFor={fid("description")}>Description (optional)</Label>
        <textarea id={fid("description")} rows={3} value={values.description} onChange={(e) => set("description", e.target.value)} maxLength={500} className={cx(controlClass, "mt-1")} {...aria("description")} />
        <FieldError id={fid("description-error")} message={errorOf("description")} />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create team"}
      </Button>
    </form>
  );
}
