import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { HistoryContinueButton } from "@/components/assistant/history-continue-button";
import { HistoryMessages } from "@/components/assistant/history-messages";
import { requireStaff } from "@/components/auth/guards";
import { TicketLink } from "@/components/mail/parts";
import { Card, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { getConversation } from "@/lib/assistant/history";
import { ApiError } from "@/lib/http/errors";

export const metadata: Metadata = { title: "Assistant conversation" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

/** One of the agent's own conversations with every message and its rendered answer; "Continue" reopens it in the command bar. */
export default async function AssistantConversationPage({ params }: Props) {
  const { id } = await params;
  const principal = await requireStaff(`/assistant/${encodeURIComponent(id)}`);
  const conversation = await getConversation(await getDb(), principal, id).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) notFound();
    throw err;
  });
  const now = Date.now();

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/assistant" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
          Assistant history
        </Link>{" "}
        <span aria-hidden="true" className="text-slate-500">/</span> <span className="text-slate-700">{conversation.title}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="break-words text-xl font-semibold tracking-tight text-slate-900">{conversation.title}</h1>
          <p className="text-sm text-slate-600">
            Started <RelativeTime iso={conversation.createdAt} now={now} />, last active <RelativeTime iso={conversation.updatedAt} now={now} />
            {conversation.ticketKey ? (
              <>
                {" · about "}
                <TicketLink ticketKey={conversation.ticketKey} />
              </>
            ) : null}
          </p>
        </div>
        <HistoryContinueButton conversationId={conversation.id} title={conversation.title} />
      </div>
      <Card aria-labelledby="messages-h">
        <CardHeader>
          <h2 id="messages-h" className="text-sm font-semibold">
            Messages
          </h2>
          <span className="text-xs text-slate-600">{conversation.messages.length}</span>
        </CardHeader>
        <div className="px-4 py-3">
          <HistoryMessages messages={conversation.messages} now={now} />
        </div>
      </Card>
    </div>
  );
}
