"use server";

import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { formField } from "@/lib/forms/action-args";
import { toErrorState } from "@/lib/forms/action-errors";
import type { FormState } from "@/lib/forms/form-state";
import { clientIp } from "@/lib/http/client-ip";
import { requestPasswordReset } from "@/lib/users/admin/passwords";
import { ForgotPasswordSchema } from "@/lib/users/admin/schemas";

/** State of the forgot-password form. */
export type ForgotState = FormState<"email", null>;

/** What every accepted request is told, whether or not the address has an account. */
const SAME_ANSWER =
  "If this address belongs to an active account, we have mailed it a link to choose a new password. The link works once, for a limited time. Nothing arrived? Check the address and your spam folder.";

/**
 * /forgot-password: mail a reset link to an active account's address. Answers the same for
 * every address (no account enumeration); limited per client IP (an error then) and per address
 * (silently). Open to anyone.
 */
export async function forgotPasswordAction(_prev: ForgotState, form: FormData): Promise<ForgotState> {
  const parsed = ForgotPasswordSchema.safeParse({ email: formField(form, "email") });
  if (!parsed.success) return { status: "error", message: "Enter the e-mail address you sign in with.", fieldErrors: { email: "Enter a valid e-mail address" } };
  try {
    await requestPasswordReset(await getDb(), parsed.data.email, clientIp(await headers()));
    return { status: "success", message: SAME_ANSWER, data: null };
  } catch (err) {
    return toErrorState<"email">(err, "forgotPasswordAction");
  }
}
