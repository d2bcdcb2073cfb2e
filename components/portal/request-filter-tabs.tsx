import Link from "next/link";
import { cx } from "@/components/ui/cx";
import type { RequestFilter } from "@/lib/portal/request-filters";

const LABEL: Record<RequestFilter, string> = { open: "Open", closed: "Closed", all: "All" };

/**
 * The Open / Closed / All tabs of /requests, as links with counts (a new tab starts at the
 * first page). The current one carries `aria-current="page"`.
 */
export function RequestFilterTabs({ current, counts }: { current: RequestFilter; counts: Record<RequestFilter, number> }) {
  return (
    <nav aria-label="Filter requests">
      <ul className="flex flex-wrap gap-1 border-b border-slate-200">
        {(Object.keys(LABEL) as RequestFilter[]).map((f) => {
          const active = f === current;
          return (
            <li key={f}>
              <Link
                href={f === "open" ? "/requests" : `/requests?filter=${f}`}
                aria-current={active ? "page" : undefined}
                data-testid={`requests-tab-${f}`}
                className={cx(
                  "-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium",
                  active ? "border-brand-600 text-brand-900" : "border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {LABEL[f]}
                <span className={cx("rounded-full px-2 text-xs tabular-nums", active ? "bg-brand-100 text-brand-900" : "bg-slate-100 text-slate-700")}>
                  {counts[f]}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
