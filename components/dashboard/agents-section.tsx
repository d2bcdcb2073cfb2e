"use client";

import { formatDuration } from "@/components/ui/time";
import type { AgentsWorkload } from "@/lib/dashboard/agents";
import { DrillLink, nf } from "./parts";
import { DashboardSection } from "./section";

/**
 * Per-agent workload from GET /api/dashboard/agents: unsolved tickets assigned now and tickets
 * resolved in the range (each a link to the filtered list), with their median first response
 * and resolution times.
 */
export function AgentsSection({
  data,
  error,
  onRetry,
  period,
  teamNames,
}: {
  data: AgentsWorkload | undefined;
  error: string | null;
  onRetry: () => void;
  /** The range in words, e.g. "Mar 1 – Mar 7". */
  period: string;
  teamNames: Record<string, string>;
}) {
  return (
    <DashboardSection
      id="agents-h"
      title="Agents"
      testId="agents-section"
      what="workload"
      intro={<>Open tickets assigned to each agent now, and the tickets they resolved {period} (UTC) with the median times of those.</>}
      loaded={!!data}
      error={error}
      onRetry={onRetry}
    >
      {data ? (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm" data-testid="agents-table">
            <caption className="sr-only">Workload per agent: open now, resolved {period}</caption>
            <thead className="border-b border-slate-200 text-xs text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2 font-semibold">Agent</th>
                <th scope="col" className="px-3 py-2 font-semibold">Team</th>
                <th scope="col" className="px-3 py-2 text-right font-semibold">Open now</th>
                <th scope="col" className="px-3 py-2 text-right font-semibold">Resolved in range</th>
                <th scope="col" className="px-3 py-2 text-right font-semibold">Median first response</th>
                <th scope="col" className="px-3 py-2 text-right font-semibold">Median resolution</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.agents.map((a) => (
                <tr key={a.id}>
                  <th scope="row" className="px-3 py-1.5 font-medium text-slate-900">{a.name}</th>
                  <td className="px-3 py-1.5 text-slate-700">{a.teamSlug ? (teamNames[a.teamSlug] ?? a.teamSlug) : "–"}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">
                    <DrillLink href={a.open.href} label={`${a.name}: ${a.open.n} open tickets now`}>{nf.format(a.open.n)}</DrillLink>
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums">
                    {a.id === "none" ? (
                      "–"
                    ) : (
                      <DrillLink href={a.resolved.href} label={`${a.name}: ${a.resolved.n} tickets resolved ${period}`}>{nf.format(a.resolved.n)}</DrillLink>
                    )}
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums text-slate-900">{formatDuration(a.firstResponseP50S)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums text-slate-900">{formatDuration(a.resolutionP50S)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </DashboardSection>
  );
}
