"use client";

import Link from "next/link";
import { useId, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";

/** Shared look and helpers of the dashboard's cards and charts. */
/** Axis text: slate-700 on white (over 9:1). */
export const TICK = { fill: "#334155", fontSize: 12 };
export const BAR = "#1d4ed8";
export const GRID = "#e2e8f0";
export const nf = new Intl.NumberFormat("en-US");

/** GET a stats endpoint (the session cookie authenticates); errors carry the API's message. */
export async function fetchJson<T>(url: string, signal: AbortSignal, what: string): Promise<T> {
  const res = await fetch(url, { signal, cache: "no-store", credentials: "same-origin" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The ${what} request failed (HTTP ${res.status})`);
  }
  return (await res.json()) as T;
}

export const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function StatCard({
  label,
  value,
  note,
  testId,
  children,
}: {
  label: string;
  value: string;
  note: ReactNode;
  testId: string;
  /** Extra content under the note (e.g. a link to the matching list). */
  children?: ReactNode;
}) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </p>
      <p className="text-xs text-slate-600">{note}</p>
      {children}
    </div>
  );
}

/** One series of a multi-series chart, for its legend. */
export interface LegendItem {
  name: string;
  color: string;
  /** A total shown next to the name (already formatted, or a number). */
  value: number | string;
}

/** A table cell: text, or a drill-down link (to the ticket list filtered to what it counts). */
export type DataCell = string | { text: string; href: string; label: string };

/** A "Show data" table with several value columns. */
export interface DataTable {
  nameLabel: string;
  columns: string[];
  rows: { key: string; name: string; cells: DataCell[] }[];
}

type SingleSeries = {
  rows: { key: string; name: string; value: number | null; display?: string }[];
  nameLabel: string;
  valueLabel: string;
  table?: never;
};
type MultiSeries = { table: DataTable; rows?: never; nameLabel?: never; valueLabel?: never };

/**
 * A chart with its heading. The drawing is one image to assistive technology (role="img" with
 * the numbers in its label); the same numbers are in a table under "Show data". With `empty`,
 * a sentence replaces the drawing (the table stays).
 */
export function ChartCard(
  props: {
    title: string;
    subtitle?: string;
    summary: string;
    legend?: LegendItem[];
    /** Heading level: h2 on the page's top level, h3 inside a titled section. */
    level?: 2 | 3;
    /** Show the table open under the chart (drill-down links), not folded under "Show data". */
    tableOpen?: boolean;
    empty?: string;
    children: ReactNode;
  } & (SingleSeries | MultiSeries),
) {
  const { title, subtitle, summary, legend, level = 2, empty, tableOpen = false, children } = props;
  const id = useId();
  const Heading = level === 3 ? "h3" : "h2";
  const table: DataTable = props.table ?? {
    nameLabel: props.nameLabel,
    columns: [props.valueLabel],
    rows: props.rows.map((r) => ({ key: r.key, name: r.name, cells: [r.display ?? (r.value === null ? "–" : nf.format(r.value))] })),
  };
  const scrolls = table.rows.length > 12;
  return (
    <section aria-labelledby={`${id}-h`} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
        <Heading id={`${id}-h`} className="text-sm font-semibold text-slate-900">
          {title}
        </Heading>
        {subtitle ? <p className="text-xs text-slate-600">{subtitle}</p> : null}
      </div>
      <div className="px-2 pt-3">
        {empty ? (
          <p className="mx-2 mb-1 rounded-md border border-dashed border-slate-300 bg-slate-50 px-3 py-6 text-center text-sm text-slate-700">
            {empty}
          </p>
        ) : (
          <div role="img" aria-label={summary} className="min-w-0">
            {children}
          </div>
        )}
        {legend && !empty ? (
          <ul className="mt-1 flex flex-wrap justify-center gap-x-4 gap-y-1 px-2 text-xs text-slate-800" aria-hidden="true">
            {legend.map((l) => (
              <li key={l.name} className="flex items-center gap-1.5">
                <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: l.color }} />
                {l.name} <span className="tabular-nums text-slate-600">{typeof l.value === "number" ? nf.format(l.value) : l.value}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <details className="px-4 pb-3 pt-1 text-sm" open={tableOpen || undefined}>
        <summary className="cursor-pointer text-xs font-medium text-brand-700">{tableOpen ? "Data and links" : "Show data"}</summary>
        {/* Long tables scroll; the scroll box is focusable so keyboard users can scroll it too. */}
        <div
          className={cx(scrolls && "mt-2 max-h-72 overflow-y-auto rounded border border-slate-100")}
          {...(scrolls ? { tabIndex: 0, role: "region", "aria-label": `${title}: data` } : {})}
        >
          <table className={cx("w-full text-left text-xs", !scrolls && "mt-2")}>
            <caption className="sr-only">{title}</caption>
            <thead className={cx(scrolls && "sticky top-0 bg-white")}>
              <tr className="text-slate-700">
                <th scope="col" className="py-1 pr-2 font-semibold">
                  {table.nameLabel}
                </th>
                {table.columns.map((c) => (
                  <th key={c} scope="col" className="py-1 pl-2 text-right font-semibold">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {table.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row" className="py-1 pr-2 font-normal text-slate-800">
                    {r.name}
                  </th>
                  {r.cells.map((c, i) => (
                    <td key={table.columns[i] ?? i} className="py-1 pl-2 text-right tabular-nums text-slate-900">
                      {typeof c === "string" ? c : <DrillLink href={c.href} label={c.label}>{c.text}</DrillLink>}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

/** A count that opens the ticket list filtered to the tickets it counts; `label` says which, for screen readers. */
export function DrillLink({ href, label, children, testId }: { href: string; label: string; children: ReactNode; testId?: string }) {
  return (
    <Link href={href} aria-label={label} title={label} data-testid={testId} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800">
      {children}
    </Link>
  );
}
