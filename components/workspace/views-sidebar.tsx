import Link from "next/link";
import { cx } from "@/components/ui/cx";
import type { CountedView } from "@/lib/workspace/counts";
import { DeleteViewButton } from "./delete-view-button";

/** "1,234", or "10,000+" for a count above the cap (null). */
export function formatCount(count: number | null, cap = 10_000): string {
  return count === null ? `${cap.toLocaleString("en-US")}+` : count.toLocaleString("en-US");
}

function ViewLink({ view, active }: { view: CountedView; active: boolean }) {
  return (
    <Link
      href={view.href}
      aria-current={active ? "page" : undefined}
      className={cx(
        "flex min-w-0 flex-1 items-center justify-between gap-2 rounded-md px-2 py-1.5 text-sm",
        active ? "bg-brand-50 font-semibold text-brand-800" : "text-slate-800 hover:bg-slate-100",
      )}
    >
      <span className="truncate">{view.name}</span>
      <span className="shrink-0 tabular-nums text-xs text-slate-700" data-testid={`view-count-${view.id}`}>
        {formatCount(view.count)}
      </span>
    </Link>
  );
}

function Group({ title, views, activeId }: { title: string; views: CountedView[]; activeId: string | null }) {
  if (views.length === 0) return null;
  return (
    <div>
      <h2 className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</h2>
      <ul className="mt-1 space-y-0.5">
        {views.map((v) => (
          <li key={v.id} className="flex items-center gap-1">
            <ViewLink view={v} active={v.id === activeId} />
            {v.editable ? <DeleteViewButton id={v.id} name={v.name} active={v.id === activeId} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The views side bar: built-in, shared and personal views with their live ticket counts; the
 * active view is highlighted (`aria-current="page"`); views the agent may manage have a delete
 * button.
 */
export function ViewsSidebar({ views, activeId }: { views: CountedView[]; activeId: string | null }) {
  return (
    <nav aria-label="Views" className="space-y-4 rounded-lg border border-slate-200 bg-white p-2 shadow-sm">
      <Group title="Views" views={views.filter((v) => v.kind === "builtin")} activeId={activeId} />
      <Group title="Shared views" views={views.filter((v) => v.kind === "shared")} activeId={activeId} />
      <Group title="My views" views={views.filter((v) => v.kind === "personal")} activeId={activeId} />
    </nav>
  );
}
