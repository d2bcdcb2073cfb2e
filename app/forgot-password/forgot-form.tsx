"use client";

import { startTransition, useActionState } from "react";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { controlClass, describedBy, FieldError, Label } from "@/components/ui/field";
import { forgotPasswordAction, type ForgotState } from "./actions";

/** The e-mail field of /forgot-password; after sending, the same answer for every address. */
export function ForgotForm() {
  const [state, dispatch, pending] = useActionState<ForgotState, FormData>(forgotPasswordAction, { status: "idle" });
  const error = state.status === "error" ? state.fieldErrors.email : undefined;
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Forgot password" noValidate>
      <div>
        <Label htmlFor="forgot-email">E-mail</Label>
        <input id="forgot-email" name="email" type="email" autoComplete="email" required maxLength={254} className={controlClass} aria-invalid={error ? true : undefined} aria-describedby={describedBy(error && "forgot-email-error")} />
        <FieldError id="forgot-email-error" message={error} />
      </div>
      <FormMessages state={state} hasClientErrors={false} />
      <Button type="submit" disabled={pending}>
        {pending ? "Sending…" : "Mail me a reset link"}
      </Button>
    </form>
  );
}
