"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { RuleCard } from "./rule-set-rule-card";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { describePath, draftFromRule, emptyDraft, errorsByPlace, RULE_TYPE_INFO, ruleFromDraft, type RuleDraft, type RuleSetFormState } from "@/lib/files/compliance/draft";
import { issueList, RULE_TYPES, RuleSetSchema, UpdateRuleSetSchema, type RuleType } from "@/lib/files/compliance/schema";

type Action = (prev: RuleSetFormState, input: unknown) => Promise<RuleSetFormState>;

export interface RuleSetEditorValue {
  name: string;
  description: string;
  active: boolean;
  rules: Record<string, unknown>[];
  /** The stored version being edited (edit mode): sent as expectedVersion. */
  version?: number;
}

const idle: RuleSetFormState = { status: "idle" };
const noDeactivate = async (): Promise<RuleSetFormState> => idle;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** The rules typed in the JSON editor, or why they cannot be read. */
function parseRulesJson(text: string): { rules: unknown[] } | { problem: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { problem: `Not valid JSON: ${(err as Error).message}` };
  }
  if (!Array.isArray(v)) return { problem: 'The JSON must be a list of rules: [{"type": "required_columns", "columns": ["Batch"]}, …]' };
  return { rules: v };
}

/**
 * Create or edit a compliance rule set: name, description, and the rules, edited either as a
 * form (a card per rule, fields by rule type) or as JSON. Both are checked with the same zod
 * schema as the server (RuleSetSchema / UpdateRuleSetSchema) before sending; problems are shown
 * at their field in the form, or listed by path ("Rule 3 › regex") under the JSON. A save that
 * would overwrite someone else's newer version comes back as a conflict message.
 */
