import "server-only";
import { eq, sql } from "drizzle-orm";
import { rows, type DbOrTx, type Tx } from "@/db/client";
import { inboundMessages } from "@/db/schema";
import type { InboundStatus } from "@/db/schema/mail";
import { COMMENT_MAX, DESCRIPTION_MAX, TITLE_MAX } from "@/db/schema/tickets";
import { env, publicSubmissionsEnabled } from "@/lib/env";
import { ApiError, fromDatabaseError, type ErrorCode } from "@/lib/http/errors";
import { mailBaseUrl, mailFromAddress } from "@/lib/mail/config";
import { queueMail } from "@/lib/mail/queue";
import { renderMail } from "@/lib/mail/render";
import { logger } from "@/lib/observability/logger";
import { addComment } from "@/lib/tickets/add-comment";
import { createTicket } from "@/lib/tickets/create-ticket";
import { followUpTitle, replyEffect } from "@/lib/tickets/lifecycle";
import { findTicketRow, ticketIdFromKey } from "@/lib/tickets/queries";
import { addWatchers } from "@/lib/tickets/watchers";
import { planAttachments, storeAttachments, type AttachmentPlan } from "./attachments";
import { headerLoopReason, isOwnMessage, recentFromSender } from "./loop";
import { headerBlock, MESSAGE_ID_MAX, parseMessage, syntheticMessageId, type ParsedInbound } from "./parse";
import { resolveSender, type InboundSender } from "./sender";
import { cleanSubject, htmlToText, isForward, stripReply } from "./strip";
import { findThread, isParticipant, subjectTicketNumber, type ThreadMatch } from "./thread";
import { triageTicket } from "@/lib/triage/pipeline";
import type { TriageResult } from "@/lib/triage/types";

/** Where a message came in: `api` (POST /api/inbound/email) or `imap:<mailbox key>`. */
export interface IngestOptions {
  source: string;
  /**
   * The message's real size in bytes when `raw` holds only its beginning (an IMAP poller may
   * fetch at most INBOUND_MAX_BYTES + 1 bytes of a larger message): recorded in size_bytes of
   * the `too_large` row. Default: `raw.length`.
   */
  sizeBytes?: number;
}

/** What became of one inbound message. */
export interface IngestResult {
  /** The inbound_messages row (null only when even storing it failed). */
  inboundId: number | null;
  status: InboundStatus;
  /** True when this Message-ID was already handled: nothing was done this time. */
  duplicate: boolean;
  action?: "created" | "commented" | "follow_up";
  /** The ticket created or commented on (for `follow_up`: the new follow-up ticket). */
  ticketKey?: string;
  /** Why it was ignored, bounced, rate-limited or failed (inbound_messages.reason). */
  reason?: string;
  /** For `failed`: what went wrong; `status` is the HTTP status an API caller gets (4xx). */
  error?: { code: ErrorCode; message: string; status: number };
}

/** Most Cc addresses of one message that become watchers. */
export const MAX_CC_WATCHERS = 20;

/** The bounce's reason sentence, shown to the unknown sender. */
export const BOUNCE_REASON = "this service desk only accepts mail from people who have an account";

type Processed = {
  status: InboundStatus;
  action?: IngestResult["action"];
  reason?: string;
  ticketId?: number | null;
  ticketKey?: string;
  commentId?: number | null;
};

const cut = (s: string, max: number, note = "\n\n[…] (cut: the full message is kept with the raw mail)") =>
  s.length <= max ? s : `${s.slice(0, max - note.length).trimEnd()}${note}`;

