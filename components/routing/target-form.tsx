"use client";

import { startTransition, useActionState, useId, useState, type FormEvent, type ReactNode } from "react";
import type { Priority } from "@/db/schema/enums";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { CreateTargetSchema, MAX_HEADERS, UpdateTargetSchema } from "@/lib/routing/targets/schemas";
import { TARGET_KINDS, TARGET_METHODS, type TargetKind } from "@/lib/routing/targets/types";
import {
  createPayload,
  emptyTargetValues,
  issuesToFieldErrors,
  PRIORITY_KEYS,
  updatePayload,
  type TargetFormState,
  type TargetFormValues,
} from "./target-input";

const KIND_LABEL: Record<TargetKind, string> = { jira: "Jira", freshservice: "Freshservice", slack: "Slack", webhook: "Webhook (signed JSON)" };
const THRESHOLD_LABEL: Record<Priority, string> = { P1: "P1 only", P2: "P2 and above", P3: "P3 and above", P4: "All priorities (P4 and above)" };
const URL_HINT: Record<TargetKind, string> = {
  jira: "The site, e.g. https://acme.atlassian.net (issues are created with REST v2).",
  freshservice: "The helpdesk, e.g. https://acme.freshservice.com (tickets are created with API v2).",
  slack: "The incoming-webhook URL from Slack. It is a credential: the list shows only its host.",
  webhook: "Your receiver. Requests are JSON, signed with HMAC-SHA256 in X-Switchboard-Signature.",
};
const SECRET_LABEL: Record<TargetKind, string> = {
  jira: "API token (email:api-token, or a personal access token)",
  freshservice: "API key",
  slack: "Secret",
  webhook: "Signing secret",
};

