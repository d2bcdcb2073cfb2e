import type { Finding, ParsedSheet, Severity, SheetRow } from "@/lib/files/types";
import { findColumn, headerIndex, normalizeHeader } from "./headers";
import { MAX_PATTERN_INPUT } from "./regex-safety";
import type { CrossFieldOp, Rule, RuleSetDefinition } from "./schema";
import { dayOf, parseDateCell, parseNumberCell, resolveDateBound, todayUtc } from "./values";

/*
 * Compliance evaluation: one pass over a parsed sheet's rows, checking every rule of a rule
 * set (lib/files/compliance/schema.ts) on each row. Headers are indexed once, patterns
 * compiled once, numbers and dates parsed at most once per cell; 100,000 rows × 8 rules take
 * well under a second. Pure (no I/O): reference values come in through `refs`.
 */

/** Finding codes of compliance checks. */
export const COMPLIANCE_FINDING_CODES = [
  "missing_column",
  "empty_value",
  "value_not_allowed",
  "pattern_mismatch",
  "out_of_range",
  "cross_field_violation",
  "duplicate_value",
  "missing_reference",
  "invalid_number",
  "invalid_date",
  "missing_reference_dataset",
  "pattern_timeout",
] as const;
export type ComplianceFindingCode = (typeof COMPLIANCE_FINDING_CODES)[number];

/** A compliance finding: a {@link Finding} plus the key of the rule that produced it. */
export interface ComplianceFinding extends Finding {
  code: ComplianceFindingCode;
  /** Rule key ({@link ruleKey}); null never occurs today but keeps the type open for file-level checks. */
  rule: string | null;
}

export interface ComplianceCounts {
  bySeverity: Record<Severity, number>;
  byCode: Partial<Record<ComplianceFindingCode, number>>;
  /** The highest severity among each code's findings (a code can come from rules of different severities). */
  severityByCode: Partial<Record<ComplianceFindingCode, Severity>>;
  /** Per rule key ({@link ruleKey}). */
  byRule: Record<string, number>;
  /** Per column header as written in the sheet (or as named by the rule when the column is missing); file-level findings without a column are not counted. */
  byColumn: Record<string, number>;
}

/**
 * The outcome of checking one sheet. Counts cover every finding, even past `maxFindings`;
 * `findings` holds the first `maxFindings` in file order (row, then rule order).
 */
export interface ComplianceResult {
  ruleSet: string;
  sheet: string;
  /** Data rows checked (the header row excluded). */
  rows: number;
  /** Data rows with at least one `error` finding. */
  rowsWithErrors: number;
  /** Data rows with at least one finding of any severity. */
  rowsWithFindings: number;
  /** Findings of any severity, including those past the cap. */
  totalFindings: number;
  findings: ComplianceFinding[];
  /** True when `findings` was cut at `maxFindings`. */
  truncated: boolean;
  counts: ComplianceCounts;
  /** The first few findings of each code (for summaries), in file order. */
  examples: Partial<Record<ComplianceFindingCode, ComplianceFinding[]>>;
  /** The rules as evaluated: key, type and severity, in rule-set order. */
  rules: { key: string; type: Rule["type"]; severity: Severity }[];
  /** Wall time of the evaluation in ms. */
  elapsedMs: number;
}

export interface EvaluateOptions {
  /** The day `today` means in date ranges, `YYYY-MM-DD` (default: the current UTC date). */
  today?: string;
  /** Findings kept in `findings` (default 100,000); counts go on past it. */
  maxFindings?: number;
  /** Total matching time one pattern rule may take, ms (default 2,000); past it the rule stops with a `pattern_timeout` finding. */
  patternBudgetMs?: number;
  /** Findings kept per code in `examples` (default 3). */
  examplesPerCode?: number;
}

/** Sort rank of severities: error first. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The key a rule is counted under: its `id`, else `<1-based position>-<type>` (e.g. `3-pattern`). */
export function ruleKey(rule: Rule, index: number): string {
  return rule.id ?? `${index + 1}-${rule.type}`;
}

