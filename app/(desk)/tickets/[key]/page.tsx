import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireStaff } from "@/components/auth/guards";
import { AttachmentsCard } from "@/components/tickets/attachment-list";
import { AssignmentReason } from "@/components/tickets/assignment-reason";
import { AuditTimeline } from "@/components/tickets/audit-timeline";
import { Badge, PriorityBadge, StatusBadge, WaitingReasonNote } from "@/components/tickets/badges";
import { CommentThread } from "@/components/tickets/comment-thread";
import { ExternalLinks } from "@/components/tickets/external-links";
import { ConfirmTriageButton } from "@/components/tickets/confirm-triage-button";
import { FollowUpLinks } from "@/components/tickets/follow-up-links";
import { Composer } from "@/components/tickets/composer";
import { AssignToMeButton } from "@/components/tickets/assign-to-me";
import { RequesterPanelCard } from "@/components/tickets/requester-panel";
import { StatusShortcut } from "@/components/tickets/status-shortcut";
import { requesterPanel } from "@/lib/tickets/requester-panel";
import { TicketAssistantPanel } from "@/components/assistant/ticket-assistant-panel";
import { SerialHistory } from "@/components/tickets/serial-history";
import { TicketPropertiesForm } from "@/components/tickets/ticket-properties-form";
import { TriagePanel } from "@/components/tickets/triage-panel";
import { SlaBadge } from "@/components/sla/sla-badge";
import { SlaCountdown } from "@/components/sla/sla-countdown";
import { Card, CardHeader } from "@/components/ui/card";
import { formatDuration, RelativeTime } from "@/components/ui/time";
import { serialHistoryForText } from "@/lib/files/serials/history";
import { listTicketAttachments } from "@/lib/files/uploads/queries";
import { listFollowUps } from "@/lib/tickets/follow-ups";
import { listTicketPushStates } from "@/lib/routing/targets/links";
import { loadTicketOr404, normalizeTicketKey } from "@/lib/tickets/load-ticket";
import { ticketIdFromKey } from "@/lib/tickets/queries";
import { getReferenceData } from "@/lib/reference/cache";
import { slaNow } from "@/lib/sla/now";
import { TRANSITIONS } from "@/lib/tickets/status";
import { listAgents } from "@/lib/users/list-agents";
import { latestAutoAssignment } from "@/lib/routing/assign/latest";
import { listWatchers } from "@/lib/tickets/watchers";
import { markTicketRead } from "@/lib/workspace/reads";
import { addAgentCommentAction, assignToMeAction, confirmTriageAction, updateTicketAction } from "./actions";
import { watcherAction } from "./watcher-actions";
import { WatchersCard } from "./watchers-card";
import { WorkspaceCards } from "./workspace-cards";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ key: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: normalizeTicketKey((await params).key) };
}

