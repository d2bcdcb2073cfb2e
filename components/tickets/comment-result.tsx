import type { FormState } from "@/lib/forms/form-state";
import { Alert } from "@/components/ui/alert";

/**
 * The outcome of posting a comment: the success message (role=status) or an error that is not
 * already shown under the text or the files (role=alert). Both regions stay in the page so
 * screen readers announce changes.
 */
export function CommentResult({ state }: { state: FormState<string, unknown> }) {
  const fieldErrors = state.status === "error" ? (state.fieldErrors as Record<string, string | undefined>) : {};
  return (
    <>
      <div role="status" className="text-sm empty:absolute">
        {state.status === "success" ? <p className="font-medium text-emerald-800">{state.message}</p> : null}
      </div>
      <div role="alert" className="empty:absolute">
        {state.status === "error" && !fieldErrors.body && !fieldErrors.attachmentIds ? <Alert tone="error">{state.message}</Alert> : null}
      </div>
    </>
  );
}
