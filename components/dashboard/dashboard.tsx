"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Pie,
  PieChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { PRIORITY_COLOR, PRIORITY_LABEL, STATUS_COLOR, STATUS_LABEL } from "@/components/tickets/labels";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { formatDuration } from "@/components/ui/time";
import { PRIORITIES, STATUSES, type Priority, type Status } from "@/db/schema/enums";
import { queryKeys } from "@/lib/query-keys";
import type { AgentsWorkload } from "@/lib/dashboard/agents";
import type { Backlog } from "@/lib/dashboard/backlog";
import type { CsatStats } from "@/lib/dashboard/csat";
import { presetRange, rangeDays, type DayRange, type RangePreset } from "@/lib/dashboard/range";
import type { DashboardSummary } from "@/lib/dashboard/summary";
import type { DurationStats, TicketStats } from "@/lib/tickets/stats";
import type { SlaStats } from "@/lib/sla/stats";
import type { TriageStats } from "@/lib/triage/stats";
import { AgentsSection } from "./agents-section";
import { BacklogSection } from "./backlog-section";
import { CsatSection } from "./csat-section";
import { Headline, periodLabel } from "./headline";
import { BAR, ChartCard, dayLabel, fetchJson, GRID, nf, TICK } from "./parts";
import { RangePicker, type DashboardRange } from "./range-picker";
import { SlaSection } from "./sla-section";
import { TriageSection } from "./triage-section";

/** Triage accuracy is measured over the last this-many agent-reviewed tickets. */
const ACCURACY_WINDOW = 200;
const POLL_MS = 5_000;
/** The backlog, workload and CSAT figures move slowly and cost more: polled less often. */
const SLOW_POLL_MS = 15_000;

/**
 * A polled GET of a dashboard endpoint for the range (`extra` appended to the query; null
 * range = the endpoint takes none), keyed under queryKeys.stats.all() so ticket changes
 * invalidate it.
 */
function useRangeQuery<T>(name: string, url: string, range: DayRange | null, what: string, extra = "", pollMs = POLL_MS) {
  const qs = range ? `?from=${range.from}&to=${range.to}${extra}` : "";
  return useQuery({
    queryKey: [...queryKeys.stats.all(), name, range?.from ?? "now", range?.to ?? "now", extra],
    queryFn: ({ signal }) => fetchJson<T>(`${url}${qs}`, signal, what),
    refetchInterval: pollMs,
    placeholderData: keepPreviousData,
  });
}

/**
 * The agents' dashboard for a range (presets Today, Last 7/30/90 days, This month, or custom
 * days), every figure polled every 5 s (the session cookie authenticates):
 * - headline figures against the previous period of equal length (GET /api/dashboard/summary);
 * - the backlog now by status, team and age (GET /api/dashboard/backlog) and per-agent workload
 *   (GET /api/dashboard/agents), every count a drill-down link to the filtered ticket list;
 * - tickets created in range by day, status, priority, category and team (GET /api/tickets/stats);
 * - CSAT and deflections (GET /api/dashboard/csat), SLA (GET /api/sla/stats), triage (GET /api/triage/stats).
 * Every chart has a heading, a text summary for assistive technology and a data table.
 */
