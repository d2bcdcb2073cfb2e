import { formatBytes } from "@/lib/files/sheets/errors";
import type { AuditEventDTO } from "@/lib/tickets/get-ticket";
import { RelativeTime } from "@/components/ui/time";
import { actionLabel, PRIORITY_LABEL, STATUS_LABEL } from "./labels";

export interface NameMaps {
  category: Record<string, string>;
  team: Record<string, string>;
  user: Record<string, string>;
}

function show(field: string, value: unknown, names: NameMaps): string {
  if (value === null || value === undefined || value === "") return "none";
  const v = String(value);
  switch (field) {
    case "status":
      return STATUS_LABEL[v as keyof typeof STATUS_LABEL] ?? v;
    case "priority":
      return PRIORITY_LABEL[v as keyof typeof PRIORITY_LABEL] ?? v;
    case "category":
      return names.category[v] ?? v;
    case "team":
      return names.team[v] ?? v;
    case "assignee":
      return names.user[v] ?? "a former agent";
    case "needsReview":
      return value ? "needs review" : "confirmed";
    default:
      return v.length > 80 ? `${v.slice(0, 77)}…` : v;
  }
}

/** The changes an event made, as "field: before → after" lines. */
function changes(e: AuditEventDTO, names: NameMaps): { field: string; text: string }[] {
  if (e.action === "ticket.created" && e.after) {
    const a = e.after;
    return [
      { field: "category", text: `Category ${show("category", a.category, names)}` },
      { field: "priority", text: `Priority ${show("priority", a.priority, names)}` },
      { field: "team", text: `Team ${show("team", a.team, names)}` },
      { field: "source", text: `via ${String(a.source ?? "web")}` },
    ];
  }
  if (e.action.startsWith("comment.")) return [];
  if (e.action.startsWith("attachment.") || e.action.startsWith("upload.")) {
    // Files: name and size, not a field-by-field diff.
    const a = e.after ?? e.before ?? {};
    const size = typeof a.size === "number" ? ` (${formatBytes(a.size)})` : "";
    return typeof a.filename === "string" ? [{ field: "file", text: `${a.filename}${size}` }] : [];
  }
  const keys = new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})]);
  return [...keys].map((k) => ({
    field: k,
    text: `${show(k, e.before?.[k], names)} → ${show(k, e.after?.[k], names)}`,
  }));
}

/** The audit trail, oldest first: who did what, and what changed. */
export function AuditTimeline({ events, names, now }: { events: AuditEventDTO[]; names: NameMaps; now: number }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No history yet.</p>;
  return (
    <ol className="relative space-y-3 border-l border-slate-200 pl-4" data-testid="audit-timeline">
      {events.map((e) => {
        const lines = changes(e, names);
        return (
          <li key={e.id} className="relative">
            <span aria-hidden="true" className="absolute -left-[21px] top-1.5 h-2.5 w-2.5 rounded-full border-2 border-white bg-slate-500" />
            <p className="text-sm text-slate-900">
              <span className="font-medium">{actionLabel(e.action)}</span> <span className="text-slate-700">by {e.actor}</span>
            </p>
            {lines.length ? <p className="mt-0.5 text-xs text-slate-700">{lines.map((l) => l.text).join(" · ")}</p> : null}
            <p className="text-xs text-slate-600">
              <RelativeTime iso={e.at} now={now} />
            </p>
          </li>
        );
      })}
    </ol>
  );
}
