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
import type { DurationStats, TicketStats } from "@/lib/tickets/stats";
import type { SlaStats } from "@/lib/sla/stats";
import type { TriageStats } from "@/lib/triage/stats";
import { BAR, ChartCard, dayLabel, fetchJson, GRID, nf, rangeFor, StatCard, TICK } from "./parts";
import { SlaSection } from "./sla-section";
import { TriageSection } from "./triage-section";

const RANGES = [7, 30, 90] as const;
type RangeDays = (typeof RANGES)[number];
/** Triage accuracy is measured over the last this-many agent-reviewed tickets. */
const ACCURACY_WINDOW = 200;

function fetchStats(days: number, signal: AbortSignal): Promise<TicketStats> {
  const { from, to } = rangeFor(days);
  return fetchJson<TicketStats>(`/api/tickets/stats?from=${from}&to=${to}`, signal, "stats");
}

function fetchTriageStats(days: number, window: number, signal: AbortSignal): Promise<TriageStats> {
  const { from, to } = rangeFor(days);
  return fetchJson<TriageStats>(`/api/triage/stats?from=${from}&to=${to}&window=${window}`, signal, "triage stats");
}

function fetchSlaStats(days: number, signal: AbortSignal): Promise<SlaStats> {
  const { from, to } = rangeFor(days);
  return fetchJson<SlaStats>(`/api/sla/stats?from=${from}&to=${to}`, signal, "SLA stats");
}

/**
 * The agents' dashboard: ticket counts and response times for the last 7/30/90 days, polled
 * every 5 s from GET /api/tickets/stats, and the triage figures (accuracy, review queue, LLM
 * share and cost) from GET /api/triage/stats for the same range (the session cookie
 * authenticates), and the SLA figures (met %, breaches, business times, at-risk/breached
 * backlog) from GET /api/sla/stats. Every chart has a heading, a text summary for assistive technology and a
 * data table.
 */
export function Dashboard({ categoryNames, teamNames }: { categoryNames: Record<string, string>; teamNames: Record<string, string> }) {
  const [days, setDays] = useState<RangeDays>(30);
  const stats = useQuery({
    queryKey: queryKeys.stats.lastDays(days),
    queryFn: ({ signal }) => fetchStats(days, signal),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
  const triage = useQuery({
    queryKey: queryKeys.stats.triageLastDays(days, ACCURACY_WINDOW),
    queryFn: ({ signal }) => fetchTriageStats(days, ACCURACY_WINDOW, signal),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
  const sla = useQuery({
    queryKey: [...queryKeys.stats.all(), "sla", "last-days", days],
    queryFn: ({ signal }) => fetchSlaStats(days, signal),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
  const data = stats.data;
  const fetching = stats.isFetching || triage.isFetching || sla.isFetching;
  const updatedAt = Math.max(stats.dataUpdatedAt, triage.dataUpdatedAt, sla.dataUpdatedAt);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Dashboard</h1>
          <p className="text-sm text-slate-600">
            Tickets created {data ? `${data.range.from} to ${data.range.to} (UTC)` : `in the last ${days} days`}. Refreshes every
            5 seconds.
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
          <div role="group" aria-label="Date range" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
            {RANGES.map((d) => (
              <button
                key={d}
                type="button"
                aria-pressed={days === d}
                onClick={() => setDays(d)}
                className={cx(
                  "rounded px-2.5 py-1 text-sm font-medium",
                  days === d ? "bg-slate-800 text-white" : "text-slate-700 hover:bg-slate-100",
                )}
              >
                Last {d} days
              </button>
            ))}
          </div>
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

      {data ? <DashboardBody data={data} categoryNames={categoryNames} teamNames={teamNames} /> : null}

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
  const open = data.byStatus.new + data.byStatus.open + data.byStatus.in_progress + data.byStatus.waiting;
  const resolved = data.byStatus.resolved + data.byStatus.closed;

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
      <section aria-labelledby="summary-h">
        <h2 id="summary-h" className="sr-only">
          Summary
        </h2>
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <StatCard label="Tickets" value={nf.format(data.total)} testId="stat-total" note="created in range" />
          <StatCard label="Open" value={nf.format(open)} testId="stat-open" note="new, open, in progress, waiting" />
          <StatCard label="Resolved" value={nf.format(resolved)} testId="stat-resolved" note="resolved or closed" />
          <StatCard
            label="Median first response"
            value={formatDuration(data.firstResponse.p50S)}
            testId="stat-first-response"
            note={`${nf.format(data.firstResponse.count)} answered`}
          />
        </div>
      </section>

      <ChartCard
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
        <ChartCard title="By status" summary={listSummary("Tickets by status", statusRows)} rows={statusRows} valueLabel="Tickets" nameLabel="Status">
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

        <ChartCard
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

        <ChartCard title="By category" summary={listSummary("Tickets by category", categoryRows)} rows={categoryRows} valueLabel="Tickets" nameLabel="Category">
          <HorizontalBars rows={categoryRows} />
        </ChartCard>

        <ChartCard title="By team" summary={listSummary("Tickets by team", teamRows)} rows={teamRows} valueLabel="Tickets" nameLabel="Team">
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
    <ChartCard
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