/**
 * The ONE way in for inbound e-mail (the IMAP poller and POST /api/inbound/email both call it):
 * raw RFC 822 bytes → a new ticket, a comment on a ticket, or a stored refusal. The message is
 * kept (inbound_messages.raw) whatever happens.
 *
 * Order (issue #9 §2):
 * 1. Over INBOUND_MAX_BYTES → `ignored`, reason `too_large`; only the header block is stored
 *    (the row must hold something, not 200 MB).
 * 2. Parse with mailparser (lib/mail/inbound/parse.ts); Message-ID missing →
 *    `<sha256(raw)@inbound.invalid>`.
 * 3. In ONE transaction: `INSERT … ON CONFLICT (message_id) DO NOTHING` of the row first — a
 *    concurrent twin (IMAP delivering twice, two pollers) waits on that row and then finds it:
 *    `duplicate: true`, nothing created. A row left `failed`/`received` by an earlier attempt is
 *    processed again (a re-delivery retries it). Then, in that transaction:
 *    - loop protection (RFC 3834; lib/mail/inbound/loop.ts) → `ignored` with the reason;
 *    - our own Message-ID (mail_outbox) → `ignored`, `own_message`;
 *    - more than INBOUND_RATE_PER_HOUR messages from the sender in the last hour → `rate_limited`;
 *    - threading (lib/mail/inbound/thread.ts) → a public comment through addComment, by the
 *      requester/watcher, or by the agent when the From is an active agent/admin; the lifecycle
 *      applies (a requester's reply reopens resolved/waiting, files a follow-up on closed);
 *    - otherwise a ticket through createTicket (source `email`, requester = From);
 *    - an unknown sender (no active account, not a participant of the thread) while public
 *      submissions are off → `bounced`: a polite `bounce` mail (lib/mail/queue.ts), nothing else;
 *    - Cc addresses (not our own, not the sender or requester) become watchers; attachments are
 *      stored through the files storage (lib/mail/inbound/attachments.ts).
 *    The row is updated to its final status in the same transaction as the ticket or comment.
 * 4. If processing throws, the raw message is stored as `failed` with the error (own
 *    transaction), so {@link replayInbound} (lib/mail/inbound/replay.ts) can retry it.
 *
 * @returns the outcome; never throws for bad input (a failure is a `failed` result with `error`).
 * @throws only when the database cannot store even the failed row (e.g. it is down): the caller
 *   (IMAP) should leave the message for the next poll.
 */
export async function ingestEmail(db: DbOrTx, raw: Buffer, opts: IngestOptions): Promise<IngestResult> {
  const size = Math.max(raw.length, opts.sizeBytes ?? 0);
  if (size > env().INBOUND_MAX_BYTES) return storeTooLarge(db, raw, opts.source, size);
  let parsed: ParsedInbound;
  try {
    parsed = await parseMessage(raw);
  } catch (err) {
    const e = new ApiError("unprocessable", `The message could not be parsed: ${err instanceof Error ? err.message : String(err)}`);
    return storeFailed(db, { messageId: syntheticMessageId(raw), source: opts.source, from: null, subject: null, raw }, e);
  }
  return processParsed(db, raw, parsed, { source: opts.source, replayId: null });
}

/**
 * Process a parsed message in one transaction (see {@link ingestEmail}). With `replayId`, the
 * existing row is processed again if it is still `failed`/`received` (else: duplicate), and
 * the rate limit is not applied (an admin asked for it).
 * @internal shared with lib/mail/inbound/replay.ts
 */
export async function processParsed(
  db: DbOrTx,
  raw: Buffer,
  m: ParsedInbound,
  ctx: { source: string; replayId: number | null },
): Promise<IngestResult> {
  const subject = m.subject ? m.subject.slice(0, 998) : null;
  try {
    const triage = await pretriage(db, m);
    return await db.transaction(async (tx) => {
      let id: number;
      if (ctx.replayId === null) {
        const [ins] = await tx
          .insert(inboundMessages)
          .values({ messageId: m.messageId, source: ctx.source.slice(0, 200), fromAddress: m.from, subject, status: "received", raw, sizeBytes: raw.length })
          .onConflictDoNothing({ target: inboundMessages.messageId })
          .returning({ id: inboundMessages.id });
        if (ins) id = Number(ins.id);
        else {
          const existing = await rowState(tx, { messageId: m.messageId }, true);
          if (!existing) throw new ApiError("conflict", "The message is being stored by another request; try again");
          if (existing.status !== "failed" && existing.status !== "received") return duplicateOf(existing);
          id = existing.id;
        }
      } else {
        const existing = await rowState(tx, { id: ctx.replayId }, true);
        if (!existing) throw new ApiError("not_found", `Inbound message ${ctx.replayId} not found`);
        if (existing.status !== "failed" && existing.status !== "received") return duplicateOf(existing);
        id = existing.id;
      }
      const p = await decide(tx, id, m, { replay: ctx.replayId !== null, triage });
      await tx
        .update(inboundMessages)
        .set({
          status: p.status,
          action: p.action ?? null,
          reason: p.reason?.slice(0, 500) ?? null,
          error: null,
          ticketId: p.ticketId ?? null,
          commentId: p.commentId ?? null,
          fromAddress: m.from,
          subject,
          processedAt: new Date(),
        })
        .where(eq(inboundMessages.id, id));
      return {
        inboundId: id,
        status: p.status,
        duplicate: false,
        ...(p.action ? { action: p.action } : {}),
        ...(p.ticketKey ? { ticketKey: p.ticketKey } : {}),
        ...(p.reason ? { reason: p.reason } : {}),
      };
    });
  } catch (err) {
    return storeFailed(db, { messageId: m.messageId, source: ctx.source, from: m.from, subject, raw }, err);
  }
}

