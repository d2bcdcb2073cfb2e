import type { ODataRunDTO } from "@/lib/odata/dto";
import { cx } from "@/components/ui/cx";

const STATUS_CLASS: Record<string, string> = {
  succeeded: "text-emerald-800",
  failed: "text-red-800",
  running: "text-amber-800",
};

/** One run's report: status and counts; unless `compact`, its errors as served (OData messages unchanged). */
export function RunReport({ run, compact = false }: { run: ODataRunDTO; compact?: boolean }) {
  return (
    <div data-testid={`odata-run-${run.id}`}>
      <span className={cx("font-medium", STATUS_CLASS[run.status])}>{run.status}</span>{" "}
      <span className="text-slate-800">
        {run.fetched} fetched, {run.created} created, {run.updated} updated, {run.skipped} skipped, {run.errors.length} {run.errors.length === 1 ? "error" : "errors"}
      </span>
      {!compact && run.errors.length > 0 ? (
        <ul className="mt-1 list-disc space-y-0.5 pl-5 text-xs text-slate-800">
          {run.errors.map((e, i) => (
            <li key={i} className="break-words">
              {e.externalId ? <span className="font-mono">[{e.externalId}] </span> : null}
              {e.status !== undefined ? <span className="font-mono">HTTP {e.status} </span> : null}
              {e.attempt !== undefined ? <span>(attempt {e.attempt}) </span> : null}
              <span>{e.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
