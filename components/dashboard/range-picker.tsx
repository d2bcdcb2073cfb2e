"use client";

import { useId, useState, type FormEvent } from "react";
import { cx } from "@/components/ui/cx";
import { PRESET_LABEL, RANGE_PRESETS, rangeDays, type DayRange, type RangePreset } from "@/lib/dashboard/range";

/** The dashboard's chosen range: a preset (resolved to days when chosen) or custom days. */
export type DashboardRange = DayRange & { preset: RangePreset | "custom" };

/** Longest custom range, in days (the SLA figures take at most 366). */
export const MAX_CUSTOM_DAYS = 366;

/**
 * Range presets (Today, Last 7/30/90 days, This month) as pressed buttons, and a custom
 * from/to form (inclusive UTC days, at most {@link MAX_CUSTOM_DAYS}).
 */
export function RangePicker({ value, onPreset, onCustom }: { value: DashboardRange; onPreset: (p: RangePreset) => void; onCustom: (r: DayRange) => void }) {
  const id = useId();
  const [from, setFrom] = useState(value.from);
  const [to, setTo] = useState(value.to);
  const [error, setError] = useState<string | null>(null);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!from || !to) return setError("Choose both dates.");
    if (from > to) return setError("The start must not be after the end.");
    if (rangeDays({ from, to }) > MAX_CUSTOM_DAYS) return setError(`Choose at most ${MAX_CUSTOM_DAYS} days.`);
    setError(null);
    onCustom({ from, to });
  };
  const input = "rounded-md border border-slate-300 px-2 py-1 text-sm";
  return (
    <div className="flex flex-col items-end gap-2">
      <div role="group" aria-label="Date range" className="inline-flex flex-wrap rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={value.preset === p}
            onClick={() => onPreset(p)}
            className={cx("rounded px-2.5 py-1 text-sm font-medium", value.preset === p ? "bg-slate-800 text-white" : "text-slate-700 hover:bg-slate-100")}
          >
            {PRESET_LABEL[p]}
          </button>
        ))}
      </div>
      <form onSubmit={apply} aria-label="Custom range" className="flex flex-wrap items-end gap-2 text-sm">
        <label className="flex flex-col text-xs text-slate-700" htmlFor={`${id}-from`}>
          From
          <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} className={input} />
        </label>
        <label className="flex flex-col text-xs text-slate-700" htmlFor={`${id}-to`}>
          To
          <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} className={input} />
        </label>
        <button
          type="submit"
          aria-pressed={value.preset === "custom"}
          className={cx("rounded-md border px-2.5 py-1 font-medium", value.preset === "custom" ? "border-slate-800 bg-slate-800 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100")}
        >
          Apply custom range
        </button>
        {error ? (
          <p role="alert" className="w-full text-right text-xs text-red-700">
            {error}
          </p>
        ) : null}
      </form>
    </div>
  );
}
