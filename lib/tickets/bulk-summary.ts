import type { BulkResult } from "./bulk-schema";

/** Short reasons for the summary line, by error code (the full message is listed below it). */
const REASON: Record<string, string> = {
  invalid_transition: "status does not allow it",
  conflict: "closed or merged",
  not_found: "not found",
  unprocessable: "refused",
  forbidden: "not allowed",
};

/**
 * The one-line outcome of a bulk action, e.g. "3 updated, 1 failed: T-9 closed or merged".
 * Failures are named (at most 5, then "and N more"). Pure; used by the bulk bar.
 */
export function bulkSummaryText(r: BulkResult): string {
  const failed = r.results.filter((x) => !x.ok);
  const head = `${r.summary.ok} updated, ${r.summary.failed} failed`;
  if (failed.length === 0) return head;
  const named = failed.slice(0, 5).map((f) => `${f.key} ${REASON[f.error?.code ?? ""] ?? "failed"}`);
  const more = failed.length > 5 ? ` and ${failed.length - 5} more` : "";
  return `${head}: ${named.join(", ")}${more}`;
}
