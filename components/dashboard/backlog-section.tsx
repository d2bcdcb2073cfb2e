"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { STATUS_COLOR, STATUS_LABEL } from "@/components/tickets/labels";
import type { Backlog, BacklogRow } from "@/lib/dashboard/backlog";
import { AGE_BUCKETS, UNSOLVED } from "@/lib/dashboard/links";
import { ChartCard, type DataTable, DrillLink, GRID, nf, StatCard, TICK } from "./parts";
import { DashboardSection } from "./section";

/** Age bucket colours, young (light) to old (dark). */
const AGE_COLOR = ["#93c5fd", "#3b82f6", "#1d4ed8", "#b45309", "#7f1d1d"];

/** Rows × age buckets (and total) as a table whose every count is a drill-down link. */
function matrix(nameLabel: string, rows: { name: string; row: BacklogRow }[]): DataTable {
  return {
    nameLabel,
    columns: [...AGE_BUCKETS.map((b) => b.label), "Total"],
    rows: rows.map(({ name, row }) => ({
      key: row.key,
      name,
      cells: [
        ...AGE_BUCKETS.map((b) => ({ text: nf.format(row.byAge[b.key].n), href: row.byAge[b.key].href, label: `${name}, ${b.label} old: ${row.byAge[b.key].n} tickets` })),
        { text: nf.format(row.total.n), href: row.total.href, label: `${name}: ${row.total.n} unsolved tickets` },
      ],
    })),
  };
}

/**
 * The current backlog (unsolved tickets now, whatever the range): total, by status, by age
 * bucket and by assignment group × age, from GET /api/dashboard/backlog. Clicking a bar opens
 * the ticket list filtered to it; the same drill-downs are links in the table under each chart
 * (for keyboards and screen readers).
 */
export function BacklogSection({
  data,
  error,
  onRetry,
  teamNames,
}: {
  data: Backlog | undefined;
  error: string | null;
  onRetry: () => void;
  teamNames: Record<string, string>;
}) {
  const router = useRouter();
  const teamName = (slug: string) => (slug === "none" ? "No team" : (teamNames[slug] ?? slug));
  return (
    <DashboardSection
      id="backlog-h"
      title="Backlog now"
      testId="backlog-section"
      what="backlog"
      intro={
        <>
          Unsolved tickets (new, open, in progress, waiting) right now, whenever they were created
          {data ? `, as of ${new Date(data.now).toLocaleTimeString("en-GB")}` : ""}. Select a bar or a number to open the list.
        </>
      }
      loaded={!!data}
      error={error}
      onRetry={onRetry}
    >
      {data ? <BacklogBody data={data} teamName={teamName} go={(href) => router.push(href)} /> : null}
    </DashboardSection>
  );
}

