import type { CommentDTO } from "@/lib/tickets/get-ticket";
import type { AttachmentDTO } from "@/lib/files/uploads/queries";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/time";
import { AttachmentList } from "./attachment-list";
import { Badge } from "./badges";

const ROLE = { requester: "Requester", agent: "Agent", admin: "Admin" } as Record<string, string>;

/**
 * The conversation, oldest first. Internal notes (agents only) are amber with a label so they
 * are never mistaken for replies the requester sees. Files sent with a reply or note
 * (`attachments` whose commentId is the comment's id) are listed under it.
 */
export function CommentThread({
  comments,
  now,
  showVisibility,
  attachments = [],
}: {
  comments: CommentDTO[];
  now: number;
  showVisibility: boolean;
  attachments?: AttachmentDTO[];
}) {
  if (comments.length === 0) {
    return <p className="text-sm text-slate-600">No replies yet.</p>;
  }
  return (
    <ol className="space-y-3" data-testid="comment-thread">
      {comments.map((c) => (
        <li key={c.id}>
          <article
            aria-label={`${c.internal ? "Internal note" : "Reply"} by ${c.author}`}
            data-testid={c.internal ? "internal-note" : "public-reply"}
            className={cx(
              "rounded-md border border-l-4 px-3 py-2",
              c.internal ? "border-amber-300 border-l-amber-500 bg-amber-50" : "border-slate-200 border-l-brand-600 bg-white",
            )}
          >
            <header className="flex flex-wrap items-center gap-2 text-xs text-slate-700">
              <span className="text-sm font-semibold text-slate-900">{c.author}</span>
              <span>{ROLE[c.authorRole] ?? c.authorRole}</span>
              {showVisibility ? (
                c.internal ? <Badge tone="amber">Internal note</Badge> : <Badge tone="brand">Public reply</Badge>
              ) : null}
              <RelativeTime iso={c.createdAt} now={now} className="ml-auto" />
            </header>
            <p className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-900">{c.body}</p>
            <AttachmentList items={attachments.filter((a) => a.commentId === c.id)} label="Attached files" className="mt-2 border-t border-slate-200/70 pt-2" />
          </article>
        </li>
      ))}
    </ol>
  );
}
