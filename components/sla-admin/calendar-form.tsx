"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass } from "@/components/ui/field";
import { CreateCalendarSchema, ISO_WEEKDAYS, UpdateCalendarSchema, type HoursInput, type IsoWeekday, type Shift } from "@/lib/sla/admin/schemas";
import { Field } from "./form-kit";
import { issuesToErrors, type SlaFormState } from "@/lib/sla/admin/form-errors";

const DAY_NAME: Record<IsoWeekday, string> = { "1": "Monday", "2": "Tuesday", "3": "Wednesday", "4": "Thursday", "5": "Friday", "6": "Saturday", "7": "Sunday" };

export interface CalendarFormValues {
  name: string;
  timeZone: string;
  alwaysOpen: boolean;
  hours: HoursInput;
}

/**
 * Create or edit a business calendar: name, time zone (Intl.supportedValuesOf), 24×7 toggle and
 * a weekly hours editor with any number of shifts a day (split shifts). Sends CreateCalendarSchema's
 * payload (edit: the same fields, which UpdateCalendarSchema accepts).
 */
export function CalendarForm({
  action,
  initial,
  timeZones,
  submitLabel,
}: {
  action: (prev: SlaFormState, input: unknown) => Promise<SlaFormState>;
  initial?: CalendarFormValues;
  /** IANA zones to offer (the server's Intl.supportedValuesOf("timeZone")). */
  timeZones: string[];
  submitLabel: string;
}) {
  const uid = useId();
  const fid = (f: string) => `${uid}-${f.replace(/\./g, "-")}`;
  const empty: CalendarFormValues = { name: "", timeZone: timeZones.includes("UTC") ? "UTC" : timeZones[0], alwaysOpen: false, hours: { "1": [{ start: "09:00", end: "17:00" }] } };
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [values, setValues] = useState<CalendarFormValues>(initial ?? empty);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [resetFor, setResetFor] = useState<string | null>(null);
  if (!initial && state.status === "success" && state.data.id !== resetFor) {
    setResetFor(state.data.id);
    setValues(empty);
  }
  const serverErrors: Record<string, string | undefined> = state.status === "error" ? state.fieldErrors : {};
  const err = (k: string) => clientErrors[k] ?? serverErrors[k];
  const zones = timeZones.includes(values.timeZone) ? timeZones : [values.timeZone, ...timeZones];

  function setShifts(day: IsoWeekday, shifts: Shift[]) {
    setValues((v) => {
      const hours = { ...v.hours };
      if (shifts.length) hours[day] = shifts;
      else delete hours[day];
      return { ...v, hours };
    });
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const payload = { name: values.name, timeZone: values.timeZone, alwaysOpen: values.alwaysOpen, hours: values.hours };
    const parsed = (initial ? UpdateCalendarSchema : CreateCalendarSchema).safeParse(payload);
    if (!parsed.success) {
      const errs = issuesToErrors(parsed.error.issues);
      setClientErrors(errs);
      document.getElementById(fid(Object.keys(errs)[0]))?.focus();
      return;
    }
    setClientErrors({});
    startTransition(() => dispatch(payload));
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={submitLabel}>
      <FormMessages state={state} hasClientErrors={Object.keys(clientErrors).length > 0} clientErrorNote="Please correct the highlighted fields." />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Field id={fid("name")} label="Name" error={err("name")}>
          {(a) => <input {...a} value={values.name} maxLength={80} onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))} />}
        </Field>
        <Field id={fid("timeZone")} label="Time zone" hint="Working hours are local wall-clock times in this zone (daylight saving included)" error={err("timeZone")}>
          {(a) => (
            <select {...a} value={values.timeZone} onChange={(e) => setValues((v) => ({ ...v, timeZone: e.target.value }))}>
              {zones.map((z) => (
                <option key={z}>{z}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" checked={values.alwaysOpen} onChange={(e) => setValues((v) => ({ ...v, alwaysOpen: e.target.checked }))} />
        Open 24×7 (every second counts; working hours and holidays are ignored)
      </label>
      <fieldset disabled={values.alwaysOpen} className={cx("space-y-2", values.alwaysOpen && "opacity-60")} aria-describedby={err("hours") ? fid("hours-error") : undefined}>
        <legend className="text-sm font-medium text-slate-800">Working hours</legend>
        <p className="text-xs text-slate-600">Add several shifts to a day for split shifts (e.g. 08:00–12:00 and 13:00–17:00). End 24:00 = midnight. Days without shifts are closed.</p>
        {err("hours") ? (
          <p id={fid("hours-error")} className="text-xs font-medium text-red-700">
            {err("hours")}
          </p>
        ) : null}
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200">
          {ISO_WEEKDAYS.map((day) => {
            const shifts = values.hours[day] ?? [];
            return (
              <li key={day} className="flex flex-wrap items-start gap-3 px-3 py-2" data-testid={`hours-day-${day}`}>
                <span className="w-24 pt-1.5 text-sm font-medium text-slate-800">{DAY_NAME[day]}</span>
                <div className="flex flex-1 flex-col gap-2">
                  {shifts.length === 0 ? <span className="pt-1.5 text-sm text-slate-600">Closed</span> : null}
                  {shifts.map((s, i) => {
                    const k = `hours.${day}.${i}`;
                    const e = err(`${k}.start`) ?? err(`${k}.end`) ?? err(k);
                    const update = (patch: Partial<Shift>) => setShifts(day, shifts.map((x, j) => (j === i ? { ...x, ...patch } : x)));
                    return (
                      <div key={i} className="flex flex-wrap items-center gap-2">
                        <label htmlFor={fid(`${k}.start`)} className="sr-only">
                          {DAY_NAME[day]} shift {i + 1} start
                        </label>
                        <input
                          id={fid(`${k}.start`)}
                          value={s.start}
                          onChange={(ev) => update({ start: ev.target.value })}
                          placeholder="09:00"
                          inputMode="numeric"
                          aria-invalid={e ? true : undefined}
                          aria-describedby={e ? fid(`${k}-error`) : undefined}
                          className={cx(controlClass, "w-20 font-mono")}
                        />
                        <span aria-hidden="true">–</span>
                        <label htmlFor={fid(`${k}.end`)} className="sr-only">
                          {DAY_NAME[day]} shift {i + 1} end
                        </label>
                        <input
                          id={fid(`${k}.end`)}
                          value={s.end}
                          onChange={(ev) => update({ end: ev.target.value })}
                          placeholder="17:00"
                          inputMode="numeric"
                          aria-invalid={e ? true : undefined}
                          aria-describedby={e ? fid(`${k}-error`) : undefined}
                          className={cx(controlClass, "w-20 font-mono")}
                        />
                        <Button size="sm" variant="ghost" onClick={() => setShifts(day, shifts.filter((_, j) => j !== i))} aria-label={`Remove ${DAY_NAME[day]} shift ${i + 1}`}>
                          Remove
                        </Button>
                        {e ? (
                          <p id={fid(`${k}-error`)} className="w-full text-xs font-medium text-red-700">
                            {e}
                          </p>
                        ) : null}
                      </div>
                    );
                  })}
                </div>
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => {
                    const last = shifts[shifts.length - 1];
                    setShifts(day, [...shifts, last ? { start: last.end === "24:00" ? "23:00" : last.end, end: "24:00" } : { start: "09:00", end: "17:00" }]);
                  }}
                  aria-label={`Add a shift on ${DAY_NAME[day]}`}
                >
                  Add shift
                </Button>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}
