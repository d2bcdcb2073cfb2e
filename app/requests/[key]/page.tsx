import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireSignedIn } from "@/components/auth/guards";
import { PriorityBadge, StatusBadge, WaitingReasonNote } from "@/components/tickets/badges";
import { AttachmentsCard } from "@/components/tickets/attachment-list";
import { CommentThread } from "@/components/tickets/comment-thread";
import { FollowUpLinks } from "@/components/tickets/follow-up-links";
import { ReplyForm } from "@/components/tickets/reply-form";
import { Card, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { isStaff } from "@/lib/auth/principal";
import { listTicketAttachments } from "@/lib/files/uploads/queries";
import { listFollowUps } from "@/lib/tickets/follow-ups";
import { loadTicketOr404, normalizeTicketKey } from "@/lib/tickets/load-ticket";
import { ticketIdFromKey } from "@/lib/tickets/queries";
import { getReferenceData } from "@/lib/reference/cache";
import { CsatCard } from "@/components/portal/csat-card";
import { RequesterStatusCard } from "@/components/portal/requester-status-card";
import { env } from "@/lib/env";
import { RATEABLE_STATUSES, ratingOf } from "@/lib/portal/csat";
import { requesterMove } from "@/lib/portal/requester-status";
import { addRequesterReplyAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ key: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: normalizeTicketKey((await params).key) };
}

export default async function RequestPage({ params }: Props) {
  const key = normalizeTicketKey((await params).key);
  const principal = await requireSignedIn(`/requests/${key}`);
  if (isStaff(principal)) redirect(`/tickets/${key}`);
  const db = await getDb();

  // Requesters only see their own tickets (public replies only); anything else is a 404.
  const detail = await loadTicketOr404(db, key, principal);
  const ticketId = ticketIdFromKey(detail.ticket.key);
  // Files of internal notes are left out by listTicketAttachments for requesters.
  const [ref, followUps, attachments, rating] = await Promise.all([
    getReferenceData(db),
    ticketId === null ? [] : listFollowUps(db, ticketId, principal),
    ticketId === null ? [] : listTicketAttachments(db, principal, ticketId),
    ticketId === null ? null : ratingOf(db, ticketId),
  ]);
  const { ticket, comments } = detail;
  const now = Date.now();
  const move = requesterMove({ status: ticket.status, resolvedAt: ticket.resolvedAt });
  const rateable = (RATEABLE_STATUSES as readonly string[]).includes(ticket.status);
  const teamName = ticket.team ? (ref.teamBySlug.get(ticket.team)?.name ?? ticket.team) : "the service desk";

  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/requests" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
          My requests
        </Link>{" "}
        <span aria-hidden="true" className="text-slate-500">/</span> <span className="font-mono text-slate-700">{ticket.key}</span>
      </nav>
      <div>
        <p className="font-mono text-sm text-slate-600">{ticket.key}</p>
        <h1 className="text-xl font-semibold tracking-tight">{ticket.title}</h1>
        <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <span data-testid="request-status">
            <StatusBadge status={ticket.status} />
          </span>
          <WaitingReasonNote status={ticket.status} waitingReason={ticket.waitingReason} />
          <PriorityBadge priority={ticket.priority} />
          <span>Handled by {teamName}</span>
          <span aria-hidden="true">·</span>
          <span>
            Opened <RelativeTime iso={ticket.createdAt} now={now} />
          </span>
        </div>
        <FollowUpLinks followUpOf={ticket.followUpOf} followUps={followUps} basePath="/requests" />
      </div>

      <Card aria-labelledby="desc-h">
        <CardHeader>
          <h2 id="desc-h" className="text-sm font-semibold">
            Your description
          </h2>
        </CardHeader>
        <p className="whitespace-pre-wrap break-words px-4 py-3 text-sm text-slate-900">{ticket.description}</p>
        {ticket.resolution && (ticket.status === "resolved" || ticket.status === "closed") ? (
          <div className="border-t border-slate-200 px-4 py-3 text-sm">
            <p className="font-semibold text-emerald-900">Resolution</p>
            <p className="whitespace-pre-wrap text-slate-900">{ticket.resolution}</p>
          </div>
        ) : null}
      </Card>

      {rateable ? <CsatCard ticketKey={ticket.key} rating={rating} /> : null}

      <RequesterStatusCard ticketKey={ticket.key} move={move} reopenWindowDays={env().REOPEN_WINDOW_DAYS} />

      <AttachmentsCard items={attachments} comments={comments} />

      <Card aria-labelledby="conv-h">
        <CardHeader>
          <h2 id="conv-h" className="text-sm font-semibold">
            Conversation
          </h2>
        </CardHeader>
        <div className="space-y-4 px-4 py-3">
          <CommentThread comments={comments} now={now} showVisibility={false} attachments={attachments} />
          <div className="space-y-2 border-t border-slate-200 pt-3">
            {ticket.status === "closed" ? (
              <p className="text-sm text-slate-700" data-testid="closed-note">
                This request is closed. If you still need help, reply here and your reply is filed as a new request linked to this one.
              </p>
            ) : null}
            {/* A reply on a closed (or long-resolved) request files a follow-up (lib/tickets/lifecycle.ts), so the form stays. */}
            <ReplyForm action={addRequesterReplyAction.bind(null, ticket.key)} allowInternal={false} />
          </div>
        </div>
      </Card>
    </div>
  );
}
