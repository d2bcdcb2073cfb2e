import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { mailOutbox, tickets } from "@/db/schema";
import type { MailStatus } from "@/db/schema/mail";
import { enqueueTask, type TaskOptions } from "@/lib/jobs/tasks";
import { mailFromAddress, smtpConfigured } from "./config";
import { isOptionalMailKind, type MailKind } from "./kinds";
import { isMailEnabled, oneClickUnsubscribeUrl, unsubscribeUrl } from "./preferences";
import { joinReferences, newMessageId, threadHeaders } from "./threading";

/** Queue name of the task that sends one outbox row over SMTP (lib/mail/send.ts). */
export const MAIL_SEND_TASK = "mail.send";
/** Data of a {@link MAIL_SEND_TASK} job. */
export interface MailSendTaskData {
  outboxId: number;
}

/**
 * Retry options of every `mail.send` job: 8 retries, the first 30 s later, doubling with
 * jitter (about 2 hours in all), then the row is `failed`. Mutable for tests only (they lower
 * `retryDelayS`); set before queueing.
 */
export const mailSendRetry: Required<Pick<TaskOptions, "retryLimit" | "retryDelayS">> = { retryLimit: 8, retryDelayS: 30 };

/** Subject, plain text and HTML of one mail (templates render all three). */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** One mail to one recipient, as a notifier asks for it. */
export interface MailRequest {
  /**
   * The domain event that caused it (idempotency with handler + to); null for mail not caused
   * by an event (then nothing dedupes: each call writes a row).
   */
  eventId: number | null;
  /** The job/handler name writing it. */
  handler: string;
  kind: MailKind;
  ticketId: number | null;
  /** One recipient per row (lower-cased by queueMail). */
  to: string;
  /** Renders subject/text/html; gets the recipient's unsubscribe URL (null for transactional kinds). */
  render: (ctx: { unsubscribeUrl: string | null }) => Promise<RenderedMail>;
  /** Optional explicit In-Reply-To (e.g. a bounce answering an inbound message); else the ticket's thread. */
  inReplyTo?: string | null;
}

const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;

/** Whether `to` (already trimmed and lower-cased) can be a recipient of ours: one plain address, at most 254 characters. */
export function isMailableAddress(to: string): boolean {
  return to.length <= 254 && ADDRESS.test(to);
}

/** Subject on one line, at most 300 characters (the column). */
function cleanSubject(s: string): string {
  const one = s.replace(/\s*[\r\n]+\s*/g, " ").trim();
  return one.length > 300 ? `${one.slice(0, 299)}…` : one;
}

/**
 * Headers every mail of ours carries, by kind.
 *
 * - `Auto-Submitted` (RFC 3834 §5): `auto-generated` for notifications, agent replies relayed to
 *   requesters included: the mail is produced by our notification process from a ticket event,
 *   not typed by a person into a mail client, and not a direct answer to a message. Marking it
 *   keeps vacation responders and other auto-responders (RFC 3834 §2) from answering it, so an
 *   auto-reply never lands on a ticket and no mail loop starts. A human's reply to it carries no
 *   such header and is processed normally. `auto-replied` only for `bounce`, which answers an
 *   inbound message automatically (RFC 3834 §5.2). `X-Auto-Response-Suppress: OOF, AutoReply`
 *   asks Exchange/Outlook for the same (delivery and non-delivery reports stay allowed).
 * - Optional kinds get `List-Unsubscribe: <one-click URL>` and
 *   `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 2369, RFC 8058).
 */
