"use client";

import { getSession, signIn } from "next-auth/react";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { controlClass, Label } from "@/components/ui/field";
import { signInErrorText } from "@/lib/auth/signin-error";
import { safeCallbackPath } from "@/lib/auth/callback";

/** E-mail + password sign-in through next-auth's credentials provider (no full-page redirect on failure). */
export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string | null; initialError: string | null }) {
  const id = useId();
  const [error, setError] = useState<string | null>(initialError ? signInErrorText(initialError) : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError("Enter your e-mail and password.");
      return;
    }
    setPending(true);
    setError(null);
    try {
      const res = await signIn("credentials", { email, password, redirect: false });
      if (!res || res.error || !res.ok) {
        // `TooManyAttempts:<s>` (throttled) → "Too many attempts, try again in N s"; else wrong credentials.
        setError(signInErrorText(res?.error ?? "CredentialsSignin"));
        setPending(false);
        return;
      }
      const session = await getSession();
      const role = session?.user?.role;
      const fallback = role === "agent" || role === "admin" ? "/tickets" : "/submit";
      // A full navigation so the server-rendered header picks up the new session.
      window.location.assign(safeCallbackPath(callbackUrl, window.location.origin) ?? fallback);
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
      setPending(false);
    }
  }

  const errorId = `${id}-error`;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-describedby={error ? errorId : undefined}>
      <div role="alert" className="empty:absolute">
        {error ? (
          <Alert tone="error" id={errorId}>
            {error}
          </Alert>
        ) : null}
      </div>
      <div>
        <Label htmlFor={`${id}-email`}>E-mail</Label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="username"
          required
          aria-invalid={error ? true : undefined}
          className={`${controlClass} mt-1`}
        />
      </div>
      <div>
        <Label htmlFor={`${id}-password`}>Password</Label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={error ? true : undefined}
          className={`${controlClass} mt-1`}
        />
      </div>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
