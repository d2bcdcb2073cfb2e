"use client";

import { startTransition, useActionState, useId, useState, type FormEvent, type ReactNode } from "react";
import { PRIORITIES } from "@/db/schema/enums";
import { ODATA_AUTH_KINDS, ODATA_VERSIONS, type ODataAuthKind, type ODataVersion } from "@/db/schema/sla";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { CreateODataSourceSchema, UpdateODataSourceSchema } from "@/lib/odata/schemas";
import { createSourcePayload, emptySourceValues, sourceFieldErrors, updateSourcePayload, type SourceFormState, type SourceFormValues } from "./source-input";

const AUTH_LABEL: Record<ODataAuthKind, string> = { none: "None", basic: "Basic (user and password)", bearer: "Bearer token" };
const VERSION_LABEL: Record<ODataVersion, string> = { v2: "V2 (SAP Gateway)", v4: "V4 (S/4HANA)" };

/** Create or edit one OData source. `initial`/`hasSecret` given: edit (sends only what changed). */
export function SourceForm({
  options,
  action,
  initial,
  hasSecret,
  submitLabel,
}: {
  options: { categories: { slug: string; name: string }[]; teams: { slug: string; name: string }[] };
  action: (prev: SourceFormState, input: unknown) => Promise<SourceFormState>;
  initial?: SourceFormValues;
  hasSecret?: boolean;
  submitLabel: string;
}) {
  const id = useId();
  const fid = (f: string) => `${id}-${f.replace(/\./g, "-")}`;
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [values, setValues] = useState<SourceFormValues>(initial ?? emptySourceValues());
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [clearedFor, setClearedFor] = useState<string | null>(null);

  if (state.status === "success" && state.data.id !== clearedFor) {
    setClearedFor(state.data.id);
    setValues((v) => (initial ? { ...v, secret: "", resetDelta: false } : emptySourceValues()));
  }
  const serverErrors: Partial<Record<string, string>> = state.status === "error" ? state.fieldErrors : {};
  const errorOf = (f: string) => clientErrors[f] ?? serverErrors[f];

  function set<K extends keyof SourceFormValues>(field: K, value: SourceFormValues[K], errKey: string = field) {
    setValues((v) => ({ ...v, [field]: value }));
    setClientErrors((e) => {
      const { [errKey]: _drop, ...rest } = e;
      return rest;
    });
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const built = initial ? updateSourcePayload(values, initial) : createSourcePayload(values);
    let errs: Record<string, string> = "fieldErrors" in built ? built.fieldErrors : {};
    if ("payload" in built) {
      const parsed = (initial ? UpdateODataSourceSchema : CreateODataSourceSchema).safeParse(built.payload);
      if (!parsed.success) errs = sourceFieldErrors(parsed.error.issues);
    }
    if (Object.keys(errs).length > 0) {
      setClientErrors(errs);
      (document.getElementById(fid(Object.keys(errs)[0])) ?? document.getElementById(fid("name")))?.focus();
      return;
    }
    setClientErrors({});
    if ("payload" in built) startTransition(() => dispatch(built.payload));
  }

  const aria = (f: string, hint: boolean) => ({
    "aria-invalid": errorOf(f) ? true : undefined,
    "aria-describedby": describedBy(hint && fid(`${f}-hint`), errorOf(f) && fid(`${f}-error`)),
  });
  const wrap = (key: string, label: ReactNode, control: ReactNode, hint?: ReactNode) => (
    <div>
      <Label htmlFor={fid(key)}>{label}</Label>
      {control}
      {hint ? <Hint id={fid(`${key}-hint`)}>{hint}</Hint> : null}
      <FieldError id={fid(`${key}-error`)} message={errorOf(key)} />
    </div>
  );
  const input = (f: keyof SourceFormValues & string, label: ReactNode, o: { key?: string; hint?: ReactNode; mono?: boolean; type?: string; max?: number } = {}) => {
    const key = o.key ?? f;
    return wrap(
      key,
      label,
      <input
        id={fid(key)}
        type={o.type ?? "text"}
        value={values[f] as string}
        onChange={(e) => set(f, e.target.value as never, key)}
        maxLength={o.max}
        autoComplete={o.type === "password" ? "new-password" : "off"}
        spellCheck={false}
        className={cx(controlClass, "mt-1", o.mono && "font-mono")}
        {...aria(key, !!o.hint)}
      />,
      o.hint,
    );
  };
  const select = <K extends keyof SourceFormValues & string>(f: K, label: string, choices: readonly { value: string; label: string }[]) =>
    wrap(
      f,
      label,
      <select id={fid(f)} value={values[f] as string} onChange={(e) => set(f, e.target.value as never)} className={cx(controlClass, "mt-1")} {...aria(f, false)}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>,
    );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-labelledby={fid("h")} aria-busy={pending} data-testid="odata-source-form">
      <h2 id={fid("h")} className="text-base font-semibold text-slate-900">
        {initial ? "Edit source" : "New OData source"}
      </h2>
      <FormMessages state={state} hasClientErrors={Object.keys(clientErrors).length > 0} clientErrorNote="Please correct the highlighted fields." />
      {input("name", "Name", { max: 80 })}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {select("version", "OData version", ODATA_VERSIONS.map((v) => ({ value: v, label: VERSION_LABEL[v] })))}
        {input("entitySet", "Entity set", { mono: true, max: 200, hint: "For example NotificationSet." })}
      </div>
      {input("baseUrl", "Service URL", { mono: true, type: "url", max: 2000, hint: "The service root, e.g. https://sap.example.com/sap/opu/odata/sap/ZPM_NOTIF_SRV" })}
      {input("filter", "$filter (optional)", { mono: true, max: 2000, hint: "As OData writes it, e.g. Priority le '2'. The delta filter is added with and." })}
      {input("select", "$select (optional)", { mono: true, max: 2000, hint: "Comma-separated properties." })}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {input("sapClient", "SAP client (optional)", { mono: true, max: 3, hint: "3 digits; sent as sap-client." })}
        {input("sapLanguage", "Language (optional)", { mono: true, max: 5, hint: "E.g. EN; sent as sap-language." })}
      </div>
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium text-slate-800">Authentication</legend>
        {select("authKind", "Kind", ODATA_AUTH_KINDS.map((k) => ({ value: k, label: AUTH_LABEL[k] })))}
        {values.authKind === "basic" ? input("username", "User", { max: 200 }) : null}
        {values.authKind !== "none"
          ? input("secret", values.authKind === "basic" ? "Password" : "Token", {
              type: "password",
              max: 4000,
              hint: hasSecret ? "A secret is stored. Leave this empty to keep it; type a new one to replace it." : "Stored encrypted; never shown again.",
            })
          : null}
      </fieldset>
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium text-slate-800">Mapping: entity properties → ticket</legend>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          {input("mapExternalId", "External id", { key: "mapping.externalId", mono: true, max: 128 })}
          {input("mapTitle", "Title", { key: "mapping.title", mono: true, max: 128 })}
          {input("mapDescription", "Description (optional)", { key: "mapping.description", mono: true, max: 128 })}
          {input("mapChangedAt", "Changed at (optional)", { key: "mapping.changedAt", mono: true, max: 128, hint: "Enables delta pulls." })}
          {input("mapPriority", "Priority (optional)", { key: "mapping.priority", mono: true, max: 128 })}
          {select("defaultPriority", "Default priority", PRIORITIES.map((p) => ({ value: p, label: p })))}
        </div>
        {wrap(
          "mapping.priorityMap",
          "Priority values (optional)",
          <textarea
            id={fid("mapping.priorityMap")}
            rows={3}
            value={values.priorityMap}
            onChange={(e) => set("priorityMap", e.target.value, "mapping.priorityMap")}
            spellCheck={false}
            placeholder={"1 = P1\n2 = P2"}
            className={cx(controlClass, "mt-1 font-mono")}
            {...aria("mapping.priorityMap", true)}
          />,
          "One value = P1..P4 per line; other values get the default priority.",
        )}
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          {input("closedField", "Closed when property (optional)", { key: "mapping.closed.field", mono: true, max: 128 })}
          {input("closedValues", "has one of", { key: "mapping.closed.values", max: 2000, hint: "Comma-separated, e.g. CLOSED, NOCO." })}
        </div>
      </fieldset>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {select("category", "Category of tickets", [{ value: "", label: "Suggested by triage" }, ...options.categories.map((c) => ({ value: c.slug, label: c.name }))])}
        {select("team", "Team of tickets", [{ value: "", label: "The category's team" }, ...options.teams.map((t) => ({ value: t.slug, label: t.name }))])}
      </div>
      {input("intervalMin", "Pull every (minutes)", { max: 5, hint: "1–10,080." })}
      {input("reportTo", "Mail each run's report to (optional)", { key: "reportTo", max: 5000, hint: "E-mail addresses, comma-separated." })}
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input type="checkbox" checked={values.active} onChange={(e) => set("active", e.target.checked)} className="h-4 w-4 rounded border-slate-400" />
        Active (pull on schedule)
      </label>
      {initial ? (
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" checked={values.resetDelta} onChange={(e) => set("resetDelta", e.target.checked)} className="h-4 w-4 rounded border-slate-400" />
          Read every record again on the next pull (forget the delta cursor)
        </label>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}

