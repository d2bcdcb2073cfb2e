import type { AttachmentDTO } from "@/lib/files/uploads/queries";
import type { CommentDTO } from "@/lib/tickets/get-ticket";
import { formatBytes } from "@/lib/files/sheets/errors";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";

/*
 * Files on a ticket as its pages show them (server components). Images whose content was
 * recognised as an image are previewed through GET /api/uploads/{id}/download?inline=1 (a 302
 * to a presigned S3 GET; CSP img-src allows the storage origin); everything else is a download
 * link with its size. Which files a caller gets is decided by listTicketAttachments (requesters
 * never get those sent with internal notes).
 */

/** Where the browser fetches an attachment: a download, or (images) shown inline. */
export function attachmentHref(id: string, inline = false): string {
  return `/api/uploads/${encodeURIComponent(id)}/download${inline ? "?inline=1" : ""}`;
}

/** One file: a bounded preview for images, then the file name as a download link, its size and an optional note. */
function AttachmentItem({ a, note }: { a: AttachmentDTO; note?: string }) {
  return (
    <li data-testid="attachment" data-attachment-id={a.id} className="flex min-w-0 flex-col gap-1">
      {a.image ? (
        <a
          href={attachmentHref(a.id, true)}
          target="_blank"
          rel="noreferrer"
          aria-label={`View ${a.filename} full size`}
          className="block w-fit rounded border border-slate-200 bg-slate-50 p-1 hover:border-brand-600"
        >
          {/* A plain <img>: the source is a short-lived presigned URL behind a redirect, which next/image cannot optimise. */}
          <img src={attachmentHref(a.id, true)} alt={a.filename} loading="lazy" className="block max-h-40 max-w-full object-contain sm:max-w-xs" />
        </a>
      ) : null}
      <p className="flex min-w-0 flex-wrap items-baseline gap-x-2 text-sm">
        <a
          href={attachmentHref(a.id)}
          data-testid="attachment-link"
          className="min-w-0 truncate font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900"
          title={`Download ${a.filename}`}
        >
          {a.filename}
        </a>
        <span className="text-xs tabular-nums text-slate-600">{formatBytes(a.size)}</span>
        {note ? <span className="text-xs text-slate-600">{note}</span> : null}
      </p>
    </li>
  );
}

/** A list of attachments; `noteOf` adds a short note per file (e.g. which reply it came with). */
export function AttachmentList({
  items,
  noteOf,
  label,
  className,
}: {
  items: AttachmentDTO[];
  noteOf?: (a: AttachmentDTO) => string | undefined;
  /** Accessible name of the list. */
  label?: string;
  className?: string;
}) {
  if (items.length === 0) return null;
  return (
    <ul aria-label={label} className={cx("flex flex-wrap gap-x-6 gap-y-3", className)}>
      {items.map((a) => (
        <AttachmentItem key={a.id} a={a} note={noteOf?.(a)} />
      ))}
    </ul>
  );
}

/**
 * Every file on the ticket, each with where it came from: the request itself, or a reply /
 * internal note (by author). Files sent with replies are also shown under their reply in the
 * conversation.
 */
function TicketAttachments({ items, comments }: { items: AttachmentDTO[]; comments: CommentDTO[] }) {
  if (items.length === 0) return <p className="text-sm text-slate-600">No files attached.</p>;
  const byId = new Map(comments.map((c) => [c.id, c]));
  const noteOf = (a: AttachmentDTO) => {
    if (a.commentId === null) return "with the request";
    const c = byId.get(a.commentId);
    if (!c) return undefined;
    return `with ${c.internal ? "an internal note" : "a reply"} by ${c.author}`;
  };
  return <AttachmentList items={items} noteOf={noteOf} className="flex-col" />;
}

/** The "Attachments" card of a ticket page (agents' and requesters' alike): a file count and {@link TicketAttachments}. */
export function AttachmentsCard({ items, comments }: { items: AttachmentDTO[]; comments: CommentDTO[] }) {
  return (
    <Card aria-labelledby="files-h">
      <CardHeader>
        <h2 id="files-h" className="text-sm font-semibold">
          Attachments
        </h2>
        <span className="text-xs text-slate-600">
          {items.length} {items.length === 1 ? "file" : "files"}
        </span>
      </CardHeader>
      <div className="px-4 py-3" data-testid="ticket-attachments">
        <TicketAttachments items={items} comments={comments} />
      </div>
    </Card>
  );
}