/**
 * The key of a reference value set in the `refs` map given to {@link evaluateRuleSet}:
 * `${dataset}::${normalizeHeader(refColumn)}`, e.g. `batch-register::batchnumber`.
 */
export function referenceKey(dataset: string, refColumn: string): string {
  return `${dataset}::${normalizeHeader(refColumn)}`;
}

/**
 * The other sheets a rule set looks values up in: one entry per distinct (dataset, column),
 * in rule order, with the {@link referenceKey} to store its values under.
 */
export function referencedDatasets(ruleSet: Pick<RuleSetDefinition, "rules">): { dataset: string; refColumn: string; key: string }[] {
  const out = new Map<string, { dataset: string; refColumn: string; key: string }>();
  for (const r of ruleSet.rules) {
    if (r.type !== "reference") continue;
    const key = referenceKey(r.dataset, r.refColumn);
    if (!out.has(key)) out.set(key, { dataset: r.dataset, refColumn: r.refColumn, key });
  }
  return [...out.values()];
}

/**
 * The values of one column of a referenced sheet, trimmed, empty cells left out, for the
 * `refs` map (under {@link referenceKey}). Null when the sheet has no such column (header
 * matched tolerantly); leave the key out of `refs` then, and the rule reports
 * `missing_reference_dataset`.
 */
export function referenceValues(sheet: ParsedSheet, refColumn: string): Set<string> | null {
  const col = findColumn(headerIndex(sheet.headers), refColumn);
  if (col < 0) return null;
  const set = new Set<string>();
  for (const r of sheet.rows) {
    const v = (r.values[col] ?? "").trim();
    if (v) set.add(v);
  }
  return set;
}

/**
 * The `refs` map for {@link evaluateRuleSet} from the referenced uploads, parsed: for each
 * (dataset, refColumn) a rule set names, the values of that column in the first sheet of the
 * dataset's workbook that has it. Datasets not in `workbooks`, or without the column, are
 * left out (the rule then reports `missing_reference_dataset`).
 * @param workbooks parsed workbook (e.g. ParsedWorkbook) per dataset label.
 */
export function referenceMap(
  ruleSet: Pick<RuleSetDefinition, "rules">,
  workbooks: ReadonlyMap<string, { sheets: readonly ParsedSheet[] }>,
): Map<string, Set<string>> {
  const refs = new Map<string, Set<string>>();
  for (const { dataset, refColumn, key } of referencedDatasets(ruleSet)) {
    for (const s of workbooks.get(dataset)?.sheets ?? []) {
      const values = referenceValues(s, refColumn);
      if (values) {
        refs.set(key, values);
        break;
      }
    }
  }
  return refs;
}

type Check = (row: SheetRow) => void;

const compare: Record<CrossFieldOp, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "=": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

const quote = (s: string, max = 60) => `"${s.length > max ? `${s.slice(0, max)}…` : s}"`;

/**
 * Check a parsed sheet against a rule set.
 *
 * - Column names in rules are matched tolerantly (case, spacing, punctuation); a column a rule
 *   needs that the sheet lacks is one `missing_column` finding (highest severity of the rules
 *   needing it) at the header row, and those rules are skipped.
 * - Empty cells (blank after trimming) are skipped by every rule except `not_empty`
 *   (`empty_value`); `unique` skips a row when any of its columns is empty.
 * - A number or date that cannot be read is one `invalid_number` / `invalid_date` per cell,
 *   with the severity of the first rule reading it.
 * - `reference` rules look trimmed cell values up in `refs.get(referenceKey(dataset, refColumn))`;
 *   when the key is absent the rule is skipped with one `missing_reference_dataset` (error).
 * - Finding rows are 1-based sheet rows; `column` is the header as written in the sheet.
 *
 * @param refs reference value sets keyed by {@link referenceKey} (see {@link referencedDatasets}, {@link referenceValues}).
 * @throws Error only when `opts.today` is not `YYYY-MM-DD`. Rules must have passed RuleSchema.
 */
