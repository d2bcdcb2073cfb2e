import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Alert } from "@/components/ui/alert";
import { inspectUserToken } from "@/lib/users/admin/tokens";
import { acceptInviteAction } from "@/app/reset-password/[token]/actions";
import { SetPasswordForm } from "@/app/reset-password/[token]/set-password-form";

export const metadata: Metadata = { title: "Accept your invitation", robots: { index: false }, referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/**
 * /invite/[token] — the link of an invite mail: choose your first password, which activates the
 * account; then sign in. The token is used only when the form is sent. Expired, used and
 * unknown links say so (an admin can send a new invite).
 */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const s = await inspectUserToken(await getDb(), token, "invite");
  return (
    <div className="mx-auto mt-6 max-w-sm space-y-4" data-testid="invite-page" data-state={s.state}>
      <h1 className="text-xl font-semibold tracking-tight">Welcome to Switchboard</h1>
      {s.state === "valid" ? (
        <>
          <p className="text-sm text-slate-700">
            Hello {s.name}. Choose a password for <strong>{s.email}</strong> to activate your account.
          </p>
          <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <SetPasswordForm action={acceptInviteAction} token={token} submitLabel="Activate account" />
          </div>
        </>
      ) : s.state === "used" ? (
        <Alert tone="info" title="This invitation has been accepted already">
          <Link href="/signin" className="underline">Sign in</Link> with your e-mail and password, or use{" "}
          <Link href="/forgot-password" className="underline">Forgot password</Link>.
        </Alert>
      ) : (
        <Alert tone={s.state === "expired" ? "warning" : "error"} title={s.state === "expired" ? "This invitation has expired" : "This invitation link is not valid"}>
          Ask your service-desk administrator to send you a new invitation.
        </Alert>
      )}
    </div>
  );
}
