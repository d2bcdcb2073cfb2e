"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { CsatStats } from "@/lib/dashboard/csat";
import { ChartCard, GRID, nf, StatCard, TICK } from "./parts";
import { DashboardSection } from "./section";

const pct = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)}%`);

/** CSAT (% good, with counts) overall and per assignment group, and self-service deflections, from GET /api/dashboard/csat. */
export function CsatSection({
  data,
  error,
  onRetry,
  period,
  teamNames,
}: {
  data: CsatStats | undefined;
  error: string | null;
  onRetry: () => void;
  period: string;
  teamNames: Record<string, string>;
}) {
  const teamName = (slug: string) => (slug === "none" ? "No team" : (teamNames[slug] ?? slug));
  const rows = (data?.byTeam ?? []).map((t) => ({ key: t.team, name: teamName(t.team), value: t.goodPct === null ? 0 : Math.round(t.goodPct * 10) / 10, t }));
  return (
    <DashboardSection
      id="csat-h"
      title="Satisfaction"
      testId="csat-section"
      what="satisfaction"
      intro={<>Ratings requesters gave on resolved tickets {period} (UTC), by the team that held the ticket, and self-service deflections.</>}
      loaded={!!data}
      error={error}
      onRetry={onRetry}
    >
      {data ? (
        <div className="grid gap-4 lg:grid-cols-3">
          <div className="grid gap-3">
            <StatCard label="CSAT, all teams" value={pct(data.all.goodPct)} testId="csat-all" note={`${nf.format(data.all.good)} good of ${nf.format(data.all.total)} ratings`} />
            <StatCard label="Self-service deflections" value={nf.format(data.deflections)} testId="csat-deflections" note="problems solved by a suggested answer, no ticket filed" />
          </div>
          <div className="lg:col-span-2">
            <ChartCard
              level={3}
              title="CSAT by team"
              subtitle="% good"
              summary={`Good ratings by team: ${rows.map((r) => `${r.name} ${pct(r.t.goodPct)} of ${r.t.total}`).join(", ") || "no ratings"}.`}
              empty={rows.length === 0 ? "No ratings in this range." : undefined}
              table={{
                nameLabel: "Team",
                columns: ["Good", "Bad", "Ratings", "% good"],
                rows: rows.map((r) => ({ key: r.key, name: r.name, cells: [nf.format(r.t.good), nf.format(r.t.bad), nf.format(r.t.total), pct(r.t.goodPct)] })),
              }}
            >
              <BarChart
                responsive
                layout="vertical"
                data={rows}
                style={{ width: "100%", height: Math.max(120, rows.length * 28 + 24) }}
                accessibilityLayer={false}
                margin={{ top: 4, right: 16, left: 8, bottom: 0 }}
              >
                <CartesianGrid stroke={GRID} horizontal={false} />
                <XAxis type="number" domain={[0, 100]} unit="%" tick={TICK} tickLine={false} />
                <YAxis type="category" dataKey="name" width={150} tick={TICK} tickLine={false} axisLine={false} interval={0} />
                <Tooltip cursor={{ fill: "#f1f5f9" }} />
                <Bar dataKey="value" name="% good" fill="#047857" isAnimationActive={false} radius={[0, 3, 3, 0]} barSize={16} />
              </BarChart>
            </ChartCard>
          </div>
        </div>
      ) : null}
    </DashboardSection>
  );
}