export function RuleSetEditor({
  mode,
  initial,
  example,
  action,
  deactivate,
}: {
  mode: "create" | "edit";
  initial: RuleSetEditorValue;
  /** Create mode: a rule set the admin can start from. */
  example?: Omit<RuleSetEditorValue, "version">;
  action: Action;
  deactivate?: (prev: RuleSetFormState) => Promise<RuleSetFormState>;
}) {
  const id = useId();
  const fid = (f: string) => `${id}-${f}`;
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const seq = useRef(0);
  const nextUid = () => `new-${++seq.current}`;

  const [state, dispatch, pending] = useActionState(action, idle);
  const [dState, dDispatch, dPending] = useActionState(deactivate ?? noDeactivate, idle);
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [active, setActive] = useState(initial.active);
  const [version, setVersion] = useState(initial.version);
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => initial.rules.map((r, i) => draftFromRule(r, `init-${i}`)));
  const [view, setView] = useState<"form" | "json">("form");
  const [json, setJson] = useState("");
  const [jsonProblem, setJsonProblem] = useState<string | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string> | null>(null);
  const [newType, setNewType] = useState<RuleType>("required_columns");
  const [handled, setHandled] = useState<RuleSetFormState[]>([]);
  // Which action's message to show: the one used last.
  const [last, setLast] = useState<"save" | "deactivate">("save");

  // A save or deactivation went through: follow the stored version (once per result).
  for (const s of [state, dState]) {
    if (s.status === "success" && !handled.includes(s)) {
      setHandled((h) => [...h, s]);
      setVersion(s.data.version);
      setActive(s.data.active);
      setClientErrors(null);
    }
  }
  useEffect(() => {
    if (mode === "create" && state.status === "success") router.push(`/admin/rule-sets/${state.data.id}`);
  }, [mode, state, router]);

  const errors: Record<string, string> = clientErrors ?? (state.status === "error" ? state.fieldErrors : {}) as Record<string, string>;
  const ruleErrors = (i: number) => {
    const out: Record<string, string> = {};
    const prefix = `rules.${i}`;
    for (const [k, v] of Object.entries(errors)) {
      if (k === prefix) out[""] = v;
      else if (k.startsWith(`${prefix}.`)) out[k.slice(prefix.length + 1)] = v;
    }
    return out;
  };

  function focusFirstProblem() {
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  function update(i: number, patch: Partial<RuleDraft>) {
    setDrafts((ds) => ds.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  }
  function move(i: number, delta: -1 | 1) {
    setDrafts((ds) => {
      const j = i + delta;
      if (j < 0 || j >= ds.length) return ds;
      const out = [...ds];
      [out[i], out[j]] = [out[j], out[i]];
      return out;
    });
  }

  function showJson() {
    setJson(JSON.stringify(drafts.map(ruleFromDraft), null, 2));
    setJsonProblem(null);
    setView("json");
  }
  function showForm() {
    const r = parseRulesJson(json);
    if ("problem" in r) {
      setJsonProblem(r.problem);
      focusFirstProblem();
      return;
    }
    setDrafts(r.rules.map((rule) => draftFromRule(isObject(rule) ? rule : {}, nextUid())));
    setJsonProblem(null);
    setView("form");
  }

  function loadExample() {
    if (!example) return;
    setName(example.name);
    setDescription(example.description);
    setDrafts(example.rules.map((r) => draftFromRule(r, nextUid())));
    if (view === "json") setJson(JSON.stringify(example.rules, null, 2));
    setClientErrors(null);
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    let rules: unknown[];
    if (view === "json") {
      const r = parseRulesJson(json);
      if ("problem" in r) {
        setJsonProblem(r.problem);
        focusFirstProblem();
        return;
      }
      rules = r.rules;
    } else rules = drafts.map(ruleFromDraft);
    const input = mode === "create" ? { name, description, active, rules } : { name, description, active, rules, expectedVersion: version };
    const parsed = (mode === "create" ? RuleSetSchema : UpdateRuleSetSchema).safeParse(input);
    setJsonProblem(null);
    if (!parsed.success) {
      setClientErrors(errorsByPlace(issueList(parsed.error)));
      focusFirstProblem();
      return;
    }
    setClientErrors({});
    setLast("save");
    startTransition(() => dispatch(input));
  }

  const hasClientErrors = !!clientErrors && Object.keys(clientErrors).length > 0;
  const ruleProblems = Object.entries(errors).filter(([k]) => k.startsWith("rules") || k === "form" || k === "expectedVersion");
  const aria = (f: string, hint = false) => ({
    "aria-invalid": errors[f] ? true : undefined,
    "aria-describedby": describedBy(hint && fid(`${f}-hint`), errors[f] && fid(`${f}-error`)),
  });
  const shown = last === "deactivate" ? dState : state;

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4" aria-labelledby={fid("h")} aria-busy={pending || dPending}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={fid("h")} className="text-base font-semibold text-slate-900">
          {mode === "create" ? "New rule set" : `Edit rule set (version ${version})`}
        </h2>
        {example ? (
          <Button size="sm" variant="secondary" onClick={loadExample}>
            Start from the example: {example.name}
          </Button>
        ) : null}
      </div>

      <div role="alert" className="empty:absolute">
        {hasClientErrors ? (
          <Alert tone="error">Please correct the highlighted problems ({Object.keys(clientErrors!).length}).</Alert>
        ) : shown.status === "error" ? (
          <Alert tone="error">{shown.message}</Alert>
        ) : null}
      </div>
      <div role="status" className="empty:absolute">
        {!hasClientErrors && shown.status === "success" ? (
          <Alert tone="success" className="font-medium">
            {shown.message}
          </Alert>
        ) : null}
      </div>

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <Label htmlFor={fid("name")}>Name</Label>
          <input id={fid("name")} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} autoComplete="off" className={cx(controlClass, "mt-1")} {...aria("name")} />
          <FieldError id={fid("name-error")} message={errors.name} />
        </div>
        {mode === "edit" ? (
          <div className="flex items-end pb-2">
            <input id={fid("active")} type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} className="h-4 w-4 rounded border-slate-300" aria-describedby={fid("active-hint")} />
            <label htmlFor={fid("active")} className="ml-2 text-sm text-slate-800">
              Active
            </label>
            <span id={fid("active-hint")} className="ml-2 text-xs text-slate-600">
              Offered for new compliance uploads
            </span>
          </div>
        ) : null}
        <div className="sm:col-span-2">
          <Label htmlFor={fid("description")}>Description (optional)</Label>
          <textarea id={fid("description")} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} className={cx(controlClass, "mt-1")} {...aria("description")} />
          <FieldError id={fid("description-error")} message={errors.description} />
        </div>
      </div>

      <section aria-labelledby={fid("rules-h")} className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id={fid("rules-h")} className="text-sm font-semibold text-slate-900">
            Rules ({view === "form" ? drafts.length : "JSON"})
          </h3>
          <div className="flex gap-1" role="group" aria-label="Edit rules as">
            <Button size="sm" variant={view === "form" ? "primary" : "secondary"} aria-pressed={view === "form"} onClick={() => view === "json" && showForm()}>
              Form
            </Button>
            <Button size="sm" variant={view === "json" ? "primary" : "secondary"} aria-pressed={view === "json"} onClick={() => view === "form" && showJson()}>
              JSON
            </Button>
          </div>
        </div>
        <FieldError id={fid("rules-error")} message={errors.rules} />

        {view === "form" ? (
          <>
            {drafts.map((d, i) => (
              <RuleCard
                key={d.uid}
                draft={d}
                index={i}
                count={drafts.length}
                errors={ruleErrors(i)}
                onChange={(patch) => update(i, patch)}
                onRemove={() => setDrafts((ds) => ds.filter((_, j) => j !== i))}
                onMove={(delta) => move(i, delta)}
              />
            ))}
            {drafts.length === 0 ? <p className="text-sm text-slate-600">No rules yet. Add one below.</p> : null}
            <div className="flex flex-wrap items-end gap-2">
              <div>
                <Label htmlFor={fid("new-type")}>Add a rule</Label>
                <select id={fid("new-type")} value={newType} onChange={(e) => setNewType(e.target.value as RuleType)} className={cx(controlClass, "mt-1")}>
                  {RULE_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {RULE_TYPE_INFO[t].label}
                    </option>
                  ))}
                </select>
              </div>
              <Button variant="secondary" onClick={() => setDrafts((ds) => [...ds, emptyDraft(newType, nextUid())])}>
                Add rule
              </Button>
            </div>
          </>
        ) : (
          <div>
            <Label htmlFor={fid("json")}>Rules as JSON</Label>
            <textarea
              id={fid("json")}
              rows={18}
              value={json}
              onChange={(e) => setJson(e.target.value)}
              spellCheck={false}
              className={cx(controlClass, "mt-1 font-mono text-xs")}
              aria-invalid={jsonProblem || ruleProblems.length ? true : undefined}
              aria-describedby={describedBy(fid("json-hint"), (!!jsonProblem || ruleProblems.length > 0) && fid("json-errors"))}
            />
            <Hint id={fid("json-hint")}>
              A list of rules, each with a &quot;type&quot; ({RULE_TYPES.join(", ")}), optional &quot;severity&quot; (error, warning, info), &quot;id&quot; and &quot;message&quot;.
            </Hint>
            {jsonProblem || ruleProblems.length ? (
              <ul id={fid("json-errors")} className="mt-2 space-y-0.5 text-xs font-medium text-red-700" data-testid="json-errors">
                {jsonProblem ? <li>{jsonProblem}</li> : null}
                {ruleProblems.map(([path, message]) => (
                  <li key={path}>
                    <span className="font-mono">{describePath(path)}</span>: {message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        )}
      </section>

      <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 pt-3">
        <Button type="submit" disabled={pending || dPending}>
          {pending ? "Saving…" : mode === "create" ? "Create rule set" : "Save changes"}
        </Button>
        {mode === "edit" && deactivate && active ? (
          <Button variant="danger" disabled={pending || dPending} onClick={() => {
              setLast("deactivate");
              setClientErrors(null);
              startTransition(() => dDispatch());
            }}>
            {dPending ? "Deactivating…" : "Deactivate"}
          </Button>
        ) : null}
      </div>
    </form>
  );
}
