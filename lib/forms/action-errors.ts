import "server-only";
import { ApiError, fromDatabaseError } from "@/lib/http/errors";
import { logger } from "@/lib/observability/logger";
import type { FormState } from "./form-state";

/**
 * Turn anything a service threw into an error form state: ApiError (and database constraint
 * errors) keep their message, and a `details.field` becomes a field error; anything else is
 * logged and shown as a generic message, so a server action never throws to the client.
 */
export function toErrorState<TField extends string>(err: unknown, context: string): Extract<FormState<TField, never>, { status: "error" }> {
  const apiErr = err instanceof ApiError ? err : fromDatabaseError(err);
  if (apiErr) {
    const details = (apiErr.details ?? {}) as { field?: unknown; issues?: { path?: string; message?: string }[] };
    const fieldErrors: Partial<Record<TField, string>> = {};
    if (typeof details.field === "string") fieldErrors[details.field as TField] = apiErr.message;
    for (const issue of details.issues ?? []) {
      const f = issue.path?.split(".")[0];
      if (f && issue.message && !fieldErrors[f as TField]) fieldErrors[f as TField] = issue.message;
    }
    return { status: "error", message: apiErr.message, fieldErrors };
  }
  logger.error({ err, context }, "unexpected error in server action");
  return { status: "error", message: "Something went wrong on our side; please try again.", fieldErrors: {} };
}
