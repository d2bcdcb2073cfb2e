"use client";

import Link from "next/link";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { PRIORITY_LABEL } from "@/components/tickets/labels";
import { formatDuration } from "@/components/ui/time";
import { PRIORITIES, type Priority } from "@/db/schema/enums";
import type { SlaBusinessTime, SlaMetCounts, SlaStats } from "@/lib/sla/stats";
import { ChartCard, dayLabel, GRID, nf, StatCard, TICK } from "./parts";
import { DashboardSection } from "./section";

/* Series colours: each at least 3:1 against white, told apart by hue (blue/orange/violet, teal/slate). */
const MET = "#0f766e";
const FIRST = "#1d4ed8";
const NEXT = "#7c3aed";
const RESOLUTION = "#c2410c";
const MEAN = "#0f766e";
const TARGET = "#64748b";
const AT_RISK = "#b45309";
const BREACHED = "#b91c1c";

const pct = (x: number | null) => (x === null ? "–" : `${x.toFixed(1)}%`);
const hours = (s: number | null) => (s === null ? 0 : Math.round((s / 3600) * 100) / 100);
const metRow = (key: string, name: string, c: SlaMetCounts) => ({ key, name, value: c.metPct === null ? 0 : Math.round(c.metPct * 10) / 10, c });
const metTable = (nameLabel: string, rows: ReturnType<typeof metRow>[]) => ({
  nameLabel,
  columns: ["Met", "Breached", "Resolved", "Met %"],
  rows: rows.map((r) => ({ key: r.key, name: r.name, cells: [nf.format(r.c.met), nf.format(r.c.breached), nf.format(r.c.total), pct(r.c.metPct)] })),
});
const metSummary = (what: string, rows: ReturnType<typeof metRow>[]) =>
  `SLA met % ${what}: ${rows.filter((r) => r.c.total > 0).map((r) => `${r.name} ${pct(r.c.metPct)} of ${r.c.total}`).join(", ") || "no resolved tickets"}.`;

/**
 * The dashboard's "SLA" section (GET /api/sla/stats for the selected range): met % per priority
 * and team, breaches per day by target, mean business times against target per priority, and
 * the current at-risk / breached backlog linking to the filtered ticket list. Every chart has a
 * text summary for assistive technology and a data table.
 */
export function SlaSection({
  data,
  error,
  onRetry,
  days,
  teamNames,
}: {
  data: SlaStats | undefined;
  error: string | null;
  onRetry: () => void;
  days: number;
  teamNames: Record<string, string>;
}) {
  return (
    <DashboardSection
      id="sla-h"
      title="SLA"
      testId="sla-section"
      what="SLA"
      loaded={data !== undefined}
      error={error}
      onRetry={onRetry}
      intro={
        <>
          Tickets resolved and breaches recorded {data ? `${data.range.from.slice(0, 10)} to ${lastDay(data.range.to)} (UTC)` : `in the last ${days} days`}.
          The backlog is current, whatever the range.
        </>
      }
    >
      {data ? <SlaBody data={data} teamNames={teamNames} /> : null}
    </DashboardSection>
  );
}

/** The last UTC day of a half-open range ending at `to` (ISO). */
function lastDay(to: string): string {
  return new Date(Date.parse(to) - 1).toISOString().slice(0, 10);
}

