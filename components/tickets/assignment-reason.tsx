import type { AssignmentInfo } from "@/lib/routing/assign/reason";

/**
 * Why the ticket has (or still lacks) its assignee after automatic assignment, under the
 * ticket header: "Auto-assigned to Maria: matched: vpn, cisco; load 3/8; in hours" (round
 * robin: "Auto-assigned to Otto: round robin (least recently assigned); load 1/2; in hours"),
 * or "Auto-assignment found nobody: 2 out of hours". Renders nothing without an automatic
 * assignment (lib/routing/assign/latest.ts).
 */
export function AssignmentReason({ info }: { info: AssignmentInfo | null }) {
  if (!info) return null;
  return (
    <div className="mt-1 text-sm text-slate-700" data-testid="assignment-reason">
      <p>
        {info.assigneeName ? (
          <>
            Auto-assigned to <span className="font-medium text-slate-900">{info.assigneeName}</span>: {info.reason}
            {info.current ? null : <span className="text-slate-600"> (since changed by an agent)</span>}
          </>
        ) : (
          <>
            Auto-assignment found nobody: {info.reason.replace(/^nobody eligible: /, "")}
          </>
        )}
      </p>
      {info.rerank ? <p className="text-xs text-slate-600">{info.rerank}</p> : null}
    </div>
  );
}
