import type { TargetKind } from "@/db/schema/routing";
import { Badge } from "@/components/tickets/badges";
import { Card, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import type { ExternalLinkDTO, PushStateDTO } from "@/lib/routing/targets/dto";

const KIND_LABEL: Record<TargetKind, string> = { jira: "Jira", freshservice: "Freshservice", slack: "Slack", webhook: "Webhook" };

/** "Jira OPS-12", "Freshservice #123", "Slack: posted", "Webhook: <id>" (or "Webhook: delivered"). */
export function externalLinkLabel(l: Pick<ExternalLinkDTO, "kind" | "externalId">): string {
  switch (l.kind) {
    case "jira":
      return l.externalId ? `Jira ${l.externalId}` : "Jira: created";
    case "freshservice":
      return l.externalId ? `Freshservice #${l.externalId.replace(/^#/, "")}` : "Freshservice: created";
    case "slack":
      return "Slack: posted";
    default:
      return l.externalId ? `Webhook: ${l.externalId}` : "Webhook: delivered";
  }
}

/** A safe href for an external record: http(s) only (anything else is shown as text). */
function safeHref(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}


/**
 * The ticket page's "External systems" card: the records external systems hold for the ticket
 * (`links`, from the ticket detail) and, per target, the push still pending or dead-lettered
 * (`pushes`, lib/routing/targets/links.ts listTicketPushStates). Renders nothing when both are empty.
 */
export function ExternalLinks({ links, pushes, now }: { links: ExternalLinkDTO[]; pushes: PushStateDTO[]; now: number }) {
  if (links.length === 0 && pushes.length === 0) return null;
  return (
    <Card aria-labelledby="ext-h">
      <CardHeader>
        <h2 id="ext-h" className="text-sm font-semibold">
          External systems
        </h2>
      </CardHeader>
      <ul className="space-y-2 px-4 py-3 text-sm" data-testid="external-links">
        {links.map((l) => {
          const href = safeHref(l.url);
          const label = externalLinkLabel(l);
          return (
            <li key={`link-${l.target}-${l.externalId ?? ""}`}>
              {href ? (
                <a href={href} target="_blank" rel="noopener noreferrer" className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                  {label}
                  <span className="sr-only"> (opens in a new tab)</span>
                </a>
              ) : (
                <span className="font-medium text-slate-900">{label}</span>
              )}
              <span className="block text-xs text-slate-600">{l.target}</span>
            </li>
          );
        })}
        {pushes.map((p) => (
          <li key={`push-${p.pushId}`} data-testid="external-push-state">
            <span className="flex flex-wrap items-center gap-1.5">
              <span className="font-medium text-slate-900">{KIND_LABEL[p.kind]}</span>
              {p.status === "dead" ? (
                <span className="inline-flex items-center rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-900 ring-1 ring-inset ring-red-300">Failed</span>
              ) : (
                <Badge tone="amber">Pending</Badge>
              )}
            </span>
            <span className="block text-xs text-slate-600">
              {p.target} · {p.action} · {p.attempts} {p.attempts === 1 ? "attempt" : "attempts"}
              {p.lastStatusCode !== null ? ` · HTTP ${p.lastStatusCode}` : null}
              {p.lastAttemptAt ? (
                <>
                  {" · "}
                  <RelativeTime iso={p.lastAttemptAt} now={now} />
                </>
              ) : null}
            </span>
            {p.lastError ? <span className="block break-words text-xs text-slate-700">{p.lastError}</span> : null}
            {p.status === "dead" ? <span className="block text-xs text-slate-600">An admin can retry it from Admin › Team mappings.</span> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
