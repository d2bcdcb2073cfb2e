import type { Metadata } from "next";
import Link from "next/link";
import { requireSignedIn } from "@/components/auth/guards";
import { SetPasswordForm } from "@/app/reset-password/[token]/set-password-form";
import { changePasswordAction } from "./actions";

export const metadata: Metadata = { title: "Change password" };
export const dynamic = "force-dynamic";

/** /settings/password — every signed-in person changes their password (the current one required). */
export default async function ChangePasswordPage() {
  const principal = await requireSignedIn("/settings/password");
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">Change password</h1>
      <p className="text-sm text-slate-700">
        For <strong>{principal.email ?? principal.label}</strong>. Saving signs you out everywhere, this browser included. No password yet (single sign-on)?{" "}
        <Link href="/forgot-password" className="underline">Set one by mail</Link>.
      </p>
      <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <SetPasswordForm action={changePasswordAction} askCurrent submitLabel="Change password" />
      </div>
    </div>
  );
}