export function evaluateRuleSet(
  ruleSet: RuleSetDefinition,
  sheet: ParsedSheet,
  refs: ReadonlyMap<string, ReadonlySet<string>>,
  opts: EvaluateOptions = {},
): ComplianceResult {
  const t0 = performance.now();
  const maxFindings = opts.maxFindings ?? 100_000;
  const examplesPerCode = opts.examplesPerCode ?? 3;
  const patternBudgetMs = opts.patternBudgetMs ?? 2000;
  const today = opts.today ?? todayUtc();
  if (Number.isNaN(parseDateCell(today)) || !/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`opts.today must be YYYY-MM-DD, got ${today}`);

  const index = headerIndex(sheet.headers);
  const findings: ComplianceFinding[] = [];
  const counts: ComplianceCounts = { bySeverity: { error: 0, warning: 0, info: 0 }, byCode: {}, severityByCode: {}, byRule: {}, byColumn: {} };
  const examples: ComplianceResult["examples"] = {};
  let totalFindings = 0;
  let rowsWithErrors = 0;
  let rowsWithFindings = 0;
  // The data row being checked (its sheet row number) and whether it already counted.
  let currentRow = -1;
  let rowHasError = false;
  let rowHasFinding = false;

  function emit(f: ComplianceFinding): void {
    totalFindings++;
    counts.bySeverity[f.severity]++;
    counts.byCode[f.code] = (counts.byCode[f.code] ?? 0) + 1;
    const worst = counts.severityByCode[f.code];
    if (!worst || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) counts.severityByCode[f.code] = f.severity;
    if (f.rule) counts.byRule[f.rule] = (counts.byRule[f.rule] ?? 0) + 1;
    if (f.column !== null) counts.byColumn[f.column] = (counts.byColumn[f.column] ?? 0) + 1;
    if (f.row === currentRow) {
      if (!rowHasFinding) {
        rowHasFinding = true;
        rowsWithFindings++;
      }
      if (f.severity === "error" && !rowHasError) {
        rowHasError = true;
        rowsWithErrors++;
      }
    }
    const ex = (examples[f.code] ??= []);
    if (ex.length < examplesPerCode) ex.push(f);
    if (findings.length < maxFindings) findings.push(f);
  }

  const rules = ruleSet.rules.map((r, i) => ({ rule: r, key: ruleKey(r, i) }));

  // 1. Columns: resolve every rule's columns once; one missing_column per absent column.
  const missing = new Map<string, { name: string; severity: Severity; rule: string; message: string | undefined }>();
  const needCols = (rule: Rule, key: string, names: readonly string[]): number[] | null => {
    const cols = names.map((n) => findColumn(index, n));
    names.forEach((n, j) => {
      if (cols[j] >= 0) return;
      const norm = normalizeHeader(n);
      const seen = missing.get(norm);
      if (!seen) missing.set(norm, { name: n, severity: rule.severity, rule: key, message: rule.type === "required_columns" ? rule.message : undefined });
      else if (SEVERITY_RANK[rule.severity] < SEVERITY_RANK[seen.severity]) Object.assign(seen, { severity: rule.severity, rule: key });
    });
    return cols.every((c) => c >= 0) ? cols : null;
  };
  const resolved = rules.map(({ rule, key }) => {
    switch (rule.type) {
      case "required_columns":
        needCols(rule, key, rule.columns);
        return null;
      case "not_empty":
      case "unique":
        return needCols(rule, key, rule.columns);
      case "cross_field":
        return needCols(rule, key, [rule.left, rule.right]);
      default:
        return needCols(rule, key, [rule.column]);
    }
  });
  for (const m of missing.values()) {
    emit({
      sheet: sheet.name,
      row: sheet.headerRow,
      column: m.name,
      code: "missing_column",
      severity: m.severity,
      message: m.message ?? `The sheet has no column "${m.name}" (headers are matched ignoring case, spaces and punctuation)`,
      value: null,
      rule: m.rule,
    });
  }

  // 2. Per-cell parse caches: a number/date is read once per cell and reported invalid once.
  const width = sheet.headers.length;
  const numVal = new Float64Array(width);
  const numStamp = new Int32Array(width).fill(-1);
  const dateVal = new Float64Array(width);
  const dateStamp = new Int32Array(width).fill(-1);
  let rowSeq = 0;
  const cell = (row: SheetRow, col: number): string => row.values[col] ?? "";
  const readNumber = (row: SheetRow, col: number, severity: Severity, rule: string): number => {
    if (numStamp[col] !== rowSeq) {
      numStamp[col] = rowSeq;
      const raw = cell(row, col);
      numVal[col] = parseNumberCell(raw);
      if (Number.isNaN(numVal[col])) {
        emit({ sheet: sheet.name, row: row.row, column: sheet.headers[col], code: "invalid_number", severity, message: `${quote(raw.trim())} is not a number`, value: raw, rule });
      }
    }
    return numVal[col];
  };
  const readDate = (row: SheetRow, col: number, severity: Severity, rule: string): number => {
    if (dateStamp[col] !== rowSeq) {
      dateStamp[col] = rowSeq;
      const raw = cell(row, col);
      dateVal[col] = parseDateCell(raw);
      if (Number.isNaN(dateVal[col])) {
        emit({ sheet: sheet.name, row: row.row, column: sheet.headers[col], code: "invalid_date", severity, message: `${quote(raw.trim())} is not a date (expected YYYY-MM-DD)`, value: raw, rule });
      }
    }
    return dateVal[col];
  };

  // 3. Compile each rule whose columns exist into a row check.
  const checks: Check[] = [];
  rules.forEach(({ rule, key }, i) => {
    const cols = resolved[i];
    if (!cols) return;
    const { severity } = rule;
    const base = (row: SheetRow, col: number, code: ComplianceFindingCode, generated: string, value: string | null): ComplianceFinding => ({
      sheet: sheet.name,
      row: row.row,
      column: sheet.headers[col],
      code,
      severity,
      message: rule.message ?? generated,
      value,
      rule: key,
    });
    switch (rule.type) {
      case "not_empty":
        checks.push((row) => {
          for (const col of cols) if (!cell(row, col).trim()) emit(base(row, col, "empty_value", `${sheet.headers[col]} is empty`, null));
        });
        break;
      case "domain": {
        const [col] = cols;
        const fold = rule.caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
        const allowed = new Set(rule.values.map((v) => fold(v.trim())));
        const shown = rule.values.slice(0, 6).join(", ") + (rule.values.length > 6 ? ", …" : "");
        checks.push((row) => {
          const v = cell(row, col).trim();
          if (v && !allowed.has(fold(v))) emit(base(row, col, "value_not_allowed", `${quote(v)} is not an allowed ${sheet.headers[col]} (${shown})`, v));
        });
        break;
      }
      case "pattern": {
        const [col] = cols;
        const re = new RegExp(`^(?:${rule.regex})$`, rule.flags ?? "");
        let spentMs = 0;
        let stopped = false;
        checks.push((row) => {
          if (stopped) return;
          const v = cell(row, col).trim();
          if (!v) return;
          if (v.length > MAX_PATTERN_INPUT) {
            emit(base(row, col, "pattern_mismatch", `${sheet.headers[col]} is longer than ${MAX_PATTERN_INPUT} characters; not checked against the pattern`, v.slice(0, 200)));
            return;
          }
          const s = performance.now();
          const ok = re.test(v);
          spentMs += performance.now() - s;
          if (!ok) emit(base(row, col, "pattern_mismatch", `${quote(v)} does not match the pattern for ${sheet.headers[col]}`, v));
          if (spentMs > patternBudgetMs) {
            stopped = true;
            emit({
              ...base(row, col, "pattern_timeout", "", null),
              message: `Stopped checking the pattern for ${sheet.headers[col]} after this row: matching took over ${patternBudgetMs} ms; simplify the pattern`,
            });
          }
        });
        break;
      }
      case "range": {
        const [col] = cols;
        if (rule.kind === "number") {
          const min = typeof rule.min === "number" ? rule.min : -Infinity;
          const max = typeof rule.max === "number" ? rule.max : Infinity;
          const want = describeBounds(rule.min, rule.max);
          checks.push((row) => {
            if (!cell(row, col).trim()) return;
            const n = readNumber(row, col, severity, key);
            if (!Number.isNaN(n) && (n < min || n > max)) emit(base(row, col, "out_of_range", `${sheet.headers[col]} ${quote(cell(row, col).trim())} is out of range (${want})`, cell(row, col)));
          });
        } else {
          const min = typeof rule.min === "string" ? resolveDateBound(rule.min, today) : -Infinity;
          const max = typeof rule.max === "string" ? resolveDateBound(rule.max, today) : Infinity;
          const want = describeBounds(rule.min, rule.max, today);
          checks.push((row) => {
            if (!cell(row, col).trim()) return;
            const t = readDate(row, col, severity, key);
            if (Number.isNaN(t)) return;
            const d = dayOf(t);
            if (d < min || d > max) emit(base(row, col, "out_of_range", `${sheet.headers[col]} ${quote(cell(row, col).trim())} is out of range (${want})`, cell(row, col)));
          });
        }
        break;
      }
      case "cross_field": {
        const [l, r] = cols;
        const cmp = compare[rule.op];
        const read = rule.kind === "number" ? readNumber : readDate;
        checks.push((row) => {
          const lv = cell(row, l).trim();
          const rv = cell(row, r).trim();
          if (!lv || !rv) return;
          const a = read(row, l, severity, key);
          const b = read(row, r, severity, key);
          if (Number.isNaN(a) || Number.isNaN(b)) return;
          if (!cmp(a, b)) {
            emit(base(row, l, "cross_field_violation", `${sheet.headers[l]} ${quote(lv)} must be ${rule.op} ${sheet.headers[r]} ${quote(rv)}`, lv));
          }
        });
        break;
      }
      case "unique": {
        const firstSeen = new Map<string, number>();
        const names = cols.map((c) => sheet.headers[c]).join(" + ");
        checks.push((row) => {
          let k = "";
          for (let j = 0; j < cols.length; j++) {
            const v = cell(row, cols[j]).trim();
            if (!v) return;
            k = j === 0 ? v : `${k}\u001f${v}`;
          }
          const first = firstSeen.get(k);
          if (first === undefined) firstSeen.set(k, row.row);
          else {
            const shown = k.split("\u001f").join(" / ");
            emit(base(row, cols[0], "duplicate_value", `${names} ${quote(shown)} repeats row ${first}`, shown));
          }
        });
        break;
      }
      case "reference": {
        const [col] = cols;
        const values = refs.get(referenceKey(rule.dataset, rule.refColumn));
        if (!values) {
          emit({
            sheet: sheet.name,
            row: sheet.headerRow,
            column: sheet.headers[col],
            code: "missing_reference_dataset",
            severity: "error",
            message: `No processed upload labelled "${rule.dataset}" with a column "${rule.refColumn}" to check ${sheet.headers[col]} against; upload it first`,
            value: null,
            rule: key,
          });
          return;
        }
        checks.push((row) => {
          const v = cell(row, col).trim();
          if (v && !values.has(v)) emit(base(row, col, "missing_reference", `${quote(v)} is not in ${rule.refColumn} of "${rule.dataset}"`, v));
        });
        break;
      }
      case "required_columns":
        break;
    }
  });

  // 4. One pass over the rows, rules in order: findings come out in file order.
  for (const row of sheet.rows) {
    rowSeq++;
    currentRow = row.row;
    rowHasError = false;
    rowHasFinding = false;
    for (const check of checks) check(row);
  }

  return {
    ruleSet: ruleSet.name,
    sheet: sheet.name,
    rows: sheet.rows.length,
    rowsWithErrors,
    rowsWithFindings,
    totalFindings,
    findings,
    truncated: totalFindings > findings.length,
    counts,
    examples,
    rules: rules.map(({ rule, key }) => ({ key, type: rule.type, severity: rule.severity })),
    elapsedMs: performance.now() - t0,
  };
}

function describeBounds(min: number | string | undefined, max: number | string | undefined, today?: string): string {
  const show = (b: number | string) => (typeof b === "string" && b.startsWith("today") && today ? `${b}, today being ${today}` : String(b));
  if (min !== undefined && max !== undefined) return `between ${show(min)} and ${show(max)}`;
  if (min !== undefined) return `at least ${show(min)}`;
  return `at most ${show(max!)}`;
}
