"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import { Alert, FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { HolidaySchema, MAX_ICS_BYTES } from "@/lib/sla/admin/schemas";
import { Field } from "./form-kit";
import { issuesToErrors, type SlaFormState } from "@/lib/sla/admin/form-errors";

/** Add (or rename) one holiday: HolidaySchema's payload {day, name}. */
export function HolidayForm({ action }: { action: (prev: SlaFormState, input: unknown) => Promise<SlaFormState> }) {
  const uid = useId();
  const router = useRouter();
  const [state, dispatch, pending] = useActionState(async (prev: SlaFormState, input: unknown) => {
    const next = await action(prev, input);
    if (next.status === "success") router.refresh();
    return next;
  }, { status: "idle" });
  const [values, setValues] = useState({ day: "", name: "" });
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const serverErrors: Record<string, string | undefined> = state.status === "error" ? state.fieldErrors : {};
  const err = (k: string) => clientErrors[k] ?? serverErrors[k];

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = HolidaySchema.safeParse(values);
    if (!parsed.success) {
      setClientErrors(issuesToErrors(parsed.error.issues));
      return;
    }
    setClientErrors({});
    startTransition(() => dispatch(values));
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-2" aria-label="Add a holiday">
      <FormMessages state={state} hasClientErrors={Object.keys(clientErrors).length > 0} clientErrorNote="Please correct the highlighted fields." />
      <div className="flex flex-wrap items-end gap-2">
        <Field id={`${uid}-day`} label="Date" error={err("day")}>
          {(a) => <input {...a} type="date" value={values.day} onChange={(e) => setValues((v) => ({ ...v, day: e.target.value }))} />}
        </Field>
        <Field id={`${uid}-name`} label="Name" error={err("name")} className="flex-1">
          {(a) => <input {...a} value={values.name} maxLength={120} onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))} />}
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add holiday"}
        </Button>
      </div>
    </form>
  );
}

export type IcsImportState =
  | { status: "idle" }
  | { status: "error"; message: string }
  | { status: "success"; message: string; skipped: { name: string; reason: string }[] };

/** Upload an .ics file (read in the browser, at most 1 MB) and merge its holidays; lists skipped events. */
export function IcsUploadForm({ action }: { action: (prev: IcsImportState, ics: string) => Promise<IcsImportState> }) {
  const uid = useId();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  const [state, dispatch, pending] = useActionState(async (prev: IcsImportState, ics: string) => {
    const next = await action(prev, ics);
    if (next.status === "success") router.refresh();
    return next;
  }, { status: "idle" });

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file) return setClientError("Choose an .ics file");
    if (file.size > MAX_ICS_BYTES) return setClientError("The .ics file is larger than 1 MB");
    setClientError(null);
    const text = await file.text();
    startTransition(() => dispatch(text));
  }

  const error = clientError ?? (state.status === "error" ? state.message : null);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-2" aria-label="Import holidays from an .ics file">
      <div role="alert" className="empty:absolute">
        {error ? <Alert tone="error">{error}</Alert> : null}
      </div>
      <div role="status" className="empty:absolute">
        {state.status === "success" && !clientError ? (
          <Alert tone="success">
            <span className="font-medium">{state.message}</span>
            {state.skipped.length ? (
              <ul className="mt-1 list-disc pl-5 text-xs">
                {state.skipped.map((s, i) => (
                  <li key={i}>
                    Skipped {s.name}: {s.reason}
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={`${uid}-file`} className="block text-sm font-medium text-slate-800">
            iCalendar file (.ics)
          </label>
          <input
            id={`${uid}-file`}
            type="file"
            accept=".ics,text/calendar"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            aria-describedby={`${uid}-hint`}
            className="mt-1 block text-sm text-slate-800"
          />
          <p id={`${uid}-hint`} className="mt-1 text-xs text-slate-600">
            All-day events become holidays (each day of a multi-day event), timed events count on their start date, yearly events for the next 3 years. Days already
            listed take the file&apos;s name.
          </p>
        </div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Importing…" : "Import"}
        </Button>
      </div>
    </form>
  );
}
