import Link from "next/link";
import type { RequesterPanel } from "@/lib/tickets/requester-panel";
import { Card, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { StatusBadge } from "./badges";

function TicketList({ title, items, now, empty }: { title: string; items: RequesterPanel["open"]; now: number; empty: string }) {
  return (
    <div>
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</h3>
      {items.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">{empty}</p>
      ) : (
        <ul className="mt-1 space-y-1.5">
          {items.map((t) => (
            <li key={t.key} className="text-sm">
              <Link href={`/tickets/${t.key}`} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                <span className="font-mono">{t.key}</span> {t.title}
              </Link>
              <div className="mt-0.5 flex items-center gap-2 text-xs text-slate-600">
                <StatusBadge status={t.status} /> <RelativeTime iso={t.createdAt} now={now} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The requester card of the agent's ticket page: name, e-mail, organisation and their other tickets. */
export function RequesterPanelCard({ panel, now }: { panel: RequesterPanel; now: number }) {
  return (
    <Card aria-labelledby="requester-h">
      <CardHeader>
        <h2 id="requester-h" className="text-sm font-semibold">
          Requester
        </h2>
      </CardHeader>
      <div className="space-y-3 px-4 py-3" data-testid="requester-panel">
        <div className="text-sm">
          <p className="font-medium text-slate-900">{panel.name ?? panel.email}</p>
          {panel.name ? <p className="break-all text-slate-700">{panel.email}</p> : null}
          <p className="text-slate-700">
            {panel.organisation ? (
              <>
                Organisation <span className="font-medium text-slate-900">{panel.organisation}</span> ·{" "}
                <Link
                  href={`/tickets?q=${encodeURIComponent(`@${panel.organisation}`)}`}
                  className="text-brand-700 underline underline-offset-2 hover:text-brand-900"
                >
                  {panel.organisationTickets} {panel.organisationTickets === 1 ? "ticket" : "tickets"} from it
                </Link>
              </>
            ) : (
              "No organisation (personal e-mail)"
            )}
          </p>
        </div>
        <TicketList title="Other open tickets" items={panel.open} now={now} empty="None." />
        <TicketList title="Recently solved" items={panel.recent} now={now} empty="None." />
        {panel.totalOther > panel.open.length + panel.recent.length ? (
          <Link
            href={`/tickets?email=${encodeURIComponent(panel.email)}`}
            className="text-sm text-brand-700 underline underline-offset-2 hover:text-brand-900"
          >
            All {panel.totalOther} other tickets from {panel.name ?? panel.email}
          </Link>
        ) : null}
      </div>
    </Card>
  );
}