function SlaBody({ data, teamNames }: { data: SlaStats; teamNames: Record<string, string> }) {
  const { met, backlog, breaches } = data;
  const priorityRows = PRIORITIES.map((p: Priority) => metRow(p, PRIORITY_LABEL[p], met.byPriority[p]));
  const teamRows = Object.entries(met.byTeam)
    .map(([slug, c]) => metRow(slug, slug === "none" ? "No team" : (teamNames[slug] ?? slug), c))
    .sort((a, b) => b.c.total - a.c.total);
  const dayRows = data.breachesPerDay.map((d) => ({ key: d.day, name: dayLabel(d.day), ...d }));
  const backlogRows = PRIORITIES.map((p: Priority) => ({ key: p, name: PRIORITY_LABEL[p], atRisk: backlog.byPriority[p].atRisk, breached: backlog.byPriority[p].breached }));
  const worstDay = dayRows.reduce((a, b) => (b.total > a.total ? b : a), dayRows[0]);

  return (
    <>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard
          label="SLA met"
          value={pct(met.all.metPct)}
          testId="sla-met-pct"
          note={met.all.total === 0 ? "No tickets under an SLA resolved in range" : `${nf.format(met.all.met)} of ${nf.format(met.all.total)} resolved without a breach`}
        />
        <StatCard label="Breaches" value={nf.format(breaches.total)} testId="sla-breaches" note={`${nf.format(breaches.first_response)} first response · ${nf.format(breaches.next_response)} next response · ${nf.format(breaches.resolution)} resolution`} />
        <StatCard label="At risk now" value={nf.format(backlog.atRisk)} testId="sla-at-risk" note="open tickets past their warning time">
          <Link href={backlog.links.atRisk} className="mt-1 inline-block text-xs font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
            Show at-risk tickets
          </Link>
        </StatCard>
        <StatCard label="Breached now" value={nf.format(backlog.breached)} testId="sla-breached" note="open tickets past a due time">
          <Link href={backlog.links.breached} className="mt-1 inline-block text-xs font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
            Show breached tickets
          </Link>
        </StatCard>
      </div>

      <ChartCard
        level={3}
        title="SLA breaches per day"
        subtitle="by target, stacked"
        summary={`SLA breaches per day over ${dayRows.length} days: ${nf.format(breaches.total)} in total, ${nf.format(breaches.first_response)} first response, ${nf.format(breaches.next_response)} next response, ${nf.format(breaches.resolution)} resolution${worstDay && breaches.total > 0 ? `; most on ${worstDay.name} with ${worstDay.total}` : ""}.`}
        empty={breaches.total === 0 ? "No SLA breaches in this range." : undefined}
        legend={[
          { name: "First response", color: FIRST, value: breaches.first_response },
          { name: "Next response", color: NEXT, value: breaches.next_response },
          { name: "Resolution", color: RESOLUTION, value: breaches.resolution },
        ]}
        table={{
          nameLabel: "Day",
          columns: ["First response", "Next response", "Resolution", "Total"],
          rows: dayRows.map((r) => ({ key: r.key, name: r.name, cells: [r.first_response, r.next_response, r.resolution, r.total].map((n) => nf.format(n)) })),
        }}
      >
        <BarChart responsive data={dayRows} style={{ width: "100%", height: 220 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="name" tick={TICK} tickLine={false} minTickGap={24} />
          <YAxis allowDecimals={false} tick={TICK} tickLine={false} axisLine={false} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} />
          <Bar dataKey="first_response" name="First response" stackId="b" fill={FIRST} isAnimationActive={false} />
          <Bar dataKey="next_response" name="Next response" stackId="b" fill={NEXT} isAnimationActive={false} />
          <Bar dataKey="resolution" name="Resolution" stackId="b" fill={RESOLUTION} isAnimationActive={false} radius={[3, 3, 0, 0]} />
        </BarChart>
      </ChartCard>

      <div className="grid gap-4 lg:grid-cols-2">
        <MetCard title="SLA met % by priority" nameLabel="Priority" what="by priority" rows={priorityRows} none={met.all.total === 0} />
        <MetCard title="SLA met % by team" nameLabel="Team" what="by team" rows={teamRows} none={met.all.total === 0} />
        <BusinessTimeCard title="First response: business time vs target" byPriority={data.businessTime.firstResponse.byPriority} all={data.businessTime.firstResponse.all} what="first responses" />
        <BusinessTimeCard title="Resolution: business time vs target" byPriority={data.businessTime.resolution.byPriority} all={data.businessTime.resolution.all} what="resolutions" />
        <ChartCard
          level={3}
          title="SLA backlog by priority"
          subtitle="open tickets now, not paused"
          summary={`Open tickets now: ${nf.format(backlog.atRisk)} at risk and ${nf.format(backlog.breached)} breached; ${backlogRows.map((r) => `${r.name} ${r.atRisk} at risk, ${r.breached} breached`).join("; ")}.`}
          empty={backlog.atRisk + backlog.breached === 0 ? "No open ticket is at risk or breached." : undefined}
          legend={[
            { name: "At risk", color: AT_RISK, value: backlog.atRisk },
            { name: "Breached", color: BREACHED, value: backlog.breached },
          ]}
          table={{ nameLabel: "Priority", columns: ["At risk", "Breached"], rows: backlogRows.map((r) => ({ key: r.key, name: r.name, cells: [nf.format(r.atRisk), nf.format(r.breached)] })) }}
        >
          <BarChart responsive data={backlogRows} style={{ width: "100%", height: 200 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="name" tick={TICK} tickLine={false} interval={0} />
            <YAxis allowDecimals={false} tick={TICK} tickLine={false} axisLine={false} />
            <Tooltip cursor={{ fill: "#f1f5f9" }} />
            <Bar dataKey="atRisk" name="At risk" stackId="k" fill={AT_RISK} isAnimationActive={false} />
            <Bar dataKey="breached" name="Breached" stackId="k" fill={BREACHED} isAnimationActive={false} radius={[3, 3, 0, 0]} />
          </BarChart>
        </ChartCard>
      </div>
    </>
  );
}

function MetCard({ title, nameLabel, what, rows, none }: { title: string; nameLabel: string; what: string; rows: ReturnType<typeof metRow>[]; none: boolean }) {
  return (
    <ChartCard
      level={3}
      title={title}
      subtitle="tickets resolved in range"
      summary={metSummary(what, rows)}
      empty={none ? "No tickets under an SLA were resolved in this range." : undefined}
      table={metTable(nameLabel, rows)}
    >
      <MetBars rows={rows} />
    </ChartCard>
  );
}

function MetBars({ rows }: { rows: ReturnType<typeof metRow>[] }) {
  const height = Math.max(120, rows.length * 28 + 24);
  return (
    <BarChart responsive layout="vertical" data={rows} style={{ width: "100%", height }} accessibilityLayer={false} margin={{ top: 4, right: 16, left: 8, bottom: 0 }}>
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" domain={[0, 100]} unit="%" tick={TICK} tickLine={false} />
      <YAxis type="category" dataKey="name" width={150} tick={TICK} tickLine={false} axisLine={false} interval={0} />
      <Tooltip cursor={{ fill: "#f1f5f9" }} formatter={(_v, _n, item) => pct((item.payload as { c: SlaMetCounts }).c.metPct)} />
      <Bar dataKey="value" name="Met %" fill={MET} isAnimationActive={false} radius={[0, 3, 3, 0]} barSize={16} />
    </BarChart>
  );
}

function BusinessTimeCard({ title, byPriority, all, what }: { title: string; byPriority: Record<Priority, SlaBusinessTime>; all: SlaBusinessTime; what: string }) {
  const rows = PRIORITIES.map((p: Priority) => ({ key: p, name: p, label: PRIORITY_LABEL[p], t: byPriority[p], mean: hours(byPriority[p].meanS), target: hours(byPriority[p].meanTargetS) }));
  const summary =
    all.count === 0
      ? `${title}: no ${what} in this range.`
      : `${title}, mean business time against mean target: ${rows
          .filter((r) => r.t.count > 0)
          .map((r) => `${r.label} ${formatDuration(r.t.meanS)} vs ${formatDuration(r.t.meanTargetS)} over ${r.t.count}`)
          .join("; ")}.`;
  return (
    <ChartCard
      level={3}
      title={title}
      subtitle={`${nf.format(all.count)} ${what} in range · business hours`}
      summary={summary}
      empty={all.count === 0 ? `No ${what} in this range.` : undefined}
      legend={[
        { name: "Mean", color: MEAN, value: formatDuration(all.meanS) },
        { name: "Target", color: TARGET, value: formatDuration(all.meanTargetS) },
      ]}
      table={{
        nameLabel: "Priority",
        columns: ["Mean", "Target", "Count", "Within target"],
        rows: rows.map((r) => ({ key: r.key, name: r.label, cells: [formatDuration(r.t.meanS), formatDuration(r.t.meanTargetS), nf.format(r.t.count), nf.format(r.t.withinTarget)] })),
      }}
    >
      <BarChart responsive data={rows} style={{ width: "100%", height: 200 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: -4, bottom: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="name" tick={TICK} tickLine={false} />
        <YAxis tick={TICK} tickLine={false} axisLine={false} unit=" h" />
        <Tooltip cursor={{ fill: "#f1f5f9" }} formatter={(v) => `${v} h`} />
        <Bar dataKey="mean" name="Mean" fill={MEAN} isAnimationActive={false} radius={[3, 3, 0, 0]} />
        <Bar dataKey="target" name="Target" fill={TARGET} isAnimationActive={false} radius={[3, 3, 0, 0]} />
      </BarChart>
    </ChartCard>
  );
}
