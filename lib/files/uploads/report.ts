import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { writeReport } from "@/lib/files/sheets";
import { loadVisibleUpload } from "./access";
import { allFindings } from "./queries";

const TYPES = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", csv: "text/csv; charset=utf-8" } as const;

/**
 * The findings report of a processed sheet as a file: Sheet, Row, Column, Code, Severity, Message,
 * Value (cells starting with = + - @ neutralised against CSV injection), plus a Summary sheet in xlsx.
 * @returns bytes, content type and a file name like `serials-march.findings.xlsx`
 * @throws ApiError 404 (not visible), 409 (not processed yet), 422 (an attachment has no report)
 */
export async function buildReport(
  db: DbOrTx,
  principal: Principal,
  id: string,
  format: "xlsx" | "csv",
): Promise<{ body: Uint8Array; contentType: string; filename: string }> {
  const u = await loadVisibleUpload(db, principal, id);
  if (u.kind === "attachment") throw new ApiError("unprocessable", "Attachments have no findings report");
  if (u.status !== "done") throw new ApiError("invalid_transition", `Upload ${id} is ${u.status}; the report exists once it is done`, { status: u.status });
  const findings = await allFindings(db, id);
  const summary: Record<string, number | string> = { File: u.filename, Kind: u.kind, Findings: u.findingsCount };
  const s = u.summary as { rows?: number; valid?: number; findings?: Record<string, number> } | null;
  if (s?.rows !== undefined) summary.Rows = s.rows;
  if (s?.valid !== undefined) summary["Valid rows"] = s.valid;
  for (const [code, n] of Object.entries(s?.findings ?? {})) summary[code] = n;
  const body = writeReport(findings, format, { summary });
  const base = u.filename.replace(/\.(xlsx|xls|csv)$/i, "");
  return { body, contentType: TYPES[format], filename: `${base}.findings.${format}` };
}
