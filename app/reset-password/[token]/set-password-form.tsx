"use client";

import Link from "next/link";
import { startTransition, useActionState } from "react";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import type { FormState } from "@/lib/forms/form-state";

/** Fields of the set-password forms (invite acceptance, reset, self-service change). */
export type PasswordField = "token" | "currentPassword" | "password" | "confirm";
/** State of a set-password form: on success, the account's e-mail (for the sign-in link). */
export type PasswordFormState = FormState<PasswordField, { email: string | null }>;
type Action = (prev: PasswordFormState, form: FormData) => Promise<PasswordFormState>;

/**
 * A new password typed twice (and, for a signed-in change, the current one). After success
 * the form is replaced by the message and a link to sign in.
 */
export function SetPasswordForm({ action, token, askCurrent = false, submitLabel }: { action: Action; token?: string; askCurrent?: boolean; submitLabel: string }) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const errors = state.status === "error" ? state.fieldErrors : {};
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  if (state.status === "success") {
    const email = state.data.email;
    return (
      <div className="space-y-3">
        <FormMessages state={state} hasClientErrors={false} />
        <Link href={email ? `/signin?email=${encodeURIComponent(email)}` : "/signin"} className="text-sm font-medium text-brand-700 underline">
          Sign in
        </Link>
      </div>
    );
  }
  const input = (name: PasswordField, label: string, autoComplete: string, hint?: string) => (
    <div>
      <Label htmlFor={`pw-${name}`}>{label}</Label>
      <input
        id={`pw-${name}`}
        name={name}
        type="password"
        autoComplete={autoComplete}
        required
        maxLength={200}
        className={controlClass}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={describedBy(hint && `pw-${name}-hint`, errors[name] && `pw-${name}-error`)}
      />
      {hint ? <Hint id={`pw-${name}-hint`}>{hint}</Hint> : null}
      <FieldError id={`pw-${name}-error`} message={errors[name]} />
    </div>
  );
  return (
    <form onSubmit={submit} className="space-y-3" aria-label={submitLabel} noValidate>
      {token ? <input type="hidden" name="token" value={token} /> : null}
      {askCurrent ? input("currentPassword", "Current password", "current-password") : null}
      {input("password", "New password", "new-password", "At least 12 characters")}
      {input("confirm", "New password again", "new-password")}
      <FormMessages state={state} hasClientErrors={false} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}
