import type { Severity, UploadKind } from "@/lib/files/types";
import { SERIAL_FINDING_CODES } from "@/lib/files/types";

/**
 * An upload's `summary` (a JSON object whose shape depends on the kind) read into what the
 * detail page shows. Serial sheets: `{rows, valid, findings: {code: count}}` (SerialSummary).
 * Compliance sheets: `{ruleSet, sheet, rows, rowsWithErrors, rowsWithFindings, findings: {code:
 * count}, bySeverity, byRule, truncated, insightsFallback?}` (lib/files/process/compliance.ts);
 * the evaluator's nested `counts: {byCode, bySeverity}` is read too. Employee sheets and
 * registers (a compliance sheet named as a dataset, without a rule set): `{rows, sheet, headers}`;
 * employee sheets add `{valid, invalid, created, updated, newTeams: [{slug, name}], invitedUsers,
 * linkedUsers, byCode}`.
 * Unknown or missing fields are left out.
 */
export interface SummaryView {
  /** Data rows checked. */
  rows: number | null;
  /** Rows without any finding (serial sheets). */
  valid: number | null;
  /** Rows with at least one error / any finding (compliance sheets). */
  rowsWithErrors: number | null;
  rowsWithFindings: number | null;
  /** Findings per code, in display order (serial codes in their fixed order, others by count). */
  byCode: { code: string; count: number }[];
  /** Findings per severity (compliance sheets), null when the summary has none. */
  bySeverity: Record<Severity, number> | null;
  /** Employee sheets and registers: the sheet read and its headers. */
  sheet: string | null;
  headers: string[];
  /** Compliance sheets: only the first findings were stored (the counts cover all). */
  truncated: boolean;
  /** Compliance sheets: why the LLM's insights were not used (`<provider>:<reason>`), if one was asked. */
  insightsFallback: string | null;
  /** Employee sheets: what the import did (lib/routing/employees/process.ts), null for other kinds. */
  employees: {
    invalid: number | null;
    created: number | null;
    updated: number | null;
    newTeams: string[];
    invitedUsers: number | null;
    linkedUsers: number | null;
  } | null;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

function counts(x: unknown): Record<string, number> {
  if (!isRecord(x)) return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(x)) {
    const n = num(v);
    if (n !== null) out[k] = n;
  }
  return out;
}

/** Reads `summary` for an upload of `kind`; never throws (an absent summary gives empty counts). */
export function readSummary(kind: UploadKind, summary: Record<string, unknown> | undefined): SummaryView {
  const s = summary ?? {};
  const nested = isRecord(s.counts) ? s.counts : {};
  let byCode: { code: string; count: number }[];
  if (kind === "serials") {
    const f = counts(s.findings);
    byCode = SERIAL_FINDING_CODES.map((code) => ({ code, count: f[code] ?? 0 }));
  } else {
    const f = counts(nested.byCode ?? s.byCode ?? s.findings);
    byCode = Object.entries(f)
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }
  const sev = counts(nested.bySeverity ?? s.bySeverity);
  return {
    rows: num(s.rows),
    valid: num(s.valid),
    rowsWithErrors: num(s.rowsWithErrors),
    rowsWithFindings: num(s.rowsWithFindings),
    byCode,
    bySeverity: Object.keys(sev).length ? { error: sev.error ?? 0, warning: sev.warning ?? 0, info: sev.info ?? 0 } : null,
    sheet: typeof s.sheet === "string" ? s.sheet : null,
    headers: Array.isArray(s.headers) ? s.headers.filter((h): h is string => typeof h === "string") : [],
    truncated: s.truncated === true,
    insightsFallback: typeof s.insightsFallback === "string" ? s.insightsFallback : null,
    employees:
      kind === "employees"
        ? {
            invalid: num(s.invalid),
            created: num(s.created),
            updated: num(s.updated),
            newTeams: Array.isArray(s.newTeams)
              ? s.newTeams.map((t) => (isRecord(t) && typeof t.name === "string" ? t.name : null)).filter((t): t is string => t !== null)
              : [],
            invitedUsers: num(s.invitedUsers),
            linkedUsers: num(s.linkedUsers),
          }
        : null,
  };
}
