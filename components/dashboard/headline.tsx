"use client";

import { formatDuration } from "@/components/ui/time";
import type { DashboardSummary, HeadlineFigure, HeadlineKey } from "@/lib/dashboard/summary";
import { DrillLink, dayLabel, nf, StatCard } from "./parts";

const LABEL: Record<HeadlineKey, { label: string; note: string; testId: string }> = {
  created: { label: "Tickets", note: "created in range", testId: "stat-total" },
  resolved: { label: "Resolved", note: "resolved in range", testId: "stat-resolved" },
  firstResponseP50S: { label: "Median first response", note: "tickets created in range", testId: "stat-first-response" },
  resolutionP50S: { label: "Median resolution time", note: "tickets created in range", testId: "stat-resolution" },
  csatGoodPct: { label: "CSAT", note: "good ratings in range", testId: "stat-csat" },
  deflections: { label: "Deflections", note: "solved by self-service in range", testId: "stat-deflections" },
};

/** A figure in its unit, for display ("1,234", "2 h 5 min", "87.5%", "–" when there is none). */
export function formatFigure(unit: HeadlineFigure["unit"], v: number | null): string {
  if (v === null) return "–";
  if (unit === "seconds") return formatDuration(v);
  if (unit === "percent") return `${v.toFixed(1)}%`;
  return nf.format(v);
}

/** "Mar 1 – Mar 7" (or one day). */
export function periodLabel(r: { from: string; to: string }): string {
  return r.from === r.to ? dayLabel(r.from) : `${dayLabel(r.from)} – ${dayLabel(r.to)}`;
}

/** ▲/▼ and the change in %, with the same in words for screen readers. */
function ChangeLine({ f, previous, testId }: { f: HeadlineFigure; previous: string; testId: string }) {
  const was = formatFigure(f.unit, f.previous);
  const c = f.change;
  const pct = c.pct === null ? null : `${Math.abs(c.pct).toFixed(Math.abs(c.pct) < 10 ? 1 : 0)}%`;
  const arrow = c.direction === "up" ? "▲" : c.direction === "down" ? "▼" : c.direction === "same" ? "=" : "";
  const words =
    c.direction === "unknown"
      ? `No comparison: ${f.previous === null ? "no data" : was} in the previous period (${previous}).`
      : c.direction === "same"
        ? `Unchanged from ${was} in the previous period (${previous}).`
        : `${c.direction === "up" ? "Up" : "Down"} ${pct ?? ""}${pct ? " " : ""}from ${was} in the previous period (${previous}).`;
  return (
    <p className="mt-1 text-xs text-slate-700" data-testid={`${testId}-change`}>
      <span aria-hidden="true">
        {arrow ? <span className={c.direction === "same" ? "" : "font-semibold"}>{arrow} </span> : null}
        {pct && c.direction !== "same" ? `${pct} ` : null}vs {was}
      </span>
      <span className="sr-only">{words}</span>
    </p>
  );
}

/** The headline figures of the range, each next to the previous period of equal length. */
export function Headline({ data }: { data: DashboardSummary }) {
  const previous = periodLabel(data.previous);
  return (
    <section aria-labelledby="summary-h">
      <h2 id="summary-h" className="sr-only">
        Summary
      </h2>
      <p className="mb-2 text-xs text-slate-600" data-testid="period-text">
        {periodLabel(data.range)} compared with {previous} (UTC)
      </p>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-3 xl:grid-cols-6">
        {(Object.keys(LABEL) as HeadlineKey[]).map((k) => {
          const f = data.figures[k];
          const l = LABEL[k];
          const value = formatFigure(f.unit, f.current);
          return (
            <StatCard key={k} label={l.label} value={value} testId={l.testId} note={l.note}>
              <ChangeLine f={f} previous={previous} testId={l.testId} />
              {f.href ? (
                <p className="mt-1 text-xs">
                  <DrillLink href={f.href} label={`List the ${value} tickets ${l.note}`}>
                    List them
                  </DrillLink>
                </p>
              ) : null}
            </StatCard>
          );
        })}
      </div>
    </section>
  );
}