export default async function TicketPage({ params }: Props) {
  const key = normalizeTicketKey((await params).key);
  const principal = await requireStaff(`/tickets/${key}`);
  const db = await getDb();

  const detail = await loadTicketOr404(db, key, principal);
  const ticketId = ticketIdFromKey(detail.ticket.key);
  if (ticketId !== null) await markTicketRead(db, principal, ticketId); // clears the list's unread marker
  const [ref, agents, followUps, attachments, serials, pushStates, watchers, slaTime] = await Promise.all([
    getReferenceData(db),
    listAgents(db),
    ticketId === null ? [] : listFollowUps(db, ticketId, principal),
    ticketId === null ? [] : listTicketAttachments(db, principal, ticketId),
    serialHistoryForText(db, `${detail.ticket.title}\n${detail.ticket.description}`),
    ticketId === null ? [] : listTicketPushStates(db, ticketId),
    ticketId === null ? [] : listWatchers(db, ticketId),
    slaNow(db),
  ]);
  const { ticket, comments, history, triage } = detail;
  const panel = ticketId === null ? null : await requesterPanel(db, principal, { id: ticketId, email: ticket.email });
  const linkedUpload = linkedUploadOf(ticket.metadata);
  const categoryName = Object.fromEntries(ref.categories.map((c) => [c.slug, c.name]));
  const teamName = Object.fromEntries(ref.teams.map((t) => [t.slug, t.name]));
  const userName = Object.fromEntries(agents.map((a) => [a.id, a.name]));
  const now = Date.now();
  const sla = ticket.sla;

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/tickets" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
          Tickets
        </Link>{" "}
        <span aria-hidden="true" className="text-slate-500">/</span> <span className="font-mono text-slate-700">{ticket.key}</span>
      </nav>

      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-mono text-sm text-slate-600">{ticket.key}</p>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{ticket.title}</h1>
          <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700">
            <span data-testid="ticket-status">
              <StatusBadge status={ticket.status} />
            </span>
            <WaitingReasonNote status={ticket.status} waitingReason={ticket.waitingReason} />
            <PriorityBadge priority={ticket.priority} />
            {sla ? <SlaBadge sla={sla} /> : null}
            <span>{categoryName[ticket.category] ?? ticket.category}</span>
            <span aria-hidden="true">·</span>
            <span>{ticket.team ? (teamName[ticket.team] ?? ticket.team) : "No team"}</span>
            <span aria-hidden="true">·</span>
            <span>{ticket.assignee ? `Assigned to ${ticket.assignee.name}` : "Unassigned"}</span>
          </div>
          {ticketId !== null ? <AssignmentReason info={await latestAutoAssignment(db, ticketId)} /> : null}
          <FollowUpLinks followUpOf={ticket.followUpOf} followUps={followUps} basePath="/tickets" />
          {linkedUpload ? (
            <p className="mt-1 text-sm text-slate-700" data-testid="linked-upload">
              Linked upload:{" "}
              <Link href={`/files/${linkedUpload.id}`} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                {linkedUpload.filename ?? linkedUpload.id}
              </Link>
              {linkedUpload.finding !== null ? ` (finding ${linkedUpload.finding})` : null}
            </p>
          ) : null}
        </div>
        {principal.userId && ticket.assignee?.id !== principal.userId && ticket.status !== "closed" ? (
          <AssignToMeButton action={assignToMeAction.bind(null, ticket.key)} />
        ) : null}
      </div>

      {ticket.needsReview ? (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-3" data-testid="needs-review">
          <div className="text-sm text-amber-950">
            <p className="font-semibold">Triage needs review</p>
            <p>
              The model was {triage ? `${Math.round(triage.confidence * 100)}%` : "not"} sure. Confirm the category, priority and
              team, or change them in Properties.
            </p>
          </div>
          <ConfirmTriageButton action={confirmTriageAction.bind(null, ticket.key)} />
        </div>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="space-y-4">
          <Card aria-labelledby="desc-h">
            <CardHeader>
              <h2 id="desc-h" className="text-sm font-semibold">
                Description
              </h2>
              <p className="text-xs text-slate-600">
                From <span className="font-medium text-slate-800">{ticket.email}</span> via {ticket.source}, <RelativeTime iso={ticket.createdAt} now={now} />
              </p>
            </CardHeader>
            <p className="whitespace-pre-wrap break-words px-4 py-3 text-sm text-slate-900">{ticket.description}</p>
          </Card>

          <AttachmentsCard items={attachments} comments={comments} />

          <SerialHistory units={serials} />

          <Card aria-labelledby="conv-h">
            <CardHeader>
              <h2 id="conv-h" className="text-sm font-semibold">
                Conversation
              </h2>
              <span className="text-xs text-slate-600">
                {comments.length} {comments.length === 1 ? "entry" : "entries"}
              </span>
            </CardHeader>
            <div className="space-y-4 px-4 py-3">
              <CommentThread comments={comments} now={now} showVisibility attachments={attachments} />
              <div className="border-t border-slate-200 pt-3">
                <Composer
                  ticketKey={ticket.key}
                  status={ticket.status}
                  action={addAgentCommentAction.bind(null, ticket.key)}
                  disabledReason={ticket.status === "closed" ? "This ticket is closed; replies are no longer possible." : null}
                  categories={ref.categories.map((c) => ({ value: c.slug, label: c.name }))}
                  teams={ref.teams.map((t) => ({ value: t.slug, label: t.name }))}
                  agents={agents.map((a) => ({ value: a.id, label: a.name }))}
                />
                <StatusShortcut />
              </div>
            </div>
          </Card>

          <TicketAssistantPanel ticketKey={ticket.key} />

          <Card aria-labelledby="hist-h">
            <CardHeader>
              <h2 id="hist-h" className="text-sm font-semibold">
                History
              </h2>
            </CardHeader>
            <div className="px-4 py-3">
              <AuditTimeline events={history} names={{ category: categoryName, team: teamName, user: userName }} now={now} />
            </div>
          </Card>
        </div>

        <div className="space-y-4">
          {panel ? <RequesterPanelCard panel={panel} now={now} /> : null}

          {sla ? (
            <Card aria-labelledby="sla-countdown-h">
              <CardHeader>
                <h2 id="sla-countdown-h" className="text-sm font-semibold">
                  SLA
                </h2>
                <span className="text-xs text-slate-600">business time</span>
              </CardHeader>
              <SlaCountdown sla={sla} serverNow={slaTime.toISOString()} />
            </Card>
          ) : null}

          <Card aria-labelledby="props-h">
            <CardHeader>
              <h2 id="props-h" className="text-sm font-semibold">
                Properties
              </h2>
            </CardHeader>
            <div className="px-4 py-3">
              <TicketPropertiesForm
                ticketKey={ticket.key}
                version={ticket.updatedAt}
                current={{
                  status: ticket.status,
                  waitingReason: ticket.waitingReason ?? "requester",
                  priority: ticket.priority,
                  category: ticket.category,
                  team: ticket.team ?? "",
                  assignee: ticket.assignee?.id ?? "",
                  resolution: ticket.resolution ?? "",
                }}
                nextStatuses={TRANSITIONS[ticket.status]}
                categories={ref.categories
                  .filter((c) => c.active || c.slug === ticket.category)
                  .map((c) => ({ value: c.slug, label: c.name, team: c.teamSlug }))}
                teams={ref.teams.map((t) => ({ value: t.slug, label: t.name }))}
                agents={agents.map((a) => ({ value: a.id, label: a.name }))}
                action={updateTicketAction.bind(null, ticket.key)}
              />
            </div>
          </Card>

          <WatchersCard watchers={watchers} action={watcherAction.bind(null, ticket.key)} />

          {ticketId !== null ? <WorkspaceCards ticketId={ticketId} ticketKey={ticket.key} status={ticket.status} /> : null}

          <ExternalLinks links={detail.externalLinks} pushes={pushStates} now={now} />

          <Card aria-labelledby="sla-h">
            <CardHeader>
              <h2 id="sla-h" className="text-sm font-semibold">
                Timing
              </h2>
            </CardHeader>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 px-4 py-3 text-sm">
              <dt className="text-slate-600">Created</dt>
              <dd className="text-slate-900">
                <RelativeTime iso={ticket.createdAt} now={now} />
              </dd>
              <dt className="text-slate-600">First response</dt>
              <dd className="text-slate-900" data-testid="first-response">
                {ticket.firstResponseAt ? (
                  <>
                    <RelativeTime iso={ticket.firstResponseAt} now={now} /> ({formatDuration(ticket.firstResponseS)})
                  </>
                ) : (
                  <Badge tone="amber">Awaiting reply</Badge>
                )}
              </dd>
              <dt className="text-slate-600">Resolved</dt>
              <dd className="text-slate-900">
                {ticket.resolvedAt ? (
                  <>
                    <RelativeTime iso={ticket.resolvedAt} now={now} /> ({formatDuration(ticket.resolutionS)})
                  </>
                ) : (
                  "Not yet"
                )}
              </dd>
              <dt className="text-slate-600">Updated</dt>
              <dd className="text-slate-900">
                <RelativeTime iso={ticket.updatedAt} now={now} />
              </dd>
            </dl>
          </Card>

          <Card aria-labelledby="triage-h">
            <CardHeader>
              <h2 id="triage-h" className="text-sm font-semibold">
                Triage
              </h2>
            </CardHeader>
            <div className="px-4 py-3">
              <TriagePanel triage={triage} categoryName={categoryName} teamName={teamName} />
            </div>
          </Card>
        </div>
      </div>
    </div>
  );
}

/** `metadata.upload` of a ticket filed from a sheet finding (lib/files/uploads/finding-ticket.ts), when it names an upload id. */
function linkedUploadOf(metadata: Record<string, unknown>): { id: string; filename: string | null; finding: number | null } | null {
  const u = metadata.upload;
  if (!u || typeof u !== "object") return null;
  const { id, filename, finding } = u as Record<string, unknown>;
  if (typeof id !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  return { id, filename: typeof filename === "string" ? filename : null, finding: typeof finding === "number" ? finding : null };
}
