import type { Priority, Status, WaitingReason } from "@/db/schema/enums";
import { cx } from "@/components/ui/cx";
import { PRIORITY_LABEL, STATUS_LABEL, WAITING_REASON_LABEL, waitingOnLabel } from "./labels";

const statusTone: Record<Status, string> = {
  new: "bg-sky-100 text-sky-900 ring-sky-300",
  open: "bg-blue-100 text-blue-900 ring-blue-300",
  in_progress: "bg-violet-100 text-violet-900 ring-violet-300",
  waiting: "bg-amber-100 text-amber-900 ring-amber-300",
  resolved: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  closed: "bg-slate-200 text-slate-800 ring-slate-300",
};

const priorityTone: Record<Priority, string> = {
  P1: "bg-red-100 text-red-900 ring-red-300",
  P2: "bg-orange-100 text-orange-900 ring-orange-300",
  P3: "bg-yellow-100 text-yellow-900 ring-yellow-300",
  P4: "bg-slate-100 text-slate-800 ring-slate-300",
};

const pill = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap";

/**
 * The status pill. With `waitingReason` on a waiting ticket it reads "Waiting · requester"
 * ("Waiting on requester" as its title): the compact form for lists.
 */
export function StatusBadge({ status, waitingReason }: { status: Status; waitingReason?: WaitingReason | null }) {
  if (status === "waiting" && waitingReason) {
    return (
      <span className={cx(pill, statusTone[status])} title={waitingOnLabel(waitingReason)}>
        {`${STATUS_LABEL[status]} · ${WAITING_REASON_LABEL[waitingReason].toLowerCase()}`}
      </span>
    );
  }
  return <span className={cx(pill, statusTone[status])}>{STATUS_LABEL[status]}</span>;
}

/** "Waiting on requester" / "Waiting on third party" beside a header's status badge; nothing otherwise. */
export function WaitingReasonNote({ status, waitingReason }: { status: Status; waitingReason: WaitingReason | null }) {
  if (status !== "waiting" || !waitingReason) return null;
  return (
    <span data-testid="waiting-reason" className="font-medium text-amber-900">
      {waitingOnLabel(waitingReason)}
    </span>
  );
}

export function PriorityBadge({ priority, short = false }: { priority: Priority; short?: boolean }) {
  return (
    <span className={cx(pill, priorityTone[priority])} title={PRIORITY_LABEL[priority]}>
      {short ? priority : PRIORITY_LABEL[priority]}
    </span>
  );
}

export function Badge({ children, tone = "slate" }: { children: React.ReactNode; tone?: "slate" | "amber" | "brand" | "emerald" }) {
  const tones = {
    slate: "bg-slate-100 text-slate-800 ring-slate-300",
    amber: "bg-amber-100 text-amber-900 ring-amber-300",
    brand: "bg-brand-50 text-brand-900 ring-brand-100",
    emerald: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  };
  return <span className={cx(pill, tones[tone])}>{children}</span>;
}
