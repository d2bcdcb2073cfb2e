import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { complianceRuleSets, uploads } from "@/db/schema";
import { evaluateRuleSet, referencedDatasets, referenceValues } from "@/lib/files/compliance/evaluator";
import { insightsLlm, llmInsights } from "@/lib/files/compliance/insights";
import { RuleSetSchema } from "@/lib/files/compliance/schema";
import type { ParsedWorkbook } from "@/lib/files/types";
import { UploadProcessingError } from "./fail";
import { replaceFindings } from "./persist";

type UploadRow = typeof uploads.$inferSelect;
type Progress = (fraction: number, force?: boolean) => Promise<void>;

/** Findings stored per upload; the counts cover all of them. */
const MAX_STORED = 200_000;

/**
 * Check a compliance sheet (its first sheet with data rows) against the upload's rule set,
 * with references resolved from the newest processed upload of each referenced dataset, write
 * the insights (the configured LLM, grounded on the counts, else a deterministic summary) and
 * store findings, counts and status `done` in one transaction.
 * @throws UploadProcessingError when the rule set is gone or invalid, or the file has no data rows
 */
export async function processComplianceSheet(db: Db, u: UploadRow, wb: ParsedWorkbook, progress: Progress, refSheets: ReadonlyMap<string, ParsedWorkbook>): Promise<void> {
  if (!u.ruleSetId) throw new UploadProcessingError("no_rule_set", "This compliance sheet has no rule set to be checked against");
  const [rs] = await db.select().from(complianceRuleSets).where(eq(complianceRuleSets.id, u.ruleSetId));
  if (!rs) throw new UploadProcessingError("no_rule_set", "The rule set of this sheet was deleted");
  const parsed = RuleSetSchema.safeParse({ name: rs.name, description: rs.description, rules: rs.rules });
  if (!parsed.success) throw new UploadProcessingError("invalid_rule_set", `Rule set "${rs.name}" is no longer valid: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const sheet = wb.sheets.find((s) => s.rows.length > 0);
  if (!sheet) throw new UploadProcessingError("empty", "The file has no data rows");

  const refs = new Map<string, ReadonlySet<string>>();
  for (const r of referencedDatasets(parsed.data)) {
    const wbRef = refSheets.get(r.dataset);
    const refSheet = wbRef?.sheets.find((s) => s.rows.length > 0);
    const values = refSheet ? referenceValues(refSheet, r.refColumn) : null;
    if (values) refs.set(r.key, values);
  }
  const result = evaluateRuleSet(parsed.data, sheet, refs, { maxFindings: MAX_STORED });
  await progress(0.8, true);
  const insights = await llmInsights(result, insightsLlm());
  await progress(0.9, true);
  const summary = {
    ruleSet: { id: rs.id, name: rs.name, version: rs.version },
    sheet: result.sheet,
    rows: result.rows,
    rowsWithErrors: result.rowsWithErrors,
    rowsWithFindings: result.rowsWithFindings,
    findings: result.counts.byCode,
    bySeverity: result.counts.bySeverity,
    byRule: result.counts.byRule,
    truncated: result.truncated,
    ...(insights.fallbackReason ? { insightsFallback: insights.fallbackReason } : {}),
  };
  await db.transaction(async (tx) => {
    await replaceFindings(tx, u.id, result.findings);
    await tx
      .update(uploads)
      .set({
        status: "done",
        progress: 1,
        summary,
        findingsCount: result.totalFindings,
        insights: insights.text,
        insightsSource: insights.source,
        processedAt: new Date(),
        error: null,
      })
      .where(eq(uploads.id, u.id));
  });
}
