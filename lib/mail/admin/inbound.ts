import "server-only";
import { and, desc, eq, lt } from "drizzle-orm";
import { compile } from "html-to-text";
import { simpleParser } from "mailparser";
import type { DbOrTx } from "@/db/client";
import { inboundMessages, tickets } from "@/db/schema";
import type { InboundStatus } from "@/db/schema/mail";
import { ApiError } from "@/lib/http/errors";
import type { ListInboundQuery } from "../schemas";

/*
 * Inbound e-mail (table inbound_messages) as admins read it at /admin/inbound and through
 * /api/admin/inbound: the list, one message with its headers and extracted text, and the raw
 * RFC 822 bytes. HTML is never rendered: it is converted to text with html-to-text.
 */

/** One row of the inbound list. Times ISO 8601. */
export interface InboundItemDTO {
  id: number;
  receivedAt: string;
  processedAt: string | null;
  source: string;
  from: string | null;
  subject: string | null;
  status: InboundStatus;
  /** `created` | `commented` | `follow_up` when processed. */
  action: string | null;
  reason: string | null;
  error: string | null;
  ticketKey: string | null;
  sizeBytes: number;
  messageId: string;
}

/** One inbound message, parsed: headers, the text (or HTML converted to text), attachment list. */
export interface InboundDetailDTO extends InboundItemDTO {
  /** Selected headers in display order (name → value); absent ones left out. */
  headers: { name: string; value: string }[];
  /** The text part, or the HTML part converted to text; null when neither could be read. */
  text: string | null;
  /** Whether the text came from the HTML part. */
  textFromHtml: boolean;
  attachments: { filename: string | null; contentType: string; sizeBytes: number }[];
  /** Set when the raw message could not be parsed (the raw download still works). */
  parseError: string | null;
}

/** Statuses an admin can replay: stored but never processed, or processing threw. */
export const REPLAYABLE_INBOUND: readonly InboundStatus[] = ["received", "failed"];

const listColumns = {
  id: inboundMessages.id,
  receivedAt: inboundMessages.receivedAt,
  processedAt: inboundMessages.processedAt,
  source: inboundMessages.source,
  fromAddress: inboundMessages.fromAddress,
  subject: inboundMessages.subject,
  status: inboundMessages.status,
  action: inboundMessages.action,
  reason: inboundMessages.reason,
  error: inboundMessages.error,
  ticketKey: tickets.key,
  sizeBytes: inboundMessages.sizeBytes,
  messageId: inboundMessages.messageId,
};
type ListRow = Pick<typeof inboundMessages.$inferSelect, "id" | "receivedAt" | "processedAt" | "source" | "fromAddress" | "subject" | "status" | "action" | "reason" | "error" | "sizeBytes" | "messageId"> & { ticketKey: string | null };

function toItem(r: ListRow): InboundItemDTO {
  return {
    id: r.id,
    receivedAt: r.receivedAt.toISOString(),
    processedAt: r.processedAt ? r.processedAt.toISOString() : null,
    source: r.source,
    from: r.fromAddress,
    subject: r.subject,
    status: r.status as InboundStatus,
    action: r.action,
    reason: r.reason,
    error: r.error,
    ticketKey: r.ticketKey ?? null,
    sizeBytes: r.sizeBytes,
    messageId: r.messageId,
  };
}

/**
 * Inbound messages newest first (by id), optionally of one status, paged by cursor.
 * @returns items and `nextCursor` (null on the last page).
 */
export async function listInbound(db: DbOrTx, q: Pick<ListInboundQuery, "status" | "limit" | "cursor">): Promise<{ items: InboundItemDTO[]; nextCursor: string | null }> {
  const found = await db
    .select(listColumns)
    .from(inboundMessages)
    .leftJoin(tickets, eq(tickets.id, inboundMessages.ticketId))
    .where(and(q.status ? eq(inboundMessages.status, q.status) : undefined, q.cursor ? lt(inboundMessages.id, Number(q.cursor)) : undefined))
    .orderBy(desc(inboundMessages.id))
    .limit(q.limit + 1);
  const items = found.slice(0, q.limit).map(toItem);
  return { items, nextCursor: found.length > q.limit ? String(items[items.length - 1].id) : null };
}

/** The preview's HTML-to-text converter (images skipped), compiled once. */
const previewText = compile({ wordwrap: false, selectors: [{ selector: "img", format: "skip" }] });

const SHOWN_HEADERS = ["from", "to", "cc", "reply-to", "date", "subject", "message-id", "in-reply-to", "references", "auto-submitted", "precedence", "content-type"];

/** A header value as mailparser gives it (string, address object, date, array…) as one line of text. */
function headerText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(headerText).join(", ");
  if (typeof v === "object") {
    const o = v as { text?: unknown; value?: unknown; params?: Record<string, string> };
    if (typeof o.text === "string") return o.text;
    if (typeof o.value === "string") {
      const params = Object.entries(o.params ?? {}).map(([k, p]) => `; ${k}=${p}`).join("");
      return o.value + params;
    }
  }
  return String(v);
}

/**
 * One inbound message with its raw message parsed by mailparser: selected headers, the text
 * part (or the HTML part converted to text by html-to-text; HTML is never returned), and the
 * attachments' names, types and sizes.
 * @throws ApiError 404.
 */
export async function getInbound(db: DbOrTx, id: number): Promise<InboundDetailDTO> {
  const [r] = await db
    .select({ ...listColumns, raw: inboundMessages.raw })
    .from(inboundMessages)
    .leftJoin(tickets, eq(tickets.id, inboundMessages.ticketId))
    .where(eq(inboundMessages.id, id))
    .limit(1);
  if (!r) throw new ApiError("not_found", "Inbound message not found");
  const base = toItem(r);
  try {
    const parsed = await simpleParser(r.raw, { skipImageLinks: true, skipHtmlToText: true, skipTextLinks: true });
    const headers = SHOWN_HEADERS.filter((h) => parsed.headers.has(h)).map((h) => ({
      name: h.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()).replace("Message-Id", "Message-ID").replace("Reply-To", "Reply-To"),
      value: headerText(parsed.headers.get(h)),
    }));
    const plain = typeof parsed.text === "string" && parsed.text.trim() ? parsed.text : null;
    const html = typeof parsed.html === "string" && parsed.html.trim() ? parsed.html : null;
    const text = plain ?? (html ? previewText(html) : null);
    return {
      ...base,
      headers,
      text,
      textFromHtml: !plain && !!html,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, sizeBytes: a.size })),
      parseError: null,
    };
  } catch (err) {
    return { ...base, headers: [], text: null, textFromHtml: false, attachments: [], parseError: err instanceof Error ? err.message : String(err) };
  }
}

/** The raw RFC 822 bytes of an inbound message and a safe file name for them. @throws ApiError 404. */
export async function getInboundRaw(db: DbOrTx, id: number): Promise<{ raw: Buffer; filename: string }> {
  const [r] = await db.select({ raw: inboundMessages.raw }).from(inboundMessages).where(eq(inboundMessages.id, id)).limit(1);
  if (!r) throw new ApiError("not_found", "Inbound message not found");
  return { raw: r.raw, filename: `inbound-${id}.eml` };
}
