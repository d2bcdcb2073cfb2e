import type { Metadata } from "next";
import Link from "next/link";
import { ForgotForm } from "./forgot-form";

export const metadata: Metadata = { title: "Forgot password" };

/** /forgot-password — ask for a password-reset link by mail (open to anyone). */
export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto mt-6 max-w-sm space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">Forgot your password?</h1>
      <p className="text-sm text-slate-700">Enter the e-mail address you sign in with; we mail you a link to choose a new password.</p>
      <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <ForgotForm />
      </div>
      <p className="text-sm">
        <Link href="/signin" className="text-brand-700 underline">Back to sign in</Link>
      </p>
    </div>
  );
}
