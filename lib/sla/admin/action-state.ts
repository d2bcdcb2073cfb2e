import "server-only";
import { toErrorState } from "@/lib/forms/action-errors";
import { ApiError } from "@/lib/http/errors";
import { issuesToErrors, type SlaFormState } from "./form-errors";

/*
 * Helpers of the SLA admin server actions (app/admin/{sla,calendars}/actions.ts): how a zod
 * failure and a service error become form state keyed by payload path.
 */

export const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;

/** Zod issues as form state (first message per dotted path). */
export function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[], message = "Please correct the highlighted fields."): Extract<SlaFormState, { status: "error" }> {
  return { status: "error", message, fieldErrors: issuesToErrors(issues) };
}

/** A service error as form state: `details.issues` paths and `details.field` become field errors. */
export function failed(err: unknown, context: string): SlaFormState {
  if (err instanceof ApiError && err.code === "validation_error") {
    const issues = ((err.details as { issues?: { path: string; message: string }[] } | null)?.issues ?? []).map((i) => ({ path: i.path.split("."), message: i.message }));
    return invalid(issues, err.message);
  }
  return toErrorState<string>(err, context);
}
