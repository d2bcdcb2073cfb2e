"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { BAR, ChartCard, GRID, nf, TICK } from "@/components/dashboard/parts";
import { codeLabel } from "./labels";

/**
 * Findings per code as a horizontal bar chart (recharts), with the numbers as text for
 * assistive technology and under "Show data". Codes with no finding are listed in the data
 * table but not drawn; with no finding at all a sentence replaces the drawing.
 */
export function FindingsChart({ byCode }: { byCode: { code: string; count: number }[] }) {
  const rows = byCode.map((c) => ({ key: c.code, name: codeLabel(c.code), value: c.count }));
  const drawn = rows.filter((r) => r.value > 0);
  const total = drawn.reduce((s, r) => s + r.value, 0);
  const summary =
    total === 0
      ? "Findings by code: none."
      : `Findings by code, ${nf.format(total)} in total: ${drawn.map((r) => `${r.name} ${nf.format(r.value)}`).join(", ")}.`;
  const height = Math.max(120, drawn.length * 30 + 30);
  return (
    <ChartCard
      title="Findings by code"
      summary={summary}
      rows={rows}
      nameLabel="Code"
      valueLabel="Findings"
      empty={total === 0 ? "No findings: every row passed the checks." : undefined}
    >
      <BarChart
        responsive
        layout="vertical"
        data={drawn}
        style={{ width: "100%", height }}
        accessibilityLayer={false}
        margin={{ top: 4, right: 24, left: 8, bottom: 0 }}
      >
        <CartesianGrid stroke={GRID} horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={TICK} tickLine={false} />
        <YAxis type="category" dataKey="name" width={160} tick={TICK} tickLine={false} axisLine={false} interval={0} />
        <Tooltip cursor={{ fill: "#f1f5f9" }} />
        <Bar dataKey="value" name="Findings" fill={BAR} isAnimationActive={false} radius={[0, 3, 3, 0]} barSize={18} />
      </BarChart>
    </ChartCard>
  );
}
