/**
 * The typed result every server action of the app returns (never a thrown error): idle before
 * the first submit, an error with per-field messages, or success with data.
 */
export type FormState<TField extends string = string, TData = null> =
  | { status: "idle" }
  | { status: "error"; message: string; fieldErrors: Partial<Record<TField, string>> }
  | { status: "success"; message: string; data: TData };

export const idle = { status: "idle" } as const;

/** First message per top-level field of a zod error (works with zod's `issues`). */
export function fieldErrorsFromIssues<TField extends string>(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Partial<Record<TField, string>> {
  const out: Partial<Record<TField, string>> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "") as TField;
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}
