import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { uploads } from "@/db/schema";
import { SerialChecker, SerialSheetError, type PriorSerialState, type SerialCheckResult } from "@/lib/files/gs1";
import { SERIAL_FINDING_CODES, type Finding, type ParsedSheet, type ParsedWorkbook, type SerialSummary } from "@/lib/files/types";
import { UploadProcessingError } from "./fail";
import { knownElsewhere, lockSerialRegistry, priorHistory as loadPriorHistory, replaceFindings, replaceSerialRegistry } from "./persist";

type UploadRow = typeof uploads.$inferSelect;
type Progress = (fraction: number, force?: boolean) => Promise<void>;

/** Rows checked between two progress reports. */
const CHUNK = 20_000;

/** Findings stored per upload; the summary counts all of them. */
const MAX_STORED = 200_000;

/** Add every row of every sheet to its checker (progress from `from` to `to`). */
async function addRows(sheets: ParsedSheet[], progress: Progress, from: number, to: number): Promise<SerialChecker[]> {
  const total = sheets.reduce((n, s) => n + s.rows.length, 0) || 1;
  let done = 0;
  const out: SerialChecker[] = [];
  for (const s of sheets) {
    const checker = new SerialChecker(s.name, s.headers);
    for (let i = 0; i < s.rows.length; i += CHUNK) {
      const end = Math.min(s.rows.length, i + CHUNK);
      for (let j = i; j < end; j++) checker.addRow(s.rows[j]);
      done += end - i;
      await progress(from + ((to - from) * done) / total);
    }
    out.push(checker);
  }
  return out;
}

/** The sheets whose headers name a GTIN (or GS1 code) and a serial column. @throws UploadProcessingError missing_columns when none does */
function serialSheets(wb: ParsedWorkbook): ParsedSheet[] {
  const ok: ParsedSheet[] = [];
  let firstError: SerialSheetError | null = null;
  for (const s of wb.sheets) {
    if (s.rows.length === 0) continue;
    try {
      new SerialChecker(s.name, s.headers);
      ok.push(s);
    } catch (err) {
      if (!(err instanceof SerialSheetError)) throw err;
      firstError ??= err;
    }
  }
  if (ok.length === 0) {
    if (firstError) throw new UploadProcessingError("missing_columns", firstError.message, { headers: firstError.headers, missing: firstError.missing });
    throw new UploadProcessingError("empty", "The file has no data rows");
  }
  return ok;
}

/** Rows, valid rows and counts per code over all checked sheets: the `npm run serials` summary. */
export function combineSummaries(results: readonly SerialCheckResult[]): SerialSummary {
  const findings = Object.fromEntries(SERIAL_FINDING_CODES.map((c) => [c, 0])) as SerialSummary["findings"];
  let rows = 0;
  let valid = 0;
  for (const r of results) {
    rows += r.summary.rows;
    valid += r.summary.valid;
    for (const c of SERIAL_FINDING_CODES) findings[c] += r.summary.findings[c];
  }
  return { rows, valid, findings };
}

/**
 * Check a serial sheet (GS1 rules, duplicates within the file and against earlier uploads,
 * EPCIS event order continuing from earlier uploads' history, shipping after an expiry known
 * from an earlier upload) and store the result.
 *
 * One pass adds every row; then, in one transaction holding the serial-registry lock, the
 * units the file mentions are looked up among earlier uploads, the checkers finish with that
 * knowledge, and the registry (units and events), the findings (first 200,000) and the summary
 * are written with status `done`.
 */
export async function processSerialSheet(db: Db, u: UploadRow, wb: ParsedWorkbook, progress: Progress): Promise<void> {
  const sheets = serialSheets(wb);
  const checkers = await addRows(sheets, progress, 0.4, 0.75);
  const units = new Map<string, { gtin14: string; serial: string }>();
  for (const c of checkers) {
    for (const key of c.serialKeys()) {
      const bar = key.indexOf("|");
      units.set(key, { gtin14: key.slice(0, bar), serial: key.slice(bar + 1) });
    }
  }
  const list = [...units.values()];
  await progress(0.8, true);
  await db.transaction(async (tx) => {
    await lockSerialRegistry(tx);
    const knownSerials = await knownElsewhere(tx, u.id, list);
    const prior = (await loadPriorHistory(tx, u.id, list)) as ReadonlyMap<string, PriorSerialState>;
    const results = checkers.map((c) => c.finish({ knownSerials, priorHistory: prior }));
    const findings: Finding[] = [];
    for (const r of results) {
      for (const f of r.findings) {
        if (findings.length >= MAX_STORED) break;
        findings.push(f);
      }
    }
    const total = results.reduce((n, r) => n + r.findings.length, 0);
    await replaceSerialRegistry(
      tx,
      u.id,
      results.flatMap((r) => r.identities),
      results.flatMap((r) => r.events),
    );
    await replaceFindings(tx, u.id, findings);
    const summary = combineSummaries(results);
    await tx
      .update(uploads)
      .set({ status: "done", progress: 1, summary: { ...summary }, findingsCount: total, processedAt: new Date(), error: null })
      .where(eq(uploads.id, u.id));
  });
}
