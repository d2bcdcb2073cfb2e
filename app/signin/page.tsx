import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/callback";
import { isStaff } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/session";
import { getDb } from "@/db/client";
import { isDemoInstall } from "@/lib/demo/settings";
import { Alert } from "@/components/ui/alert";
import { oidcConfig } from "@/lib/auth/oidc-config";
import { oidcErrorText } from "@/lib/auth/oidc-errors";
import { SsoButton } from "./sso-button";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const callback = safeCallbackPath(sp.callbackUrl);
  const principal = await currentPrincipal();
  if (principal) redirect(callback ?? (isStaff(principal) ? "/tickets" : "/submit"));
  const authError = typeof sp.error === "string" ? sp.error : null;
  // A refused single sign-on has its own message (lib/auth/oidc-errors.ts); other codes go to the password form.
  const ssoError = oidcErrorText(authError);
  const sso = oidcConfig();
  // The published demo passwords are shown only on an install seeded by `npm run demo`.
  const demo = await isDemoInstall(await getDb());

  return (
    <div className="mx-auto mt-6 max-w-sm">
      <h1 className="text-xl font-semibold tracking-tight">Sign in to Switchboard</h1>
      <p className="mt-1 text-sm text-slate-600">Agents work the queue; requesters follow their own tickets.</p>
      <div className="mt-5 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        {ssoError ? (
          <div role="alert" className="mb-4">
            <Alert tone="error">{ssoError}</Alert>
          </div>
        ) : null}
        {sso ? (
          <div className="mb-4 space-y-4">
            <SsoButton name={sso.name} callbackUrl={callback} />
            <p className="text-center text-xs text-slate-500">or with your e-mail and password</p>
          </div>
        ) : null}
        <SignInForm callbackUrl={callback} initialError={ssoError ? null : authError} />
        <p className="mt-3 text-sm"><Link href="/forgot-password" className="text-brand-700 underline">Forgot your password?</Link></p>
      </div>
      {demo ? (
      <details className="mt-4 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-700">
        <summary className="cursor-pointer font-medium text-slate-800">Demo accounts</summary>
        <ul className="mt-2 space-y-1 font-mono text-xs">
          <li>agent@example.com / agent-demo-2026</li>
          <li>admin@example.com / admin-demo-2026</li>
          <li>requester@example.com / requester-demo-2026</li>
        </ul>
      </details>
      ) : null}
    </div>
  );
}
