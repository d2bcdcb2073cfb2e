import { z } from "zod";
import { text } from "@/lib/tickets/schemas";
import { checkRegexSafety, MAX_REGEX_LENGTH } from "./regex-safety";

/*
 * The one zod schema of a compliance rule set: the admin form, its JSON editor, the server
 * actions, the /api/rule-sets route handlers and the OpenAPI document all use it. Imported by
 * client components too, so this file must not import server-only modules.
 *
 * A rule set is `{name, description, rules}`; each rule is one of the kinds below (a
 * discriminated union on `type`), with an optional `id` (names the rule in counts and
 * messages; default `<position>-<type>`), `severity` (default `error`) and `message` (replaces
 * the generated finding message).
 *
 * Column names are matched tolerantly against the sheet's headers: case, spacing and
 * punctuation are ignored (see normalizeHeader in ./headers.ts), so "Expiry date" finds
 * "EXPIRY_DATE" and "Expiry-Date ".
 */

export const RULE_TYPES = ["required_columns", "not_empty", "domain", "pattern", "range", "cross_field", "unique", "reference"] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const SEVERITIES = ["error", "warning", "info"] as const;
export const CROSS_FIELD_OPS = ["<", "<=", ">", ">=", "=", "!="] as const;
export type CrossFieldOp = (typeof CROSS_FIELD_OPS)[number];
/** Flags a pattern may carry: i (ignore case), u (Unicode), s (dot matches newline). g/y/m would change what "the cell matches" means. */
export const PATTERN_FLAGS = /^(?!.*(.).*\1)[ius]*$/;

export const MAX_RULES = 200;
export const MAX_COLUMNS_PER_RULE = 50;
export const MAX_DOMAIN_VALUES = 1000;

/** `YYYY-MM-DD` (a real calendar date), `today`, or `today+N` / `today-N` (N days, at most 36,500). */
export const DATE_BOUND = /^(?:\d{4}-\d{2}-\d{2}|today(?:[+-]\d{1,5})?)$/;

const columnName = text().trim().min(1, "Enter a column name").max(255, "A column name has at most 255 characters");
const columnList = z
  .array(columnName)
  .min(1, "List at least one column")
  .max(MAX_COLUMNS_PER_RULE, `List at most ${MAX_COLUMNS_PER_RULE} columns`);

const common = {
  id: text()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$/, "A rule id uses letters, digits, '-', '_' or '.', at most 60 characters")
    .optional()
    .describe("Names the rule in counts and messages; default <position>-<type>"),
  severity: z.enum(SEVERITIES).default("error").describe("Severity of the findings this rule produces"),
  message: text().trim().min(1).max(300, "A message has at most 300 characters").optional().describe("Replaces the generated finding message"),
};

export const RequiredColumnsRuleSchema = z.strictObject({
  type: z.literal("required_columns"),
  columns: columnList.describe("Headers the sheet must have"),
  ...common,
});

export const NotEmptyRuleSchema = z.strictObject({
  type: z.literal("not_empty"),
  columns: columnList.describe("Columns whose cells must not be empty"),
  ...common,
});

export const DomainRuleSchema = z.strictObject({
  type: z.literal("domain"),
  column: columnName,
  values: z
    .array(text().trim().min(1, "An allowed value cannot be empty").max(255))
    .min(1, "List at least one allowed value")
    .max(MAX_DOMAIN_VALUES, `List at most ${MAX_DOMAIN_VALUES} allowed values`),
  caseSensitive: z.boolean().optional().describe("Default false: 'released' matches 'Released'"),
  ...common,
});

