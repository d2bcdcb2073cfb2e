import { cx } from "@/components/ui/cx";
import { STATUS_LABEL, type UploadStatus } from "./labels";

const tone: Record<UploadStatus, string> = {
  pending: "bg-slate-100 text-slate-800 ring-slate-300",
  checking: "bg-sky-100 text-sky-900 ring-sky-300",
  processing: "bg-sky-100 text-sky-900 ring-sky-300",
  done: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  failed: "bg-red-100 text-red-900 ring-red-300",
};

/** The status pill of an upload ("Processing", "Done", "Failed", …). */
export function UploadStatusBadge({ status, testId }: { status: UploadStatus; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={cx("inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tone[status])}
    >
      {STATUS_LABEL[status]}
    </span>
  );
}

/**
 * A labelled progress bar: `role="progressbar"` with aria-valuenow in percent (0–100) and the
 * label as its accessible name; `value` null draws an indeterminate bar (no aria-valuenow).
 */
export function ProgressBar({
  label,
  value,
  note,
  testId,
  tone: barTone = "brand",
}: {
  label: string;
  /** 0–1, or null when unknown. */
  value: number | null;
  /** Text beside the label, e.g. "48 % of 2.1 MB". */
  note?: string;
  testId?: string;
  tone?: "brand" | "success" | "error";
}) {
  const pct = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  const fill = { brand: "bg-brand-600", success: "bg-emerald-600", error: "bg-red-600" }[barTone];
  return (
    <div className="space-y-1">
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className="font-medium text-slate-800">{label}</span>
        <span className="tabular-nums text-slate-700">{note ?? (pct === null ? "…" : `${pct} %`)}</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-valuetext={pct === null ? "Starting" : `${pct} percent`}
        data-testid={testId}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={cx("h-full rounded-full transition-[width] duration-200", fill, pct === null && "w-1/3 animate-pulse")}
          style={pct === null ? undefined : { width: `${pct}%` }}
        />
      </div>
    </div>
  );
}