interface LockedRow {
  id: number;
  status: InboundStatus;
  action: string | null;
  reason: string | null;
  ticketKey: string | null;
}

/** The state of an inbound row (by id or Message-ID), optionally locked FOR UPDATE. */
async function rowState(db: DbOrTx, by: { id: number } | { messageId: string }, lock: boolean): Promise<LockedRow | null> {
  const where = "id" in by ? sql`i.id = ${by.id}` : sql`i.message_id = ${by.messageId}`;
  const [r] = await rows<{ id: number; status: InboundStatus; action: string | null; reason: string | null; ticket_key: string | null }>(
    db,
    sql`SELECT i.id::float8 AS id, i.status, i.action, i.reason, t.key AS ticket_key
      FROM ${inboundMessages} i LEFT JOIN tickets t ON t.id = i.ticket_id
      WHERE ${where}${lock ? sql` FOR UPDATE OF i` : sql``}`,
  );
  return r ? { id: Number(r.id), status: r.status, action: r.action, reason: r.reason, ticketKey: r.ticket_key } : null;
}

function duplicateOf(r: LockedRow): IngestResult {
  return {
    inboundId: r.id,
    status: r.status,
    duplicate: true,
    ...(r.action ? { action: r.action as IngestResult["action"] } : {}),
    ...(r.ticketKey ? { ticketKey: r.ticketKey } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

/** The text the sender wrote: the text part, or the HTML part converted to text. */
function bodyText(m: ParsedInbound): string {
  if (m.text && m.text.trim()) return m.text;
  if (m.html) return htmlToText(m.html);
  return "";
}

function refusedNote(plan: AttachmentPlan): string {
  return plan.refused.length ? `\n\n[Not attached: ${plan.refused.join("; ")}]` : "";
}

async function decide(tx: Tx, inboundId: number, m: ParsedInbound, opts: { replay: boolean; triage: TriageResult | undefined }): Promise<Processed> {
  if (!m.from) throw new ApiError("unprocessable", "The message has no valid sender address (From)");
  const from = m.from;
  const loop = headerLoopReason(m);
  if (loop) return { status: "ignored", reason: loop };
  if (!m.messageIdSynthetic && (await isOwnMessage(tx, m.messageId))) return { status: "ignored", reason: "own_message" };
  if (!opts.replay) {
    const limit = env().INBOUND_RATE_PER_HOUR;
    if ((await recentFromSender(tx, from, inboundId)) >= limit) {
      return { status: "rate_limited", reason: `more than ${limit} messages from ${from} in the last hour` };
    }
  }
  const sender = await resolveSender(tx, from);
  const thread = await findThread(tx, m);
  const known = sender.user?.active === true;
  if (thread) {
    const participant = thread.via === "subject" || (await isParticipant(tx, thread.ticketId, from));
    if (!participant && !known && !publicSubmissionsEnabled()) return bounce(tx, m);
    return reply(tx, m, sender, thread, participant);
  }
  if (!known && !publicSubmissionsEnabled()) return bounce(tx, m);
  return newTicket(tx, m, sender, opts.triage);
}

async function bounce(tx: Tx, m: ParsedInbound): Promise<Processed> {
  const originalSubject = m.subject ? m.subject.slice(0, 200) : null;
  await queueMail(tx, {
    eventId: null,
    handler: "mail.inbound-bounce",
    kind: "bounce",
    ticketId: null,
    to: m.from!,
    inReplyTo: m.messageIdSynthetic ? null : m.messageId,
    render: (ctx) => renderMail("bounce", { originalSubject, reason: BOUNCE_REASON, deskUrl: mailBaseUrl() }, ctx),
  });
  return { status: "bounced", reason: "unknown_sender" };
}

/** Cc addresses that become watchers (lib/tickets/watchers.ts addWatchers): not our address or the sender; at most 20. */
async function addCcWatchers(tx: Tx, m: ParsedInbound, ticketId: number, sender: InboundSender): Promise<void> {
  const skip = new Set([mailFromAddress(), sender.email]);
  const cc = [...new Set(m.cc)].filter((a) => !skip.has(a)).slice(0, MAX_CC_WATCHERS);
  if (cc.length > 0) await addWatchers(tx, ticketId, cc, sender.user?.active ? sender.user.id : null);
}

/** Title and text of the ticket a new message files (the text before any attachment note). */
function newTicketText(m: ParsedInbound): { title: string; text: string } {
  const title = cut(cleanSubject(m.subject) || "(no subject)", TITLE_MAX, "…");
  const full = bodyText(m);
  // A forwarded mail's "quote" is the request; a reply that is all quote keeps its text too.
  const text = isForward(m.subject, full) ? full.replace(/\r\n?/g, "\n").trim() : stripReply(full) || full.trim();
  return { title, text: text || title };
}

/**
 * Triage a message that names no thread (no In-Reply-To/References, no `[T-n]`) and is no
 * auto-reply, before the processing transaction: with an LLM configured that call takes seconds,
 * and must not hold the inbound row's lock or an open transaction (which holds back the event
 * stream's horizon). A reply, or a message that ends up not filing a ticket, skips it or wastes it.
 */
async function pretriage(db: DbOrTx, m: ParsedInbound): Promise<TriageResult | undefined> {
  if (!m.from || headerLoopReason(m) || m.parentIds.length > 0 || subjectTicketNumber(m.subject) !== null) return undefined;
  const { title, text } = newTicketText(m);
  return triageTicket(db, { title, description: cut(text, DESCRIPTION_MAX) });
}

async function newTicket(tx: Tx, m: ParsedInbound, sender: InboundSender, triage: TriageResult | undefined): Promise<Processed> {
  const { title, text } = newTicketText(m);
  const plan = await planAttachments(m.attachments, m.messageId);
  const description = cut(text + refusedNote(plan), DESCRIPTION_MAX);
  const { ticket } = await createTicket(
    tx,
    { title, description, email: sender.email, source: "email" },
    { principal: sender.principal, defaultSource: "email", triage },
  );
  const ticketId = ticketIdFromKey(ticket.key)!;
  await storeAttachments(tx, plan, sender, { ticketId, commentId: null });
  await addCcWatchers(tx, m, ticketId, sender);
  return { status: "processed", action: "created", ticketId, ticketKey: ticket.key };
}

async function reply(tx: Tx, m: ParsedInbound, sender: InboundSender, thread: ThreadMatch, participant: boolean): Promise<Processed> {
  const plan = await planAttachments(m.attachments, m.messageId);
  let text = stripReply(bodyText(m));
  if (!text && plan.accepted.length > 0) text = `Attached: ${plan.accepted.map((a) => a.filename).join(", ")}`;
  if (!text) return { status: "ignored", reason: "empty_reply", ticketId: thread.ticketId, ticketKey: thread.key };
  const body = cut(text + refusedNote(plan), COMMENT_MAX);
  const isRequester = sender.email === thread.requesterEmail;

  if (!sender.staff && !isRequester) {
    // A watcher (or someone the conversation was forwarded to) replied: on a closed ticket this
    // starts a follow-up under their own address (addComment's follow-up files for the requester).
    const row = await findTicketRow(tx, thread.key, { forUpdate: true });
    if (row && replyEffect(row, { byRequester: true, internal: false }, new Date(), env().REOPEN_WINDOW_DAYS).kind === "follow_up") {
      const { ticket } = await createTicket(
        tx,
        { title: followUpTitle(row.title), description: cut(body, DESCRIPTION_MAX), email: sender.email, source: "email" },
        { principal: sender.principal, defaultSource: "email", followUpOfId: row.id },
      );
      const ticketId = ticketIdFromKey(ticket.key)!;
      await storeAttachments(tx, plan, sender, { ticketId, commentId: null });
      return { status: "processed", action: "follow_up", ticketId, ticketKey: ticket.key };
    }
  }

  const r = await addComment(tx, thread.key, { body, internal: false }, sender.principal, { participant: !sender.staff });
  if (r.followUp) {
    const ticketId = ticketIdFromKey(r.followUp.key)!;
    await storeAttachments(tx, plan, sender, { ticketId, commentId: null });
    return { status: "processed", action: "follow_up", ticketId, ticketKey: r.followUp.key };
  }
  const commentId = r.comment!.id;
  await storeAttachments(tx, plan, sender, { ticketId: thread.ticketId, commentId });
  if (!participant && !sender.staff) {
    // Someone the conversation reached (a forward) answered our mail: they take part from now on.
    await addWatchers(tx, thread.ticketId, [sender.email], null);
  }
  await addCcWatchers(tx, m, thread.ticketId, sender);
  return { status: "processed", action: "commented", ticketId: thread.ticketId, ticketKey: thread.key, commentId };
}

/** The error of a failed message, as stored and as the API answers it. */
function describeError(err: unknown): { code: ErrorCode; message: string; status: number; unexpected: boolean } {
  const api = err instanceof ApiError ? err : fromDatabaseError(err);
  if (api && api.status >= 400 && api.status < 500) return { code: api.code, message: api.message, status: api.status, unexpected: false };
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { code: "unprocessable", message: message.slice(0, 2000), status: 422, unexpected: true };
}

/**
 * Store a message that could not be processed as `failed` with the error, in its own
 * transaction (the processing one rolled back). An existing row still `failed`/`received` gets
 * the new error; one that a twin processed meanwhile is reported as a duplicate.
 */
async function storeFailed(
  db: DbOrTx,
  m: { messageId: string; source: string; from: string | null; subject: string | null; raw: Buffer },
  err: unknown,
): Promise<IngestResult> {
  const e = describeError(err);
  if (e.unexpected) logger.error({ err, messageId: m.messageId.slice(0, 200) }, "inbound mail: processing failed; stored for replay");
  else logger.warn({ code: e.code, messageId: m.messageId.slice(0, 200) }, "inbound mail: message refused; stored as failed");
  const messageId = m.messageId.slice(0, MESSAGE_ID_MAX);
  const [r] = await rows<{ id: number }>(
    db,
    sql`INSERT INTO ${inboundMessages} (message_id, source, from_address, subject, status, reason, error, raw, size_bytes, processed_at)
      VALUES (${messageId}, ${m.source.slice(0, 200)}, ${m.from}, ${m.subject}, 'failed', ${e.code}, ${e.message}, ${m.raw}, ${m.raw.length}, now())
      ON CONFLICT (message_id) DO UPDATE SET error = excluded.error, reason = excluded.reason, status = 'failed', processed_at = now()
        WHERE ${inboundMessages}.status IN ('failed', 'received')
      RETURNING id::float8 AS id`,
  );
  if (!r) {
    const existing = await rowState(db, { messageId }, false);
    if (existing) return duplicateOf(existing);
  }
  return {
    inboundId: r ? Number(r.id) : null,
    status: "failed",
    duplicate: false,
    reason: e.code,
    error: { code: e.code, message: e.message, status: e.status },
  };
}

/**
 * A message over INBOUND_MAX_BYTES: stored as `ignored`, reason `too_large: …`, with only its
 * header block (≤ 64 KB) as `raw` — enough to see who sent what — and its real size in
 * `size_bytes`. A second delivery is a duplicate.
 */
async function storeTooLarge(db: DbOrTx, raw: Buffer, source: string, size: number): Promise<IngestResult> {
  const head = headerBlock(raw);
  const parsed = await parseMessage(head).catch(() => null);
  const messageId = parsed && !parsed.messageIdSynthetic ? parsed.messageId : syntheticMessageId(raw);
  const max = env().INBOUND_MAX_BYTES;
  const reason = `too_large: ${size} bytes, the limit is ${max}; only the headers are kept`;
  const [ins] = await db
    .insert(inboundMessages)
    .values({
      messageId,
      source: source.slice(0, 200),
      fromAddress: parsed?.from ?? null,
      subject: parsed?.subject ? parsed.subject.slice(0, 998) : null,
      status: "ignored",
      reason,
      raw: head,
      sizeBytes: Math.min(size, 2_147_483_647),
      processedAt: new Date(),
    })
    .onConflictDoNothing({ target: inboundMessages.messageId })
    .returning({ id: inboundMessages.id });
  if (!ins) {
    const existing = await rowState(db, { messageId }, false);
    if (existing) return duplicateOf(existing);
    return { inboundId: null, status: "ignored", duplicate: true, reason };
  }
  return { inboundId: Number(ins.id), status: "ignored", duplicate: false, reason };
}
