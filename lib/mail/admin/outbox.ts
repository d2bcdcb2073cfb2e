import "server-only";
import { and, desc, eq, ilike, lt } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { mailOutbox, tickets } from "@/db/schema";
import type { MailStatus } from "@/db/schema/mail";
import { ApiError } from "@/lib/http/errors";
import { MAIL_KIND_LABELS, type MailKind } from "../kinds";
import type { ListOutboxQuery } from "../schemas";

/*
 * The dev outbox and delivery log (table mail_outbox) as admins read it at /admin/outbox and
 * through GET /api/admin/outbox. Read-only here: writing rows is lib/mail's notification jobs,
 * resending is lib/mail/resend.ts.
 */

/** One row of the outbox list. Times are ISO 8601 (UTC). */
export interface OutboxItemDTO {
  id: number;
  createdAt: string;
  sentAt: string | null;
  to: string;
  kind: string;
  /** Human label of the kind (MAIL_KIND_LABELS), or the kind itself for unknown ones. */
  kindLabel: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  /** `T-123` when the mail is about a ticket that still exists. */
  ticketKey: string | null;
  lastError: string | null;
}

/** One outbox row with its headers and text part (`hasHtml` says whether /html has a part to show). */
export interface OutboxDetailDTO extends OutboxItemDTO {
  messageId: string | null;
  inReplyTo: string | null;
  references: string | null;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted, …). */
  headers: Record<string, string>;
  text: string;
  hasHtml: boolean;
  handler: string;
  eventId: number | null;
}

const listColumns = {
  id: mailOutbox.id,
  createdAt: mailOutbox.createdAt,
  sentAt: mailOutbox.sentAt,
  toAddress: mailOutbox.toAddress,
  kind: mailOutbox.kind,
  subject: mailOutbox.subject,
  status: mailOutbox.status,
  attempts: mailOutbox.attempts,
  ticketKey: tickets.key,
  lastError: mailOutbox.lastError,
};

type ListRow = Pick<typeof mailOutbox.$inferSelect, "id" | "createdAt" | "sentAt" | "toAddress" | "kind" | "subject" | "status" | "attempts" | "lastError"> & { ticketKey: string | null };

function toItem(r: ListRow): OutboxItemDTO {
  return {
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt ? r.sentAt.toISOString() : null,
    to: r.toAddress,
    kind: r.kind,
    kindLabel: MAIL_KIND_LABELS[r.kind as MailKind] ?? r.kind,
    subject: r.subject,
    status: r.status as MailStatus,
    attempts: r.attempts,
    ticketKey: r.ticketKey ?? null,
    lastError: r.lastError,
  };
}

/** `%`, `_` and `\` matched literally in an ILIKE pattern. */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Outbox rows, newest first (by id), filtered by status, kind and recipient substring, paged
 * by cursor (`cursor` = the last id of the previous page).
 * @returns items and `nextCursor` (null on the last page).
 */
export async function listOutbox(
  db: DbOrTx,
  q: Pick<ListOutboxQuery, "status" | "kind" | "to" | "limit" | "cursor">,
): Promise<{ items: OutboxItemDTO[]; nextCursor: string | null }> {
  const rowsFound = await db
    .select(listColumns)
    .from(mailOutbox)
    .leftJoin(tickets, eq(tickets.id, mailOutbox.ticketId))
    .where(
      and(
        q.status ? eq(mailOutbox.status, q.status) : undefined,
        q.kind ? eq(mailOutbox.kind, q.kind) : undefined,
        q.to ? ilike(mailOutbox.toAddress, `%${likeEscape(q.to)}%`) : undefined,
        q.cursor ? lt(mailOutbox.id, Number(q.cursor)) : undefined,
      ),
    )
    .orderBy(desc(mailOutbox.id))
    .limit(q.limit + 1);
  const items = rowsFound.slice(0, q.limit).map(toItem);
  return { items, nextCursor: rowsFound.length > q.limit ? String(items[items.length - 1].id) : null };
}

/** Parse a path id (`/api/admin/outbox/{id}`) or 404. */
export function parseRowId(raw: string, what: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new ApiError("not_found", `${what} not found`);
  return Number(raw);
}

/** One outbox row with headers and the text part. @throws ApiError 404. */
export async function getOutbox(db: DbOrTx, id: number): Promise<OutboxDetailDTO> {
  const [r] = await db
    .select({
      ...listColumns,
      messageId: mailOutbox.messageId,
      inReplyTo: mailOutbox.inReplyTo,
      references: mailOutbox.referencesHeader,
      headers: mailOutbox.headers,
      text: mailOutbox.textBody,
      html: mailOutbox.htmlBody,
      handler: mailOutbox.handler,
      eventId: mailOutbox.eventId,
    })
    .from(mailOutbox)
    .leftJoin(tickets, eq(tickets.id, mailOutbox.ticketId))
    .where(eq(mailOutbox.id, id))
    .limit(1);
  if (!r) throw new ApiError("not_found", "Mail not found");
  return {
    ...toItem(r),
    messageId: r.messageId,
    inReplyTo: r.inReplyTo,
    references: r.references,
    headers: r.headers ?? {},
    text: r.text,
    hasHtml: !!r.html,
    handler: r.handler,
    eventId: r.eventId,
  };
}

/** The HTML part of an outbox row (null when the mail has none). @throws ApiError 404 (no such row). */
export async function getOutboxHtml(db: DbOrTx, id: number): Promise<string | null> {
  const [r] = await db.select({ html: mailOutbox.htmlBody }).from(mailOutbox).where(eq(mailOutbox.id, id)).limit(1);
  if (!r) throw new ApiError("not_found", "Mail not found");
  return r.html;
}

/**
 * Content-Security-Policy of the rendered HTML preview: no scripts, no fetches, inline styles
 * and images (data: and https:) only, sandboxed (no same origin, no forms, no popups), and
 * framable by this site only (the /admin/outbox/{id} page shows it in an `<iframe sandbox>`).
 */
export const OUTBOX_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; sandbox; frame-ancestors 'self'";
