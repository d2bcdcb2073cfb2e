import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Alert } from "@/components/ui/alert";
import { inspectUserToken } from "@/lib/users/admin/tokens";
import { resetPasswordAction } from "./actions";
import { SetPasswordForm } from "./set-password-form";

export const metadata: Metadata = { title: "Choose a new password", robots: { index: false }, referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/**
 * /reset-password/[token] — the link of a password-reset mail (forgot password, or an admin's
 * reset). Opening it only shows the form; the token is used when the form is sent (so a mail
 * scanner that fetches the link cannot use it). Expired, used and unknown links say so.
 */
export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const s = await inspectUserToken(await getDb(), token, "password_reset");
  return (
    <div className="mx-auto mt-6 max-w-sm space-y-4" data-testid="reset-page" data-state={s.state}>
      <h1 className="text-xl font-semibold tracking-tight">Choose a new password</h1>
      {s.state === "valid" ? (
        <>
          <p className="text-sm text-slate-700">
            For <strong>{s.email}</strong>. Your other sessions end when you save.
          </p>
          <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <SetPasswordForm action={resetPasswordAction} token={token} submitLabel="Save new password" />
          </div>
        </>
      ) : (
        <Alert tone={s.state === "invalid" ? "error" : "warning"} title={s.state === "expired" ? "This link has expired" : s.state === "used" ? "This link has been used already" : "This link is not valid"}>
          Reset links work once, for a limited time. <Link href="/forgot-password" className="underline">Ask for a new one</Link>, or{" "}
          <Link href="/signin" className="underline">sign in</Link>.
        </Alert>
      )}
    </div>
  );
}
