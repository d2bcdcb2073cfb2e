"use server";

import { getDb } from "@/db/client";
import { currentPrincipal } from "@/lib/auth/session";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { changeOwnPassword } from "@/lib/users/admin/passwords";
import { ChangePasswordSchema } from "@/lib/users/admin/schemas";
import type { PasswordField, PasswordFormState } from "@/app/reset-password/[token]/set-password-form";
import { asFormData } from "@/lib/forms/action-args";

/**
 * /settings/password: change the signed-in person's password (the current one required). All
 * sessions of the account end, this one included: the form then links to sign in.
 */
export async function changePasswordAction(_prev: PasswordFormState, form: FormData): Promise<PasswordFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} };
    const f = asFormData(form);
    const s = (k: string) => {
      const v = f.get(k);
      return typeof v === "string" ? v : "";
    };
    const parsed = ChangePasswordSchema.safeParse({ currentPassword: s("currentPassword"), password: s("password"), confirm: s("confirm") });
    if (!parsed.success) return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: fieldErrorsFromIssues<PasswordField>(parsed.error.issues) };
    await changeOwnPassword(await getDb(), principal, parsed.data.currentPassword, parsed.data.password);
    return { status: "success", message: "Your password has been changed and every session has ended. Sign in again with the new password.", data: { email: principal.email } };
  } catch (err) {
    return toErrorState<PasswordField>(err, "changePasswordAction");
  }
}
