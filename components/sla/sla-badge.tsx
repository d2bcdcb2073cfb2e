import { cx } from "@/components/ui/cx";
import type { SlaState, TicketSlaDTO } from "@/lib/sla/types";
import { slaBadgeText } from "./format";

/** Badge colours per state: on_track neutral, at_risk amber, breached red, paused grey, met green. */
export const SLA_TONE: Record<SlaState | "none", string> = {
  on_track: "bg-white text-slate-800 ring-slate-300",
  at_risk: "bg-amber-100 text-amber-950 ring-amber-400",
  breached: "bg-red-100 text-red-900 ring-red-400",
  paused: "bg-slate-200 text-slate-700 ring-slate-300",
  met: "bg-emerald-50 text-emerald-900 ring-emerald-300",
  none: "bg-transparent text-slate-600 ring-transparent",
};

/** A glyph beside the text so at-risk and breached differ by more than colour (hidden from screen readers, which get the words). */
const MARK: Partial<Record<SlaState, string>> = { at_risk: "!", breached: "‼", paused: "❚❚", met: "✓" };

/**
 * The ticket list's due badge ("due in 2 h", "overdue 15 min", "paused", "met") for a
 * ticket's `sla`, coloured by state, with the state in words for assistive technology
 * ("SLA at risk: first response due in 2 min") and in `data-sla-state`.
 */
export function SlaBadge({ sla, className }: { sla: TicketSlaDTO | null | undefined; className?: string }) {
  const b = slaBadgeText(sla);
  const mark = b.state === "none" ? undefined : MARK[b.state];
  return (
    <span
      data-testid="sla-badge"
      data-sla-state={b.state}
      title={b.description}
      className={cx(
        "inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        SLA_TONE[b.state],
        className,
      )}
    >
      {mark ? (
        <span aria-hidden="true" className="font-bold">
          {mark}
        </span>
      ) : null}
      <span aria-hidden="true">{b.text}</span>
      <span className="sr-only">{b.description}</span>
    </span>
  );
}
