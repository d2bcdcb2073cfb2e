import type { TriageDecisionDTO } from "@/lib/tickets/get-ticket";
import { Badge } from "./badges";
import { PRIORITY_LABEL } from "./labels";

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** How the ticket was triaged: provider, model, confidence, alternatives, predicted vs final. */
export function TriagePanel({
  triage,
  categoryName,
  teamName,
}: {
  triage: TriageDecisionDTO | null;
  categoryName: Record<string, string>;
  teamName: Record<string, string>;
}) {
  if (!triage) return <p className="text-sm text-slate-600">No triage decision was recorded for this ticket.</p>;
  const cat = (s: string) => categoryName[s] ?? s;
  const team = (s: string | null) => (s ? (teamName[s] ?? s) : "No team");
  const prio = (p: string) => PRIORITY_LABEL[p as keyof typeof PRIORITY_LABEL] ?? p;
  const rows: { label: string; predicted: string; final: string }[] = [
    { label: "Category", predicted: cat(triage.predicted.category), final: cat(triage.final.category) },
    { label: "Priority", predicted: prio(triage.predicted.priority), final: prio(triage.final.priority) },
    { label: "Team", predicted: team(triage.predicted.team), final: team(triage.final.team) },
  ];
  return (
    <div className="space-y-3 text-sm" data-testid="triage-panel">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="text-slate-600">Provider</dt>
        <dd className="text-slate-900">
          {triage.provider} <span className="text-slate-600">({triage.mode})</span>
        </dd>
        <dt className="text-slate-600">Model</dt>
        <dd className="break-all font-mono text-xs text-slate-900">{triage.model}</dd>
        <dt className="text-slate-600">Confidence</dt>
        <dd className="text-slate-900">
          <span className="font-semibold">{pct(triage.confidence)}</span>
          <span
            aria-hidden="true"
            className="ml-2 inline-block h-1.5 w-20 overflow-hidden rounded-full bg-slate-200 align-middle"
          >
            <span className="block h-full bg-brand-600" style={{ width: pct(triage.confidence) }} />
          </span>
        </dd>
        <dt className="text-slate-600">Latency</dt>
        <dd className="text-slate-900">{triage.latencyMs.toFixed(1)} ms</dd>
        <dt className="text-slate-600">Overridden by</dt>
        <dd className="text-slate-900">{triage.overriddenBy ? <Badge tone="amber">{triage.overriddenBy}</Badge> : "Nobody"}</dd>
        {triage.fallbackReason ? (
          <>
            <dt className="text-slate-600">Fallback</dt>
            <dd className="text-slate-900">{triage.fallbackReason}</dd>
          </>
        ) : null}
      </dl>
      <table className="w-full text-left text-xs">
        <caption className="sr-only">Predicted and final triage values</caption>
        <thead className="text-slate-700">
          <tr>
            <th scope="col" className="py-1 pr-2 font-semibold"><span className="sr-only">Field</span></th>
            <th scope="col" className="py-1 pr-2 font-semibold">Predicted</th>
            <th scope="col" className="py-1 font-semibold">Final</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row" className="py-1 pr-2 font-medium text-slate-700">{r.label}</th>
              <td className="py-1 pr-2 text-slate-900">{r.predicted}</td>
              <td className={r.final !== r.predicted ? "py-1 font-semibold text-amber-900" : "py-1 text-slate-900"}>{r.final}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {triage.alternatives.length ? (
        <div>
          <p className="text-xs font-medium text-slate-700">Alternatives</p>
          <ul className="mt-1 space-y-0.5 text-xs text-slate-800">
            {triage.alternatives.map((a) => (
              <li key={a.category} className="flex justify-between gap-2">
                <span>{cat(a.category)}</span>
                <span className="tabular-nums">{pct(a.confidence)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
