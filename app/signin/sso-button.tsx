"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * "Sign in with <name>": starts the OpenID Connect sign-in (next-auth provider `oidc`). After
 * the provider, the browser comes back to `callbackUrl`, else to /signin, which sends a
 * signed-in user on to their start page by role.
 */
export function SsoButton({ name, callbackUrl }: { name: string; callbackUrl: string | null }) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="secondary"
      className="w-full"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn("oidc", { callbackUrl: callbackUrl ?? "/signin" }).catch(() => setPending(false));
      }}
    >
      {pending ? "Redirecting…" : `Sign in with ${name}`}
    </Button>
  );
}
