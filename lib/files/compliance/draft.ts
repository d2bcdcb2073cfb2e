import type { Severity } from "@/lib/files/types";
import type { FormState } from "@/lib/forms/form-state";
import type { CrossFieldOp, RuleType } from "./schema";

/*
 * The admin rule-set editor's working copy of a rule: every field as the form holds it (lists
 * as one item per line, bounds as typed), converted to and from the JSON the zod schema checks.
 * Pure; used by the client editor and its tests.
 */

export interface RuleDraft {
  /** React key; not part of the rule. */
  uid: string;
  type: RuleType;
  id: string;
  severity: Severity;
  message: string;
  column: string;
  /** required_columns, not_empty, unique: one column per line. */
  columns: string;
  /** domain: one allowed value per line. */
  values: string;
  caseSensitive: boolean;
  regex: string;
  flags: string;
  kind: "number" | "date";
  min: string;
  max: string;
  left: string;
  op: CrossFieldOp;
  right: string;
  dataset: string;
  refColumn: string;
}

/** The state the rule-set server actions return: field errors are keyed by zod path (`name`, `rules.2.regex`). */
export type RuleSetFormState = FormState<string, { id: string; name: string; version: number; active: boolean }>;

/** What each rule type is called in the form, and what it checks. */
export const RULE_TYPE_INFO: Record<RuleType, { label: string; help: string }> = {
  required_columns: { label: "Required columns", help: "The sheet must have these headers (case, spaces and punctuation ignored)." },
  not_empty: { label: "Not empty", help: "Every row must fill these columns." },
  domain: { label: "Allowed values", help: "The column may only hold one of these values." },
  pattern: { label: "Pattern", help: "The whole cell must match this regular expression." },
  range: { label: "Range", help: "A number or date between a minimum and/or maximum (inclusive)." },
  cross_field: { label: "Compare two columns", help: "E.g. Expiry date > Manufacture date, in every row." },
  unique: { label: "Unique", help: "No two rows may share the same values in these columns." },
  reference: { label: "Reference", help: "Every value must appear in a column of another uploaded sheet (its dataset label)." },
};

export function emptyDraft(type: RuleType, uid: string): RuleDraft {
  return {
    uid,
    type,
    id: "",
    severity: "error",
    message: "",
    column: "",
    columns: "",
    values: "",
    caseSensitive: false,
    regex: "",
    flags: "",
    kind: "number",
    min: "",
    max: "",
    left: "",
    op: ">",
    right: "",
    dataset: "",
    refColumn: "",
  };
}

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const lines = (v: unknown): string => (Array.isArray(v) ? v.map(str).join("\n") : str(v));
const splitLines = (s: string): string[] =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** A draft from a rule as stored or typed in the JSON editor (unknown fields are dropped; unknown types become required_columns). */
export function draftFromRule(rule: Record<string, unknown>, uid: string): RuleDraft {
  const type = (typeof rule.type === "string" && rule.type in RULE_TYPE_INFO ? rule.type : "required_columns") as RuleType;
  const d = emptyDraft(type, uid);
  return {
    ...d,
    id: str(rule.id),
    severity: rule.severity === "warning" || rule.severity === "info" ? rule.severity : "error",
    message: str(rule.message),
    column: str(rule.column),
    columns: lines(rule.columns),
    values: lines(rule.values),
    caseSensitive: rule.caseSensitive === true,
    regex: str(rule.regex),
    flags: str(rule.flags),
    kind: rule.kind === "date" ? "date" : "number",
    min: str(rule.min),
    max: str(rule.max),
    left: str(rule.left),
    op: (["<", "<=", ">", ">=", "=", "!="] as const).find((o) => o === rule.op) ?? d.op,
    right: str(rule.right),
    dataset: str(rule.dataset),
    refColumn: str(rule.refColumn),
  };
}

function bound(text: string, kind: "number" | "date"): number | string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (kind === "date") return t;
  const n = Number(t);
  return Number.isFinite(n) ? n : t; // leave the text for the schema to refuse with a message
}

/** The rule JSON for a draft: only the fields of its type; empty optional fields left out. */
export function ruleFromDraft(d: RuleDraft): Record<string, unknown> {
  const base = (extra: Record<string, unknown>) => ({
    ...(d.id.trim() ? { id: d.id.trim() } : {}),
    type: d.type,
    ...extra,
    severity: d.severity,
    ...(d.message.trim() ? { message: d.message.trim() } : {}),
  });
  switch (d.type) {
    case "required_columns":
    case "not_empty":
    case "unique":
      return base({ columns: splitLines(d.columns) });
    case "domain":
      return base({ column: d.column, values: splitLines(d.values), ...(d.caseSensitive ? { caseSensitive: true } : {}) });
    case "pattern":
      return base({ column: d.column, regex: d.regex, ...(d.flags.trim() ? { flags: d.flags.trim() } : {}) });
    case "range": {
      const min = bound(d.min, d.kind);
      const max = bound(d.max, d.kind);
      return base({ column: d.column, kind: d.kind, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
    }
    case "cross_field":
      return base({ left: d.left, op: d.op, right: d.right, kind: d.kind });
    case "reference":
      return base({ column: d.column, dataset: d.dataset, refColumn: d.refColumn });
  }
}

/**
 * Zod issues by where the form shows them: `name`, `description`, `rules` (the list itself),
 * `rules.<i>` (the rule as a whole) and `rules.<i>.<field>` (first message per place).
 */
export function errorsByPlace(issues: readonly { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { path, message } of issues) {
    const parts = path.split(".");
    const place = parts[0] === "rules" && parts.length > 3 ? parts.slice(0, 3).join(".") : path || "form";
    out[place] ??= message;
  }
  return out;
}

/** "rules.2.regex" → "Rule 3 › regex" for the JSON editor's error list (paths relative to the rules array when `rulesOnly`). */
export function describePath(path: string, rulesOnly = false): string {
  const parts = path.split(".").filter(Boolean);
  if (rulesOnly) parts.unshift("rules");
  if (parts[0] !== "rules") return parts.join(" › ") || "(whole rule set)";
  if (parts.length === 1) return "Rules";
  const [, i, ...rest] = parts;
  return [`Rule ${Number(i) + 1}`, ...rest.map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : p))].join(" › ");
}
