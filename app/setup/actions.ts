"use server";

import { getDb } from "@/db/client";
import type { SetupField, SetupState } from "@/components/auth/setup-form";
import { formField } from "@/lib/forms/action-args";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { createFirstAdmin, FirstAdminSchema, SetupError } from "@/lib/auth/setup";
import { logger } from "@/lib/observability/logger";

/**
 * Create the first admin from the /setup form (token from the hidden field). Never throws:
 * invalid input, a wrong or used token and "an admin exists already" come back as form state.
 */
export async function createFirstAdminAction(_prev: SetupState, form: FormData): Promise<SetupState> {
  const parsed = FirstAdminSchema.safeParse({ email: formField(form, "email"), name: formField(form, "name"), password: formField(form, "password") });
  if (!parsed.success) {
    return { status: "error", message: "Check the highlighted fields.", fieldErrors: fieldErrorsFromIssues<SetupField>(parsed.error.issues) };
  }
  const token = formField(form, "token");
  try {
    const u = await createFirstAdmin(await getDb(), token, parsed.data);
    return { status: "success", message: `Admin ${u.email} created. Sign in with it now.`, data: { email: u.email } };
  } catch (err) {
    if (err instanceof SetupError) return { status: "error", message: err.message, fieldErrors: {} };
    logger.error({ err }, "first-admin setup failed");
    return { status: "error", message: "Something went wrong on our side; please try again.", fieldErrors: {} };
  }
}
