"use client";

import Link from "next/link";
import { useActionState, useId } from "react";
import type { FormState } from "@/lib/forms/form-state";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { controlClass, describedBy, FieldError, Label } from "@/components/ui/field";

export type SetupField = "email" | "name" | "password";
/** Result of the first-admin action: success carries the new admin's e-mail. */
export type SetupState = FormState<SetupField, { email: string }>;

/** The /setup form: e-mail, name and password (≥ 12 characters) of the first admin; the one-time token rides along hidden. */
export function SetupForm({ token, action }: { token: string; action: (prev: SetupState, form: FormData) => Promise<SetupState> }) {
  const id = useId();
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  if (state.status === "success") {
    return (
      <div role="status">
        <Alert tone="success">{state.message}</Alert>
        <Link href="/signin" className="mt-4 inline-block text-sm font-medium text-brand-700 underline underline-offset-2">
          Go to sign in
        </Link>
      </div>
    );
  }
  const errors = state.status === "error" ? state.fieldErrors : {};
  const field = (name: SetupField, label: string, type: string, autoComplete: string) => (
    <div>
      <Label htmlFor={`${id}-${name}`}>{label}</Label>
      <input
        id={`${id}-${name}`}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required
        minLength={name === "password" ? 12 : undefined}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={describedBy(errors[name] && `${id}-${name}-error`)}
        className={`${controlClass} mt-1`}
      />
      <FieldError id={`${id}-${name}-error`} message={errors[name]} />
    </div>
  );
  return (
    <form action={dispatch} className="space-y-4" aria-busy={pending}>
      <div role="alert" className="empty:absolute">
        {state.status === "error" ? <Alert tone="error">{state.message}</Alert> : null}
      </div>
      <input type="hidden" name="token" value={token} />
      {field("email", "E-mail", "email", "username")}
      {field("name", "Name", "text", "name")}
      {field("password", "Password (at least 12 characters)", "password", "new-password")}
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Creating…" : "Create admin"}
      </Button>
    </form>
  );
}