export function Dashboard({ categoryNames, teamNames }: { categoryNames: Record<string, string>; teamNames: Record<string, string> }) {
  const [range, setRange] = useState<DashboardRange>(() => ({ preset: "30d", ...presetRange("30d") }));
  const days = rangeDays(range);
  const stats = useRangeQuery<TicketStats>("tickets", "/api/tickets/stats", range, "stats");
  const triage = useRangeQuery<TriageStats>("triage", "/api/triage/stats", range, "triage stats", `&window=${ACCURACY_WINDOW}`);
  const sla = useRangeQuery<SlaStats>("sla", "/api/sla/stats", range, "SLA stats");
  const summary = useRangeQuery<DashboardSummary>("summary", "/api/dashboard/summary", range, "summary");
  const backlog = useRangeQuery<Backlog>("backlog", "/api/dashboard/backlog", null, "backlog", "", SLOW_POLL_MS);
  const agents = useRangeQuery<AgentsWorkload>("agents", "/api/dashboard/agents", range, "workload", "", SLOW_POLL_MS);
  const csat = useRangeQuery<CsatStats>("csat", "/api/dashboard/csat", range, "satisfaction", "", SLOW_POLL_MS);
  const all = [stats, triage, sla, summary, backlog, agents, csat];
  const data = stats.data;
  const fetching = all.some((q) => q.isFetching);
  const updatedAt = Math.max(...all.map((q) => q.dataUpdatedAt));
  const period = periodLabel(range);
  const retry = (q: { refetch: () => unknown }) => () => void q.refetch();

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Dashboard</h1>
          <p className="text-sm text-slate-600">
            {period} (UTC); the backlog is as of now. Refreshes every 5 seconds (backlog, agents and satisfaction every 15).
          </p>
        </div>
        <div className="flex items-center gap-3">
          <p className="flex items-center gap-1.5 text-xs text-slate-600">
            <span
              aria-hidden="true"
              className={cx("inline-block h-2 w-2 rounded-full", fetching ? "animate-pulse bg-brand-600" : "bg-emerald-600")}
            />
            {updatedAt ? `Updated ${new Date(updatedAt).toLocaleTimeString("en-GB")}` : "Loading…"}
          </p>
          <RangePicker
            key={`${range.from}/${range.to}`}
            value={range}
            onPreset={(p: RangePreset) => setRange({ preset: p, ...presetRange(p) })}
            onCustom={(r) => setRange({ preset: "custom", ...r })}
          />
        </div>
      </div>

      {stats.isError && !data ? (
        <Alert tone="error" title="Could not load the statistics" live>
          <p>{stats.error.message}</p>
          <Button size="sm" variant="secondary" className="mt-2" onClick={() => void stats.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : null}
      {stats.isError && data ? (
        <Alert tone="warning" live>
          Could not refresh ({stats.error.message}); showing the last figures.
        </Alert>
      ) : null}

      {!data && !stats.isError ? <p role="status" className="text-sm text-slate-700">Loading statistics…</p> : null}

      {summary.isError ? (
        <Alert tone={summary.data ? "warning" : "error"} live>
          Could not {summary.data ? "refresh" : "load"} the headline figures ({summary.error.message}).
        </Alert>
      ) : null}
      {summary.data ? <Headline data={summary.data} /> : null}

      <BacklogSection data={backlog.data} error={backlog.isError ? backlog.error.message : null} onRetry={retry(backlog)} teamNames={teamNames} />

      <AgentsSection data={agents.data} error={agents.isError ? agents.error.message : null} onRetry={retry(agents)} period={period} teamNames={teamNames} />

      {data ? (
        <section aria-labelledby="created-h" className="space-y-4 border-t border-slate-200 pt-5">
          <h2 id="created-h" className="text-lg font-semibold tracking-tight text-slate-900">
            Tickets created {period}
          </h2>
          <DashboardBody data={data} categoryNames={categoryNames} teamNames={teamNames} />
        </section>
      ) : null}

      <CsatSection data={csat.data} error={csat.isError ? csat.error.message : null} onRetry={retry(csat)} period={period} teamNames={teamNames} />

      <SlaSection
        data={sla.data}
        error={sla.isError ? sla.error.message : null}
        onRetry={() => void sla.refetch()}
        days={days}
        teamNames={teamNames}
      />

      <TriageSection
        data={triage.data}
        error={triage.isError ? triage.error.message : null}
        onRetry={() => void triage.refetch()}
        days={days}
        window={ACCURACY_WINDOW}
      />
    </div>
  );
}

function DashboardBody({ data, categoryNames, teamNames }: { data: TicketStats; categoryNames: Record<string, string>; teamNames: Record<string, string> }) {

  const statusRows = STATUSES.map((s: Status) => ({ key: s, name: STATUS_LABEL[s], value: data.byStatus[s] ?? 0, color: STATUS_COLOR[s] }));
  const priorityRows = PRIORITIES.map((p: Priority) => ({ key: p, name: PRIORITY_LABEL[p], value: data.byPriority[p] ?? 0, color: PRIORITY_COLOR[p] }));
  const categoryRows = Object.entries(data.byCategory)
    .map(([slug, value]) => ({ key: slug, name: categoryNames[slug] ?? slug, value }))
    .sort((a, b) => b.value - a.value);
  const teamRows = Object.entries(data.byTeam)
    .map(([slug, value]) => ({ key: slug, name: slug === "none" ? "No team" : (teamNames[slug] ?? slug), value }))
    .sort((a, b) => b.value - a.value);
  const dayRows = data.perDay.map((d) => ({ key: d.day, name: dayLabel(d.day), value: d.count }));

  return (
    <>

      <ChartCard level={3}
        title="Tickets per day"
        summary={`Tickets per day, ${dayRows.length} days, ${nf.format(data.total)} in total; busiest day ${busiest(dayRows)}.`}
        rows={dayRows}
        valueLabel="Tickets"
        nameLabel="Day"
      >
        <AreaChart responsive data={dayRows} style={{ width: "100%", height: 220 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="name" tick={TICK} tickLine={false} minTickGap={24} />
          <YAxis allowDecimals={false} tick={TICK} tickLine={false} axisLine={false} />
          <Tooltip />
          <Area type="monotone" dataKey="value" name="Tickets" stroke={BAR} fill="#bfdbfe" strokeWidth={2} isAnimationActive={false} />
        </AreaChart>
      </ChartCard>

      <div className="grid gap-4 lg:grid-cols-2">
        <ChartCard level={3} title="By status" summary={listSummary("Tickets by status", statusRows)} rows={statusRows} valueLabel="Tickets" nameLabel="Status">
          <BarChart responsive data={statusRows} style={{ width: "100%", height: 220 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="name" tick={TICK} tickLine={false} interval={0} />
            <YAxis allowDecimals={false} tick={TICK} tickLine={false} axisLine={false} />
            <Tooltip cursor={{ fill: "#f1f5f9" }} />
            <Bar dataKey="value" name="Tickets" isAnimationActive={false} radius={[3, 3, 0, 0]}>
              {statusRows.map((r) => (
                <Cell key={r.key} fill={r.color} />
              ))}
            </Bar>
          </BarChart>
        </ChartCard>

        <ChartCard level={3}
          title="By priority"
          summary={listSummary("Tickets by priority", priorityRows)}
          rows={priorityRows}
          valueLabel="Tickets"
          nameLabel="Priority"
          legend={priorityRows.map((r) => ({ name: r.name, color: r.color, value: r.value }))}
        >
          <PieChart responsive style={{ width: "100%", height: 220 }} accessibilityLayer={false}>
            <Pie data={priorityRows} dataKey="value" nameKey="name" innerRadius="55%" outerRadius="85%" paddingAngle={1} isAnimationActive={false}>
              {priorityRows.map((r) => (
                <Cell key={r.key} fill={r.color} />
              ))}
            </Pie>
            <Tooltip />
          </PieChart>
        </ChartCard>

        <ChartCard level={3} title="By category" summary={listSummary("Tickets by category", categoryRows)} rows={categoryRows} valueLabel="Tickets" nameLabel="Category">
          <HorizontalBars rows={categoryRows} />
        </ChartCard>

        <ChartCard level={3} title="By team" summary={listSummary("Tickets by team", teamRows)} rows={teamRows} valueLabel="Tickets" nameLabel="Team">
          <HorizontalBars rows={teamRows} />
        </ChartCard>

        <DurationCard title="First response time" stats={data.firstResponse} what="answered" />
        <DurationCard title="Resolution time" stats={data.resolution} what="resolved" />
      </div>
    </>
  );
}

function busiest(rows: { name: string; value: number }[]): string {
  const top = rows.reduce((a, b) => (b.value > a.value ? b : a), rows[0] ?? { name: "none", value: 0 });
  return `${top.name} with ${top.value}`;
}

function listSummary(title: string, rows: { name: string; value: number }[]): string {
  return `${title}: ${rows.map((r) => `${r.name} ${r.value}`).join(", ") || "no data"}.`;
}

function HorizontalBars({ rows }: { rows: { key: string; name: string; value: number }[] }) {
  const height = Math.max(120, rows.length * 28 + 24);
  return (
    <BarChart
      responsive
      layout="vertical"
      data={rows}
      style={{ width: "100%", height }}
      accessibilityLayer={false}
      margin={{ top: 4, right: 16, left: 8, bottom: 0 }}
    >
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" allowDecimals={false} tick={TICK} tickLine={false} />
      <YAxis type="category" dataKey="name" width={150} tick={TICK} tickLine={false} axisLine={false} interval={0} />
      <Tooltip cursor={{ fill: "#f1f5f9" }} />
      <Bar dataKey="value" name="Tickets" fill={BAR} isAnimationActive={false} radius={[0, 3, 3, 0]} barSize={16} />
    </BarChart>
  );
}

function DurationCard({ title, stats, what }: { title: string; stats: DurationStats; what: string }) {
  const hours = (s: number | null) => (s === null ? 0 : Math.round((s / 3600) * 10) / 10);
  const rows = [
    { key: "mean", name: "Mean", value: hours(stats.meanS), raw: stats.meanS },
    { key: "p50", name: "Median (p50)", value: hours(stats.p50S), raw: stats.p50S },
    { key: "p90", name: "p90", value: hours(stats.p90S), raw: stats.p90S },
  ];
  const summary =
    stats.count === 0
      ? `${title}: no tickets ${what} in this range.`
      : `${title} over ${stats.count} tickets ${what}: mean ${formatDuration(stats.meanS)}, median ${formatDuration(stats.p50S)}, 90th percentile ${formatDuration(stats.p90S)}.`;
  return (
    <ChartCard level={3}
      title={title}
      subtitle={`${nf.format(stats.count)} tickets ${what} · hours`}
      summary={summary}
      rows={rows.map((r) => ({ key: r.key, name: r.name, value: r.raw, display: formatDuration(r.raw) }))}
      valueLabel="Duration"
      nameLabel="Statistic"
    >
      <BarChart responsive data={rows} style={{ width: "100%", height: 200 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="name" tick={TICK} tickLine={false} />
        <YAxis tick={TICK} tickLine={false} axisLine={false} unit=" h" />
        <Tooltip formatter={(_v, _n, item) => formatDuration((item.payload as { raw: number | null }).raw)} cursor={{ fill: "#f1f5f9" }} />
        <Bar dataKey="value" name="Duration" fill="#0f766e" isAnimationActive={false} radius={[3, 3, 0, 0]} barSize={40} />
      </BarChart>
    </ChartCard>
  );
}
