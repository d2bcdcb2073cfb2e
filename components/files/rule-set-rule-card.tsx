"use client";

import { useId, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { RULE_TYPE_INFO, type RuleDraft } from "@/lib/files/compliance/draft";
import { CROSS_FIELD_OPS, RULE_TYPES, SEVERITIES } from "@/lib/files/compliance/schema";

type Field = Exclude<keyof RuleDraft, "uid">;

/**
 * One rule in the rule-set form: its type, severity, optional id and message, and the fields
 * of its type. Errors come keyed by field (`regex`, `columns`…) from the zod issues of this rule.
 */
export function RuleCard({
  draft,
  index,
  count,
  errors,
  onChange,
  onRemove,
  onMove,
}: {
  draft: RuleDraft;
  index: number;
  count: number;
  /** Field → message; "" for the rule as a whole. */
  errors: Partial<Record<Field | "", string>>;
  onChange: (patch: Partial<RuleDraft>) => void;
  onRemove: () => void;
  onMove: (delta: -1 | 1) => void;
}) {
  const uid = useId();
  const fid = (f: string) => `${uid}-${f}`;
  const title = `Rule ${index + 1}: ${RULE_TYPE_INFO[draft.type].label}`;

  const aria = (f: Field, hint = false) => ({
    "aria-invalid": errors[f] ? true : undefined,
    "aria-describedby": describedBy(hint && fid(`${f}-hint`), errors[f] && fid(`${f}-error`)),
  });

  function text(f: Field, label: string, opts: { hint?: ReactNode; mono?: boolean; placeholder?: string; maxLength?: number } = {}) {
    return (
      <div>
        <Label htmlFor={fid(f)}>{label}</Label>
        <input
          id={fid(f)}
          value={String(draft[f])}
          onChange={(e) => onChange({ [f]: e.target.value })}
          autoComplete="off"
          spellCheck={false}
          placeholder={opts.placeholder}
          maxLength={opts.maxLength ?? 255}
          className={cx(controlClass, "mt-1", opts.mono && "font-mono")}
          {...aria(f, !!opts.hint)}
        />
        {opts.hint ? <Hint id={fid(`${f}-hint`)}>{opts.hint}</Hint> : null}
        <FieldError id={fid(`${f}-error`)} message={errors[f]} />
      </div>
    );
  }

  function list(f: "columns" | "values", label: string, hint: string) {
    return (
      <div className="sm:col-span-2">
        <Label htmlFor={fid(f)}>{label}</Label>
        <textarea
          id={fid(f)}
          rows={3}
          value={draft[f]}
          onChange={(e) => onChange({ [f]: e.target.value })}
          spellCheck={false}
          className={cx(controlClass, "mt-1")}
          {...aria(f, true)}
        />
        <Hint id={fid(`${f}-hint`)}>{hint}</Hint>
        <FieldError id={fid(`${f}-error`)} message={errors[f]} />
      </div>
    );
  }

  function select<V extends string>(f: Field, label: string, options: readonly V[], labelOf: (v: V) => string = (v) => v) {
    return (
      <div>
        <Label htmlFor={fid(f)}>{label}</Label>
        <select id={fid(f)} value={String(draft[f])} onChange={(e) => onChange({ [f]: e.target.value })} className={cx(controlClass, "mt-1")} {...aria(f)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {labelOf(o)}
            </option>
          ))}
        </select>
        <FieldError id={fid(`${f}-error`)} message={errors[f]} />
      </div>
    );
  }

  const kindSelect = select("kind", "Compare as", ["number", "date"] as const, (k) => (k === "number" ? "Numbers" : "Dates (YYYY-MM-DD)"));

  return (
    <fieldset className="rounded-md border border-slate-200 p-3" data-testid={`rule-${index}`} aria-describedby={errors[""] ? fid("rule-error") : undefined}>
      <legend className="px-1 text-sm font-semibold text-slate-900">{title}</legend>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-slate-600">{RULE_TYPE_INFO[draft.type].help}</p>
        <div className="flex gap-1">
          <Button size="sm" variant="ghost" onClick={() => onMove(-1)} disabled={index === 0} aria-label={`Move rule ${index + 1} up`}>
            ↑
          </Button>
          <Button size="sm" variant="ghost" onClick={() => onMove(1)} disabled={index === count - 1} aria-label={`Move rule ${index + 1} down`}>
            ↓
          </Button>
          <Button size="sm" variant="secondary" onClick={onRemove} aria-label={`Remove rule ${index + 1}`}>
            Remove
          </Button>
        </div>
      </div>
      <FieldError id={fid("rule-error")} message={errors[""]} />

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {select("type", "Type", RULE_TYPES, (t) => RULE_TYPE_INFO[t].label)}
        {select("severity", "Severity", SEVERITIES, (s) => s[0].toUpperCase() + s.slice(1))}

        {draft.type === "required_columns" ? list("columns", "Columns (one per line)", "Headers the sheet must have.") : null}
        {draft.type === "not_empty" ? list("columns", "Columns (one per line)", "Columns every row must fill.") : null}
        {draft.type === "unique" ? list("columns", "Columns (one per line)", "Rows must differ in the combination of these columns.") : null}

        {draft.type === "domain" ? (
          <>
            {text("column", "Column")}
            <div className="flex items-end pb-2">
              <input id={fid("caseSensitive")} type="checkbox" checked={draft.caseSensitive} onChange={(e) => onChange({ caseSensitive: e.target.checked })} className="h-4 w-4 rounded border-slate-300" />
              <label htmlFor={fid("caseSensitive")} className="ml-2 text-sm text-slate-800">
                Case matters
              </label>
            </div>
            {list("values", "Allowed values (one per line)", "Compared after trimming spaces; without “Case matters”, Released = released.")}
          </>
        ) : null}

        {draft.type === "pattern" ? (
          <>
            {text("column", "Column")}
            {text("flags", "Flags (optional)", { hint: "i: ignore case, u: Unicode, s: dot matches newlines", mono: true, maxLength: 3 })}
            <div className="sm:col-span-2">
              {text("regex", "Regular expression", {
                hint: "JavaScript syntax. The whole cell must match (no ^ or $ needed). Nested repeats such as (a+)+ are refused: they can hang on long cells.",
                mono: true,
                maxLength: 500,
                placeholder: "[A-Z]{2}\\d{6}",
              })}
            </div>
          </>
        ) : null}

        {draft.type === "range" ? (
          <>
            {text("column", "Column")}
            {kindSelect}
            {text("min", "Minimum (optional)", { hint: draft.kind === "date" ? "YYYY-MM-DD, today, or today+30 / today-7 (days)" : "A number; inclusive", placeholder: draft.kind === "date" ? "today" : "1" })}
            {text("max", "Maximum (optional)", { hint: draft.kind === "date" ? "Like the minimum" : "A number; inclusive" })}
          </>
        ) : null}

        {draft.type === "cross_field" ? (
          <>
            {text("left", "Column", { placeholder: "Expiry date" })}
            {select("op", "Must be", CROSS_FIELD_OPS)}
            {text("right", "Than column", { placeholder: "Manufacture date" })}
            {kindSelect}
          </>
        ) : null}

        {draft.type === "reference" ? (
          <>
            {text("column", "Column")}
            {text("dataset", "Dataset label", { hint: "The label given to the referenced upload, e.g. batch-register; its newest processed upload is used.", mono: true, maxLength: 80 })}
            {text("refColumn", "Column in that sheet", { placeholder: "Batch number" })}
          </>
        ) : null}

        {text("id", "Rule id (optional)", { hint: "Names the rule in counts; letters, digits, - _ .", mono: true, maxLength: 60 })}
        {text("message", "Message (optional)", { hint: "Replaces the generated finding message.", maxLength: 300 })}
      </div>
    </fieldset>
  );
}
