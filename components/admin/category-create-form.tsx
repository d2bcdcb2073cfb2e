"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import type { CreateCategoryField, CreateCategoryState } from "./form-state";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { CreateCategorySchema, parseExampleLines } from "@/lib/admin/schemas";
import { friendlyFieldErrors } from "./messages";
import { slugify } from "./slug";

type Values = Record<CreateCategoryField, string>;
const EMPTY: Values = { name: "", slug: "", team: "", description: "", examples: "" };
const ORDER: readonly CreateCategoryField[] = ["name", "slug", "team", "description", "examples"];

/**
 * New category: name, slug (follows the name until edited), the team it routes to, a
 * description and example tickets (one per line, `Title | description`; the local triage model
 * learns the category from them at once). Checked with CreateCategorySchema here and again in the server action; taken
 * slugs or names and unknown teams come back as field errors.
 */
export function CategoryCreateForm({
  teams,
  action,
}: {
  teams: { slug: string; name: string }[];
  action: (prev: CreateCategoryState, input: unknown) => Promise<CreateCategoryState>;
}) {
  const id = useId();
  const fid = (f: string) => `${id}-${f}`;
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [values, setValues] = useState<Values>(EMPTY);
  const [slugEdited, setSlugEdited] = useState(false);
  const [clientErrors, setClientErrors] = useState<Partial<Record<CreateCategoryField, string>>>({});
  // The slug of the last created record whose form was cleared (slugs are unique, so one per success).
  const [clearedFor, setClearedFor] = useState<string | null>(null);

  // A category was created: clear the form for the next one (once per result).
  if (state.status === "success" && state.data.slug !== clearedFor) {
    setClearedFor(state.data.slug);
    setValues(EMPTY);
    setSlugEdited(false);
  }


  const serverErrors = state.status === "error" ? state.fieldErrors : {};
  const errorOf = (f: CreateCategoryField) => clientErrors[f] ?? serverErrors[f];

  function set(field: CreateCategoryField, value: string) {
    setValues((v) => ({ ...v, [field]: value, ...(field === "name" && !slugEdited ? { slug: slugify(value) } : {}) }));
    setClientErrors((e) => ({ ...e, [field]: undefined, ...(field === "name" && !slugEdited ? { slug: undefined } : {}) }));
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const { examples, ...rest } = values;
    const input = { ...rest, examples: parseExampleLines(examples) };
    const parsed = CreateCategorySchema.safeParse(input);
    if (!parsed.success) {
      const errs = friendlyFieldErrors(fieldErrorsFromIssues<CreateCategoryField>(parsed.error.issues), input);
      setClientErrors(errs);
      const first = ORDER.find((f) => errs[f]);
      if (first) document.getElementById(fid(first))?.focus();
      return;
    }
    setClientErrors({});
    startTransition(() => dispatch(input));
  }

  const aria = (f: CreateCategoryField, hint = false) => ({
    "aria-invalid": errorOf(f) ? true : undefined,
    "aria-describedby": describedBy(hint && fid(`${f}-hint`), errorOf(f) && fid(`${f}-error`)),
  });
  const hasClientErrors = ORDER.some((f) => clientErrors[f]);

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-labelledby={fid("h")} aria-busy={pending}>
      <h2 id={fid("h")} className="text-base font-semibold text-slate-900">
        New category
      </h2>

      <FormMessages state={state} hasClientErrors={hasClientErrors} />

      <div>
        <Label htmlFor={fid("name")}>Name</Label>
        <input
          id={fid("name")}
          value={values.name}
          onChange={(e) => set("name", e.target.value)}
          maxLength={80}
          autoComplete="off"
          className={cx(controlClass, "mt-1")}
          {...aria("name")}
        />
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
        <Hint id={fid("slug-hint")}>Lower-case letters, digits and dashes. Used in the API and stored on tickets; it cannot be changed later.</Hint>
        <FieldError id={fid("slug-error")} message={errorOf("slug")} />
      </div>

      <div>
        <Label htmlFor={fid("team")}>Routes to team</Label>
        <select id={fid("team")} value={values.team} onChange={(e) => set("team", e.target.value)} className={cx(controlClass, "mt-1")} {...aria("team", true)}>
          <option value="">Choose a team…</option>
          {teams.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </select>
        <Hint id={fid("team-hint")}>New tickets in this category go to this team&apos;s queue.</Hint>
        <FieldError id={fid("team-error")} message={errorOf("team")} />
      </div>

      <div>
        <Label htmlFor={fid("description")}>Description (optional)</Label>
        <textarea
          id={fid("description")}
          rows={3}
          value={values.description}
          onChange={(e) => set("description", e.target.value)}
          maxLength={500}
          className={cx(controlClass, "mt-1")}
          {...aria("description", true)}
        />
        <Hint id={fid("description-hint")}>What belongs here. An LLM triage reads it; the local model uses it with the examples below.</Hint>
        <FieldError id={fid("description-error")} message={errorOf("description")} />
      </div>

      <div>
        <Label htmlFor={fid("examples")}>Example tickets (optional)</Label>
        <textarea
          id={fid("examples")}
          rows={5}
          value={values.examples}
          onChange={(e) => set("examples", e.target.value)}
          className={cx(controlClass, "mt-1")}
          {...aria("examples", true)}
        />
        <Hint id={fid("examples-hint")}>
          One ticket per line, as people write them: <code>Title | description</code>. Five to ten teach the local model the category at
          once; agents&apos; corrections keep teaching it. Up to 50.
        </Hint>
        <FieldError id={fid("examples-error")} message={errorOf("examples")} />
      </div>

      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create category"}
      </Button>
    </form>
  );
}
