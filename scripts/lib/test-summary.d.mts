/** Types of scripts/lib/test-summary.mjs (plain ESM, run by node without a build step). */
export interface SuiteSummary {
  lines: string[];
  failed: boolean;
}
export function summarizePlaywright(report: unknown, opts: { ci: boolean }): SuiteSummary;
export function summarizeVitest(report: unknown, label?: string): SuiteSummary;