/** Create or edit one team mapping. `initial`/`stored` given: edit (sends only what changed). */
export function TargetForm({
  teams,
  action,
  initial,
  stored,
  submitLabel,
}: {
  teams: { slug: string; name: string }[];
  action: (prev: TargetFormState, input: unknown) => Promise<TargetFormState>;
  /** The stored mapping's values (edit), or absent (create). */
  initial?: TargetFormValues;
  /** What is stored but never shown (edit). */
  stored?: { headerNames: string[]; hasSecret: boolean };
  submitLabel: string;
}) {
  const id = useId();
  const fid = (f: string) => `${id}-${f.replace(/\./g, "-")}`;
  const editing = !!initial;
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [values, setValues] = useState<TargetFormValues>(initial ?? emptyTargetValues(teams[0]?.slug ?? ""));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [clearedFor, setClearedFor] = useState<string | null>(null);

  // After a successful create, start a fresh form; after an edit, forget typed secrets.
  if (state.status === "success" && state.data.id !== clearedFor) {
    setClearedFor(state.data.id);
    setValues((v) => (editing ? { ...v, secret: "", headers: "", clearSecret: false, clearHeaders: false } : emptyTargetValues(v.team)));
  }

  const serverErrors: Partial<Record<string, string>> = state.status === "error" ? state.fieldErrors : {};
  const errorOf = (f: string): string | undefined => clientErrors[f] ?? serverErrors[f];
  const hasClientErrors = Object.keys(clientErrors).length > 0;

  function set<K extends keyof TargetFormValues>(field: K, value: TargetFormValues[K], errKey: string = field) {
    setValues((v) => ({ ...v, [field]: value }));
    setClientErrors((e) => {
      const { [errKey]: _drop, ...rest } = e;
      return rest;
    });
  }

  function setPriority(which: "jiraPriorities" | "fsPriorities", p: Priority, value: string) {
    setValues((v) => ({ ...v, [which]: { ...v[which], [p]: value } }));
    setClientErrors((e) => {
      const { [`config.priorities.${p}`]: _drop, ...rest } = e;
      return rest;
    });
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const built = initial ? updatePayload(values, initial) : createPayload(values);
    let errs: Record<string, string> = "fieldErrors" in built ? built.fieldErrors : {};
    if ("payload" in built) {
      const parsed = (initial ? UpdateTargetSchema : CreateTargetSchema).safeParse(built.payload);
      if (!parsed.success) errs = issuesToFieldErrors(parsed.error.issues);
    }
    if (Object.keys(errs).length > 0) {
      setClientErrors(errs);
      const first = Object.keys(errs)[0];
      (document.getElementById(fid(first)) ?? document.getElementById(fid("name")))?.focus();
      return;
    }
    setClientErrors({});
    if ("payload" in built) startTransition(() => dispatch(built.payload));
  }

  const aria = (f: string, hint = false) => ({
    "aria-invalid": errorOf(f) ? true : undefined,
    "aria-describedby": describedBy(hint && fid(`${f}-hint`), errorOf(f) && fid(`${f}-error`)),
  });

  const text = (f: keyof TargetFormValues & string, label: ReactNode, opts: { hint?: ReactNode; errKey?: string; mono?: boolean; type?: string; max?: number; autoComplete?: string } = {}) => {
    const key = opts.errKey ?? f;
    return (
      <div>
        <Label htmlFor={fid(key)}>{label}</Label>
        <input
          id={fid(key)}
          type={opts.type ?? "text"}
          value={values[f] as string}
          onChange={(e) => set(f, e.target.value as never, key)}
          maxLength={opts.max}
          autoComplete={opts.autoComplete ?? "off"}
          spellCheck={false}
          className={cx(controlClass, "mt-1", opts.mono && "font-mono")}
          {...aria(key, !!opts.hint)}
        />
        {opts.hint ? <Hint id={fid(`${key}-hint`)}>{opts.hint}</Hint> : null}
        <FieldError id={fid(`${key}-error`)} message={errorOf(key)} />
      </div>
    );
  };

  const priorityInputs = (which: "jiraPriorities" | "fsPriorities", legend: string, hint: string, numeric: boolean) => (
    <fieldset>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <p className="text-xs text-slate-600">{hint}</p>
      <div className="mt-1 grid grid-cols-2 gap-2 sm:grid-cols-4">
        {PRIORITY_KEYS.map((p) => {
          const key = `config.priorities.${p}`;
          return (
            <div key={p}>
              <Label htmlFor={fid(key)} className="text-xs">
                {p}
              </Label>
              <input
                id={fid(key)}
                value={values[which][p]}
                inputMode={numeric ? "numeric" : undefined}
                onChange={(e) => setPriority(which, p, e.target.value)}
                maxLength={40}
                autoComplete="off"
                className={cx(controlClass, "mt-0.5")}
                {...aria(key)}
              />
              <FieldError id={fid(`${key}-error`)} message={errorOf(key)} />
            </div>
          );
        })}
      </div>
    </fieldset>
  );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-labelledby={fid("h")} aria-busy={pending} data-testid="target-form">
      <h2 id={fid("h")} className="text-base font-semibold text-slate-900">
        {editing ? "Edit mapping" : "New team mapping"}
      </h2>
      <FormMessages state={state} hasClientErrors={hasClientErrors} clientErrorNote="Please correct the highlighted fields." />

      {text("name", "Name", { max: 80 })}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <Label htmlFor={fid("team")}>Team</Label>
          <select id={fid("team")} value={values.team} onChange={(e) => set("team", e.target.value)} className={cx(controlClass, "mt-1")} {...aria("team")}>
            {teams.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
          <FieldError id={fid("team-error")} message={errorOf("team")} />
        </div>
        <div>
          <Label htmlFor={fid("kind")}>System</Label>
          <select id={fid("kind")} value={values.kind} onChange={(e) => set("kind", e.target.value as TargetKind)} className={cx(controlClass, "mt-1")} {...aria("kind")}>
            {TARGET_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
          <FieldError id={fid("kind-error")} message={errorOf("kind")} />
        </div>
      </div>
      {text("url", "URL", { hint: URL_HINT[values.kind], mono: true, max: 2000, type: "url" })}

      {values.kind === "jira" ? (
        <div className="space-y-3 rounded-md border border-slate-200 p-3">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            {text("jiraProjectKey", "Project key", { errKey: "config.projectKey", mono: true, max: 20, hint: "For example OPS." })}
            {text("jiraIssueType", "Issue type", { errKey: "config.issueType", max: 60 })}
          </div>
          {priorityInputs("jiraPriorities", "Jira priority names", "Empty: Highest, High, Medium, Low.", false)}
        </div>
      ) : null}
      {values.kind === "freshservice" ? (
        <div className="space-y-3 rounded-md border border-slate-200 p-3">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            {text("fsGroupId", "Group id (optional)", { errKey: "config.groupId", mono: true, max: 20 })}
            {text("fsSource", "Source number", { errKey: "config.source", mono: true, max: 2, hint: "2 = portal." })}
          </div>
          {priorityInputs("fsPriorities", "Freshservice priority numbers (1 low – 4 urgent)", "Empty: P1 → 4, P2 → 3, P3 → 2, P4 → 1.", true)}
        </div>
      ) : null}
      {values.kind === "slack" ? (
        <div className="grid grid-cols-1 gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-2">
          {text("slackChannel", "Channel (optional)", { errKey: "config.channel", max: 80, hint: "For example #it-ops; empty: the hook's channel." })}
          {text("slackMention", "Mention on P1 (optional)", { errKey: "config.mentionOnP1", max: 40, hint: "For example <!here>." })}
        </div>
      ) : null}

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <Label htmlFor={fid("priorityThreshold")}>Push tickets of</Label>
          <select
            id={fid("priorityThreshold")}
            value={values.priorityThreshold}
            onChange={(e) => set("priorityThreshold", e.target.value as Priority)}
            className={cx(controlClass, "mt-1")}
            {...aria("priorityThreshold")}
          >
            {PRIORITY_KEYS.map((p) => (
              <option key={p} value={p}>
                {THRESHOLD_LABEL[p]}
              </option>
            ))}
          </select>
          <FieldError id={fid("priorityThreshold-error")} message={errorOf("priorityThreshold")} />
        </div>
        <div>
          <Label htmlFor={fid("method")}>HTTP method</Label>
          <select id={fid("method")} value={values.method} onChange={(e) => set("method", e.target.value as TargetFormValues["method"])} className={cx(controlClass, "mt-1")} {...aria("method")}>
            {TARGET_METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <FieldError id={fid("method-error")} message={errorOf("method")} />
        </div>
      </div>

      {values.kind === "slack" ? null : (
      <div>
        <Label htmlFor={fid("secret")}>{SECRET_LABEL[values.kind]}</Label>
        <input
          id={fid("secret")}
          type="password"
          value={values.secret}
          onChange={(e) => set("secret", e.target.value)}
          maxLength={4000}
          autoComplete="new-password"
          disabled={values.clearSecret}
          className={cx(controlClass, "mt-1 font-mono")}
          {...aria("secret", true)}
        />
        <Hint id={fid("secret-hint")}>
          {stored?.hasSecret ? "A secret is stored. Leave this empty to keep it; type a new one to replace it." : "Stored encrypted; never shown again."}
        </Hint>
        <FieldError id={fid("secret-error")} message={errorOf("secret")} />
        {stored?.hasSecret ? (
          <label className="mt-1 flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" checked={values.clearSecret} onChange={(e) => set("clearSecret", e.target.checked, "secret")} className="h-4 w-4 rounded border-slate-400" />
            Remove the stored secret
          </label>
        ) : null}
      </div>
      )}

      <div>
        <Label htmlFor={fid("headers")}>Custom headers (optional)</Label>
        <textarea
          id={fid("headers")}
          rows={3}
          value={values.headers}
          onChange={(e) => set("headers", e.target.value)}
          disabled={values.clearHeaders}
          spellCheck={false}
          placeholder="X-Api-Key: value"
          className={cx(controlClass, "mt-1 font-mono")}
          {...aria("headers", true)}
        />
        <Hint id={fid("headers-hint")}>
          One <span className="font-mono">Name: value</span> per line, at most {MAX_HEADERS}. Values are stored encrypted and never shown.
          {stored && stored.headerNames.length > 0 ? ` Stored: ${stored.headerNames.join(", ")}. Leave empty to keep them; anything typed replaces them all.` : null}
        </Hint>
        <FieldError id={fid("headers-error")} message={errorOf("headers")} />
        {stored && stored.headerNames.length > 0 ? (
          <label className="mt-1 flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" checked={values.clearHeaders} onChange={(e) => set("clearHeaders", e.target.checked, "headers")} className="h-4 w-4 rounded border-slate-400" />
            Remove the stored headers
          </label>
        ) : null}
      </div>

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {text("retryLimit", "Retries", { hint: "After the first attempt, 0–50.", max: 2 })}
        {text("retryDelayS", "First retry after (seconds)", { hint: "Doubles each time, with jitter; 1–3600.", max: 4 })}
      </div>

      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input type="checkbox" checked={values.active} onChange={(e) => set("active", e.target.checked)} className="h-4 w-4 rounded border-slate-400" />
        Active (push new tickets)
      </label>

      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}
