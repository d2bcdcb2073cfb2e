import "server-only";
import { and, desc, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { complianceRuleSets, uploads } from "@/db/schema";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { readObject } from "@/lib/files/storage/s3";
import { readWorkbook, SheetError } from "@/lib/files/sheets";
import type { ParsedWorkbook } from "@/lib/files/types";
import { markFailed, UploadProcessingError } from "./fail";
import { progressReporter } from "./progress";
import { processSerialSheet } from "./serials";
import { processComplianceSheet } from "./compliance";
import { processEmployeeSheet } from "@/lib/routing/employees/process";
import { replaceFindings } from "./persist";

type UploadRow = typeof uploads.$inferSelect;

/**
 * Process one sheet upload (the `process-upload` job): download it from S3, parse it with the
 * safety limits (lib/files/sheets), check it by kind — serial sheets against the GS1 rules and
 * the serial registry, compliance sheets against their rule set, employee sheets validated row
 * by row and imported as skill profiles (lib/routing/employees/process.ts) — and store
 * findings, summary and status `done` in one transaction.
 *
 * Restartable (a retried job starts over and replaces what an earlier attempt wrote) and a
 * no-op unless the upload is `processing`. A file that cannot be processed (bad format,
 * limits, missing columns, or a bug in a checker) ends as `failed` with a clear message and is
 * not retried; storage and database errors are thrown, so the job is retried with backoff.
 */
export async function processUpload(db: Db, uploadId: string): Promise<void> {
  const [u] = await db.select().from(uploads).where(eq(uploads.id, uploadId));
  if (!u || u.status !== "processing") return;
  const progress = progressReporter(db, uploadId);
  const t0 = Date.now();
  const bytes = await readObject(u.storageKey);
  const downloadMs = Date.now() - t0;
  await progress(0.1, true);
  try {
    const wb = await parse(bytes, u.filename);
    const parseMs = Date.now() - t0 - downloadMs;
    await progress(0.4, true);
    if (u.kind === "serials") await processSerialSheet(db, u, wb, progress);
    else if (u.kind === "compliance" && u.ruleSetId) await processComplianceSheet(db, u, wb, progress, await referenceSheets(db, u));
    else if (u.kind === "employees") await processEmployeeSheet(db, u, wb, progress); // validated and imported (lib/routing/employees)
    else await storeParsedSheet(db, u, wb); // registers (datasets) without a rule set
    logger.info({ uploadId, kind: u.kind, bytes: bytes.byteLength, downloadMs, parseMs, ms: Date.now() - t0 }, "upload processed");
  } catch (err) {
    if (err instanceof UploadProcessingError) {
      await markFailed(db, uploadId, { code: err.code, message: err.message, details: err.details });
      return;
    }
    if (isInfrastructureError(err)) throw err; // retried by the queue
    logger.error({ err, uploadId }, "sheet processing failed");
    await markFailed(db, uploadId, { code: "processing_error", message: "The file could not be processed; it may be damaged or in an unexpected layout" });
  }
}

async function parse(bytes: Uint8Array, filename: string): Promise<ParsedWorkbook> {
  try {
    return await readWorkbook(bytes, { filename, limits: sheetLimits() });
  } catch (err) {
    if (err instanceof SheetError) throw new UploadProcessingError(err.code, err.message, err.details);
    throw err;
  }
}

/** The operator's sheet limits over the defaults (lib/files/sheets/limits.ts): SHEET_MAX_ROWS. */
function sheetLimits(): { maxRows: number } {
  return { maxRows: env().SHEET_MAX_ROWS };
}

/** Database (SQLSTATE, connection) and S3 errors: worth a retry, unlike errors in the file. */
function isInfrastructureError(err: unknown): boolean {
  const e = err as { code?: unknown; $metadata?: unknown; name?: string; cause?: unknown };
  if (e?.$metadata) return true; // AWS SDK service error
  if (typeof e?.code === "string" && (/^[0-9A-Z]{5}$/.test(e.code) || /^E[A-Z]+/.test(e.code))) return true;
  if (e?.cause) return isInfrastructureError(e.cause);
  return false;
}

/**
 * The sheets a compliance rule set references, by dataset name: the newest `done` upload of each
 * dataset (other than this one), parsed. Datasets without such an upload are left out.
 */
async function referenceSheets(db: Db, u: UploadRow): Promise<Map<string, ParsedWorkbook>> {
  const out = new Map<string, ParsedWorkbook>();
  if (!u.ruleSetId) return out;
  const [rs] = await db.select({ rules: complianceRuleSets.rules }).from(complianceRuleSets).where(eq(complianceRuleSets.id, u.ruleSetId));
  const rules = ((rs?.rules ?? []) as { type?: string; dataset?: string }[]).filter((r) => r.type === "reference" && r.dataset);
  for (const dataset of new Set(rules.map((r) => r.dataset!))) {
    const [ref] = await db
      .select()
      .from(uploads)
      .where(and(eq(uploads.dataset, dataset), eq(uploads.status, "done"), ne(uploads.id, u.id)))
      .orderBy(desc(uploads.processedAt))
      .limit(1);
    if (!ref) continue;
    try {
      out.set(dataset, await readWorkbook(await readObject(ref.storageKey), { filename: ref.filename, limits: sheetLimits() }));
    } catch (err) {
      if (!(err instanceof SheetError)) throw err;
    }
  }
  return out;
}

/**
 * Sheets that are data rather than something to check — registers that rule sets reference
 * by dataset name: parsed (so a broken file fails now, not when referenced) and summarised.
 */
async function storeParsedSheet(db: Db, u: UploadRow, wb: ParsedWorkbook): Promise<void> {
  const first = wb.sheets.find((s) => s.rows.length > 0);
  if (!first) throw new UploadProcessingError("empty", "The sheet has no data rows");
  const summary = { rows: first.rows.length, sheet: first.name, headers: first.headers };
  await db.transaction(async (tx) => {
    await replaceFindings(tx, u.id, []);
    await tx.update(uploads).set({ status: "done", progress: 1, summary, findingsCount: 0, processedAt: new Date(), error: null }).where(eq(uploads.id, u.id));
  });
}