export function mailHeaders(kind: MailKind, to: string): Record<string, string> {
  const headers: Record<string, string> = {
    "Auto-Submitted": kind === "bounce" ? "auto-replied" : "auto-generated",
    "X-Auto-Response-Suppress": "OOF, AutoReply",
  };
  if (isOptionalMailKind(kind)) {
    headers["List-Unsubscribe"] = `<${oneClickUnsubscribeUrl(to, kind)}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return headers;
}

/**
 * Write one outgoing mail as a `mail_outbox` row in the caller's transaction (it commits with
 * the change that caused it; SMTP runs later in the `mail.send` task).
 *
 * - `to` is trimmed and lower-cased. An address that cannot be one (no `@`, spaces, brackets,
 *   over 254 characters) gives a `failed` row with `last_error`, not a throw, so one bad
 *   address does not hold back the other recipients of an event.
 * - Status: `suppressed` when the recipient switched this optional kind off, or is the desk's
 *   own MAIL_FROM address (a ticket the desk filed itself, e.g. from an OData source) (rendered anyway,
 *   so admins see what was not sent); else `queued` when SMTP_URL is set, with a `mail.send`
 *   task enqueued through the SAME transaction ({@link mailSendRetry}); else `outbox` (dev outbox).
 * - Message-ID: a new random `<uuid@MAIL_DOMAIN>`, stored, so every retry sends the same id.
 * - Threading (lib/mail/threading.ts): with a ticket, In-Reply-To = the thread's newest message
 *   and References = the thread's root + newest ids; `req.inReplyTo`, when given, wins for
 *   In-Reply-To and ends References.
 * - Subject: when the ticket's key (`[T-123]`) is missing from the rendered subject it is
 *   prefixed, so every ticket mail carries its key. One line, at most 300 characters.
 * - Headers: {@link mailHeaders} (Auto-Submitted, List-Unsubscribe for optional kinds).
 *
 * @returns the row's id and status, or null when a row for the same (handler, eventId, to)
 *   exists already (a redelivered job): nothing is rendered or written then.
 * @throws whatever `render` throws, and database errors (the caller's transaction rolls back).
 */
export async function queueMail(tx: DbOrTx, req: MailRequest): Promise<{ id: number; status: MailStatus } | null> {
  const to = req.to.trim().toLowerCase();
  const toAddress = to.slice(0, 254);
  if (req.eventId !== null) {
    const [existing] = await tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.handler, req.handler), eq(mailOutbox.eventId, req.eventId), eq(mailOutbox.toAddress, toAddress)))
      .limit(1);
    if (existing) return null;
  }
  const valid = isMailableAddress(to);
  const enabled = valid ? await isMailEnabled(tx, to, req.kind) : true;
  const rendered = await req.render({ unsubscribeUrl: valid && isOptionalMailKind(req.kind) ? unsubscribeUrl(to, req.kind) : null });

  let subject = cleanSubject(rendered.subject);
  let inReplyTo: string | null = null;
  let references: string | null = null;
  if (req.ticketId !== null) {
    const [t] = await tx.select({ key: tickets.key }).from(tickets).where(eq(tickets.id, req.ticketId)).limit(1);
    if (t && !subject.includes(`[${t.key}]`)) subject = cleanSubject(`[${t.key}] ${subject}`);
    const thread = await threadHeaders(tx, req.ticketId, req.eventId);
    inReplyTo = thread.inReplyTo;
    references = thread.references;
  }
  if (req.inReplyTo) {
    inReplyTo = req.inReplyTo.trim();
    references = joinReferences([...(references?.split(" ") ?? []), inReplyTo]);
  }

  // Our own address (tickets filed by the desk itself, e.g. from an OData source): never mailed, it would loop back in.
  const ownAddress = valid && to === mailFromAddress();
  const status: MailStatus = !valid ? "failed" : !enabled || ownAddress ? "suppressed" : smtpConfigured() ? "queued" : "outbox";
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      eventId: req.eventId,
      handler: req.handler,
      kind: req.kind,
      ticketId: req.ticketId,
      toAddress,
      subject,
      textBody: rendered.text,
      htmlBody: rendered.html,
      status,
      messageId: newMessageId(),
      inReplyTo,
      referencesHeader: references,
      headers: valid ? mailHeaders(req.kind, to) : {},
      lastError: !valid
        ? `not a valid e-mail address: ${JSON.stringify(req.to.slice(0, 300))}`
        : ownAddress
          ? "the desk's own address (MAIL_FROM): not sent, it would come back as inbound mail"
          : null,
    })
    .onConflictDoNothing({ target: [mailOutbox.handler, mailOutbox.eventId, mailOutbox.toAddress] })
    .returning({ id: mailOutbox.id });
  if (!row) return null;
  const id = Number(row.id);
  if (status === "queued") await enqueueMailSend(tx, id);
  return { id, status };
}

/** Enqueue the `mail.send` task of an outbox row through `tx` ({@link mailSendRetry}). */
export async function enqueueMailSend(tx: DbOrTx, outboxId: number): Promise<string> {
  return enqueueTask<MailSendTaskData>(tx, MAIL_SEND_TASK, { outboxId }, { ...mailSendRetry, singletonKey: `mail-${outboxId}` });
}

/** Count of rows per status (admin overview). */
export async function outboxCounts(db: DbOrTx): Promise<Record<MailStatus, number>> {
  const found = await db.select({ status: mailOutbox.status, n: sql<number>`count(*)::int` }).from(mailOutbox).groupBy(mailOutbox.status);
  const out: Record<MailStatus, number> = { outbox: 0, queued: 0, sent: 0, failed: 0, suppressed: 0 };
  for (const r of found) if (r.status in out) out[r.status as MailStatus] = Number(r.n);
  return out;
}
