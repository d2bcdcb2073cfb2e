"use server";

import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { getDb } from "@/db/client";
import { acceptInvite, resetPasswordWithToken } from "@/lib/users/admin/passwords";
import { SetPasswordSchema } from "@/lib/users/admin/schemas";
import type { PasswordField, PasswordFormState } from "./set-password-form";
import { asFormData } from "@/lib/forms/action-args";

/** The form's fields; a non-FormData argument counts as an empty form. */
function fields(form: unknown): Record<string, string> {
  const f = asFormData(form);
  const s = (k: string) => {
    const v = f.get(k);
    return typeof v === "string" ? v : "";
  };
  return { token: s("token"), password: s("password"), confirm: s("confirm") };
}

const BAD_LINK = "This link is not valid or has expired. Ask for a new one under “Forgot password” on the sign in page.";

/** Shared by the reset and invite forms: parse, run `use`, and say what happened. */
async function setWithToken(form: unknown, use: (token: string, password: string) => Promise<{ email: string }>, done: string, context: string): Promise<PasswordFormState> {
  const parsed = SetPasswordSchema.safeParse(fields(form));
  if (!parsed.success) {
    const fieldErrors = fieldErrorsFromIssues<PasswordField>(parsed.error.issues);
    if (fieldErrors.token) return { status: "error", message: BAD_LINK, fieldErrors: {} };
    return { status: "error", message: "Please correct the highlighted fields (or sign in if you have a password already).", fieldErrors };
  }
  try {
    const { email } = await use(parsed.data.token, parsed.data.password);
    return { status: "success", message: done, data: { email } };
  } catch (err) {
    const e = toErrorState<PasswordField>(err, context);
    return { ...e, message: `${e.message}. Ask for a new link, or go to the sign in page.` };
  }
}

/** /reset-password/[token]: set a new password with a mailed reset link (anyone holding the link). */
export async function resetPasswordAction(_prev: PasswordFormState, form: FormData): Promise<PasswordFormState> {
  return setWithToken(form, async (token, password) => resetPasswordWithToken(await getDb(), token, password), "Your password has been changed. Sign in with the new one.", "resetPasswordAction");
}

/** /invite/[token]: accept an invite by choosing the first password (anyone holding the link). */
export async function acceptInviteAction(_prev: PasswordFormState, form: FormData): Promise<PasswordFormState> {
  return setWithToken(form, async (token, password) => acceptInvite(await getDb(), token, password), "Your account is ready. Sign in with your e-mail and the password you chose.", "acceptInviteAction");
}