export const PatternRuleSchema = z
  .strictObject({
    type: z.literal("pattern"),
    column: columnName,
    regex: z
      .string()
      .min(1, "Enter a regular expression")
      .max(MAX_REGEX_LENGTH, `A regular expression has at most ${MAX_REGEX_LENGTH} characters`)
      .describe("JavaScript regular expression the whole (trimmed) cell must match; it is anchored for you"),
    flags: z.string().regex(PATTERN_FLAGS, "Flags: any of i, u, s, each at most once").optional(),
    ...common,
  })
  .superRefine((rule, ctx) => {
    const problem = checkRegexSafety(rule.regex, rule.flags ?? "");
    if (problem) ctx.addIssue({ code: "custom", path: ["regex"], message: problem });
  });

export const RangeRuleSchema = z
  .strictObject({
    type: z.literal("range"),
    column: columnName,
    kind: z.enum(["number", "date"]),
    min: z.union([z.number(), z.string()]).optional().describe("Inclusive lower bound: a number, or for dates YYYY-MM-DD / today / today±N days"),
    max: z.union([z.number(), z.string()]).optional().describe("Inclusive upper bound, like min"),
    ...common,
  })
  .superRefine((rule, ctx) => {
    if (rule.min === undefined && rule.max === undefined) {
      ctx.addIssue({ code: "custom", path: ["min"], message: "Give a minimum, a maximum or both" });
      return;
    }
    for (const key of ["min", "max"] as const) {
      const v = rule[key];
      if (v === undefined) continue;
      if (rule.kind === "number" && (typeof v !== "number" || !Number.isFinite(v))) {
        ctx.addIssue({ code: "custom", path: [key], message: `For a number range, ${key} must be a number` });
      }
      if (rule.kind === "date" && (typeof v !== "string" || !DATE_BOUND.test(v) || (v.startsWith("today") ? false : !isCalendarDate(v)))) {
        ctx.addIssue({ code: "custom", path: [key], message: `For a date range, ${key} must be YYYY-MM-DD, "today" or "today+N"/"today-N" (days)` });
      }
    }
    if (rule.kind === "number" && typeof rule.min === "number" && typeof rule.max === "number" && rule.min > rule.max) {
      ctx.addIssue({ code: "custom", path: ["max"], message: "The maximum is below the minimum" });
    }
    if (rule.kind === "date" && typeof rule.min === "string" && typeof rule.max === "string" && isCalendarDate(rule.min) && isCalendarDate(rule.max) && rule.min > rule.max) {
      ctx.addIssue({ code: "custom", path: ["max"], message: "The latest date is before the earliest date" });
    }
  });

export const CrossFieldRuleSchema = z.strictObject({
  type: z.literal("cross_field"),
  left: columnName.describe("Column on the left of the comparison, e.g. Expiry date"),
  op: z.enum(CROSS_FIELD_OPS),
  right: columnName.describe("Column on the right, e.g. Manufacture date"),
  kind: z.enum(["number", "date"]),
  ...common,
});

export const UniqueRuleSchema = z.strictObject({
  type: z.literal("unique"),
  columns: columnList.describe("Columns whose combination must be unique within the sheet"),
  ...common,
});

export const ReferenceRuleSchema = z.strictObject({
  type: z.literal("reference"),
  column: columnName,
  dataset: text()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, "A dataset label uses lower-case letters, digits, '-' and '_', at most 80 characters")
    .describe("Label of the uploaded sheet to look values up in; the newest processed upload with that label is used"),
  refColumn: columnName.describe("Column of that sheet holding the allowed values"),
  ...common,
});

export const RuleSchema = z.discriminatedUnion("type", [
  RequiredColumnsRuleSchema,
  NotEmptyRuleSchema,
  DomainRuleSchema,
  PatternRuleSchema,
  RangeRuleSchema,
  CrossFieldRuleSchema,
  UniqueRuleSchema,
  ReferenceRuleSchema,
]);
export type Rule = z.output<typeof RuleSchema>;
/** A rule as written (severity optional). */
export type RuleInput = z.input<typeof RuleSchema>;