function BacklogBody({ data, teamName, go }: { data: Backlog; teamName: (slug: string) => string; go: (href: string) => void }) {
  const statusRows = UNSOLVED.map((s) => ({ key: s, name: STATUS_LABEL[s], value: data.byStatus[s].total.n, href: data.byStatus[s].total.href, color: STATUS_COLOR[s] }));
  const ageRows = AGE_BUCKETS.map((b, i) => ({ key: b.key, name: b.label, value: data.byAge[b.key].n, href: data.byAge[b.key].href, color: AGE_COLOR[i] }));
  const teamRows = data.byTeam.map((t) => ({
    key: t.key,
    name: teamName(t.key),
    ...Object.fromEntries(AGE_BUCKETS.map((b) => [b.key, t.byAge[b.key].n])),
    hrefs: Object.fromEntries(AGE_BUCKETS.map((b) => [b.key, t.byAge[b.key].href])) as Record<string, string>,
  }));
  const statusTable = matrix("Status", [
    ...UNSOLVED.map((s) => ({ name: STATUS_LABEL[s], row: data.byStatus[s] })),
    { name: "All unsolved", row: { key: "all", total: data.total, byAge: data.byAge } },
  ]);
  const teamTable = matrix("Team", data.byTeam.map((t) => ({ name: teamName(t.key), row: t })));
  const pointer = { cursor: "pointer" };
  return (
    <>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard label="Unsolved now" value={nf.format(data.total.n)} testId="backlog-total" note="all teams">
          <p className="mt-1 text-xs">
            <DrillLink href={data.total.href} label={`List the ${data.total.n} unsolved tickets`} testId="backlog-total-link">
              List them
            </DrillLink>
          </p>
        </StatCard>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <ChartCard
          level={3}
          title="Backlog by status and age"
          summary={`Unsolved tickets by status: ${statusRows.map((r) => `${r.name} ${r.value}`).join(", ")}.`}
          table={statusTable}
          tableOpen
        >
          <BarChart responsive data={statusRows} style={{ width: "100%", height: 200 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="name" tick={TICK} tickLine={false} interval={0} />
            <YAxis allowDecimals={false} tick={TICK} tickLine={false} axisLine={false} />
            <Tooltip cursor={{ fill: "#f1f5f9" }} />
            <Bar dataKey="value" name="Tickets" isAnimationActive={false} radius={[3, 3, 0, 0]} onClick={(_, i) => go(statusRows[i].href)} style={pointer}>
              {statusRows.map((r) => (
                <Cell key={r.key} fill={r.color} />
              ))}
            </Bar>
          </BarChart>
        </ChartCard>
        <ChartCard
          level={3}
          title="Backlog by age"
          summary={`Unsolved tickets by age: ${ageRows.map((r) => `${r.name} ${r.value}`).join(", ")}.`}
          table={{
            nameLabel: "Age",
            columns: ["Tickets"],
            rows: ageRows.map((r) => ({ key: r.key, name: r.name, cells: [{ text: nf.format(r.value), href: r.href, label: `${r.value} unsolved tickets ${r.name} old` }] })),
          }}
          tableOpen
        >
          <BarChart responsive data={ageRows} style={{ width: "100%", height: 200 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="name" tick={TICK} tickLine={false} interval={0} />
            <YAxis allowDecimals={false} tick={TICK} tickLine={false} axisLine={false} />
            <Tooltip cursor={{ fill: "#f1f5f9" }} />
            <Bar dataKey="value" name="Tickets" isAnimationActive={false} radius={[3, 3, 0, 0]} onClick={(_, i) => go(ageRows[i].href)} style={pointer}>
              {ageRows.map((r) => (
                <Cell key={r.key} fill={r.color} />
              ))}
            </Bar>
          </BarChart>
        </ChartCard>
      </div>
      <ChartCard
        level={3}
        title="Backlog by team and age"
        summary={`Unsolved tickets by team: ${teamRows.map((r) => `${r.name} ${data.byTeam.find((t) => t.key === r.key)?.total.n ?? 0}`).join(", ") || "none"}.`}
        table={teamTable}
        tableOpen
        empty={teamRows.length === 0 ? "No unsolved tickets." : undefined}
        legend={AGE_BUCKETS.map((b, i) => ({ name: b.label, color: AGE_COLOR[i], value: data.byAge[b.key].n }))}
      >
        <BarChart
          responsive
          layout="vertical"
          data={teamRows}
          style={{ width: "100%", height: Math.max(120, teamRows.length * 28 + 24) }}
          accessibilityLayer={false}
          margin={{ top: 4, right: 16, left: 8, bottom: 0 }}
        >
          <CartesianGrid stroke={GRID} horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={TICK} tickLine={false} />
          <YAxis type="category" dataKey="name" width={150} tick={TICK} tickLine={false} axisLine={false} interval={0} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} />
          {AGE_BUCKETS.map((b, i) => (
            <Bar
              key={b.key}
              dataKey={b.key}
              name={b.label}
              stackId="age"
              fill={AGE_COLOR[i]}
              isAnimationActive={false}
              barSize={16}
              onClick={(_, row) => go(teamRows[row].hrefs[b.key])}
              style={pointer}
            />
          ))}
        </BarChart>
      </ChartCard>
    </>
  );
}
