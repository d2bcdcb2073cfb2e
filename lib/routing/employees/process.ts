import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { uploads } from "@/db/schema";
import { UploadProcessingError } from "@/lib/files/process/fail";
import { replaceFindings } from "@/lib/files/process/persist";
import type { ParsedWorkbook } from "@/lib/files/types";
import { invalidateReferenceData } from "@/lib/reference/cache";
import type { AuditActor } from "@/lib/tickets/access";
import { importEmployeeRows, type EmployeeImportResult } from "./import";
import { EmployeeSheetError, validateEmployeeSheet } from "./sheet";

type UploadRow = typeof uploads.$inferSelect;
type Progress = (fraction: number, force?: boolean) => Promise<void>;

/** The summary of an employee sheet upload (uploads.summary). */
export interface EmployeeUploadSummary extends EmployeeImportResult {
  /** Data rows in the sheet. */
  rows: number;
  /** Rows imported (created + updated). */
  valid: number;
  /** Rows with errors, not imported (each error is a finding). */
  invalid: number;
  sheet: string;
  headers: string[];
  /** Findings per code. */
  byCode: Record<string, number>;
}

/** Who an upload's import acts as in the audit trail: its uploader. */
function uploaderActor(u: UploadRow): AuditActor {
  if (u.ownerApiKeyId) return { actorType: "api_key", actorId: u.ownerApiKeyId, actorLabel: u.ownerLabel };
  return { actorType: "user", actorId: u.ownerUserId, actorLabel: u.ownerLabel };
}

/**
 * Process an employee sheet (the `process-upload` job, kind `employees`): validate every row
 * (lib/routing/employees/sheet.ts), then in ONE transaction import the valid rows
 * ({@link importEmployeeRows}), store one finding per bad cell and the summary
 * {rows, valid, invalid, created, updated, newTeams, invitedUsers, linkedUsers, …} with status
 * `done`. Restartable: nothing is written unless everything is, and a retried job starts over
 * (a re-run updates the same employees by e-mail).
 * @throws UploadProcessingError `missing_columns` (no name or e-mail column) or `empty`
 */
export async function processEmployeeSheet(db: Db, u: UploadRow, wb: ParsedWorkbook, progress: Progress): Promise<void> {
  let result;
  try {
    result = validateEmployeeSheet(wb);
  } catch (err) {
    if (!(err instanceof EmployeeSheetError)) throw err;
    const code = err.details.missing.length ? "missing_columns" : "empty";
    throw new UploadProcessingError(code, err.message, err.details);
  }
  await progress(0.6, true);
  let newTeams = 0;
  await db.transaction(async (tx) => {
    const imported = await importEmployeeRows(tx, result.records, { uploadId: u.id, actor: uploaderActor(u) });
    newTeams = imported.newTeams.length;
    await replaceFindings(tx, u.id, result.findings);
    const byCode: Record<string, number> = {};
    for (const f of result.findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
    const summary: EmployeeUploadSummary = {
      rows: result.rows,
      valid: result.records.length,
      invalid: result.invalid,
      ...imported,
      sheet: result.sheet,
      headers: result.headers,
      byCode,
    };
    await tx
      .update(uploads)
      .set({ status: "done", progress: 1, summary: { ...summary }, findingsCount: result.findings.length, processedAt: new Date(), error: null })
      .where(eq(uploads.id, u.id));
  });
  if (newTeams > 0) invalidateReferenceData();
}