export const RulesSchema = z
  .array(RuleSchema)
  .min(1, "Add at least one rule")
  .max(MAX_RULES, `A rule set has at most ${MAX_RULES} rules`)
  .superRefine((rules, ctx) => {
    const seen = new Map<string, number>();
    rules.forEach((r, i) => {
      if (!r.id) return;
      const first = seen.get(r.id);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "id"], message: `Rule id "${r.id}" is already used by rule ${first + 1}` });
      else seen.set(r.id, i);
    });
  });

const ruleSetFields = {
  name: text().trim().min(2, "Enter a name of 2 to 120 characters").max(120, "Enter a name of 2 to 120 characters"),
  description: text().trim().max(2000, "Keep the description to 2,000 characters or fewer").default(""),
  rules: RulesSchema,
};

/** A rule set as the form, the JSON editor and POST /api/rule-sets send it. */
export const RuleSetSchema = z.strictObject({
  ...ruleSetFields,
  active: z.boolean().default(true).describe("Inactive rule sets are not offered for new uploads"),
});
export type RuleSet = z.output<typeof RuleSetSchema>;
export type RuleSetInput = z.input<typeof RuleSetSchema>;

/** PUT /api/rule-sets/{id}: the whole rule set again; `expectedVersion` guards against overwriting someone else's change (409). */
export const UpdateRuleSetSchema = z.strictObject({
  ...ruleSetFields,
  active: z.boolean().optional().describe("Omit to keep the current state"),
  expectedVersion: z.number().int().min(1).optional().describe("The version you edited; 409 when the stored one differs"),
});
export type UpdateRuleSetInput = z.output<typeof UpdateRuleSetSchema>;

/** Query of GET /api/rule-sets. */
export const ListRuleSetsQuerySchema = z.strictObject({
  active: z.enum(["true", "false"]).optional().describe("true: only active rule sets (those offered for new uploads)"),
});

/** The part of a rule set the evaluator needs. */
export type RuleSetDefinition = Pick<RuleSet, "name" | "rules">;

/** True for `YYYY-MM-DD` naming a real day of the proleptic Gregorian calendar (ISO 8601). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

/** Issues of a failed parse as `{path: "rules.2.regex", message}`, in order (for the JSON editor and the API). */
export function issueList(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/**
 * Example rule set for pharmaceutical shipment registers, seeded in the demo. Batch/lot as in
 * GS1 AI (10) (GS1 General Specifications §3.4.1: up to 20 characters of character set 82,
 * §7.11 Figure 7.11-1); expiry as AI (17) must come after the production date AI (11); every
 * shipped batch must be in the batch register (an upload labelled `batch-register`).
 */
export const PHARMA_SHIPMENT_RULE_SET = {
  name: "Pharma shipment register",
  description:
    "Shipment lines of medicinal products: batch, manufacture and expiry dates, quantity. Every batch must be in the batch register (upload labelled batch-register).",
  active: true,
  rules: [
    { id: "required", type: "required_columns", columns: ["Batch", "Expiry date", "Manufacture date", "Quantity"] },
    { id: "filled", type: "not_empty", columns: ["Batch", "Expiry date", "Quantity"] },
    {
      id: "batch-format",
      type: "pattern",
      column: "Batch",
      regex: "[!\"%&'()*+,./0-9:;<=>?A-Z_a-z-]{1,20}",
      message: "A batch/lot number is 1 to 20 characters of GS1 character set 82 (AI 10)",
    },
    { id: "quantity-positive", type: "range", column: "Quantity", kind: "number", min: 1 },
    { id: "expiry-after-manufacture", type: "cross_field", left: "Expiry date", op: ">", right: "Manufacture date", kind: "date" },
    { id: "not-expired", type: "range", column: "Expiry date", kind: "date", min: "today", severity: "warning", message: "The expiry date is before the day of the check" },
    { id: "batch-unique", type: "unique", columns: ["Batch"] },
    { id: "batch-registered", type: "reference", column: "Batch", dataset: "batch-register", refColumn: "Batch number" },
  ],
} satisfies RuleSetInput;
