import type { FormState } from "@/lib/forms/form-state";

/** The state the SLA admin server actions return (field errors keyed by dotted payload path). */
export type SlaFormState = FormState<string, { id: string; name: string }>;

/** First message per dotted path of zod issues (e.g. `hours.1.0.end`, `escalation.teamSlug`). */
export function issuesToErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.map(String).join(".") || "form";
    if (!out[key]) out[key] = i.message;
  }
  return out;
}
