import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { inboundMessages, mailOutbox } from "@/db/schema";
import { mailFromAddress } from "@/lib/mail/config";
import type { ParsedInbound } from "./parse";

/*
 * Loop protection (RFC 3834 "Recommendations for Automatic Responses to Electronic Mail", and
 * RFC 2076 / common practice for Precedence and X-Autoreply): automatic mail is stored as
 * `ignored` and never answered, so two robots cannot mail each other forever.
 */

/** Why a message is ignored (inbound_messages.reason). */
export type LoopReason =
  | "auto_submitted"
  | "precedence_bulk"
  | "autoreply_header"
  | "mailer_daemon"
  | "no_reply_sender"
  | "own_address"
  | "own_message"
  | "delivery_report";

/** Local parts of senders that are robots (bounces, postmasters, no-reply addresses). */
const DAEMON_LOCAL = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/i;
const NOREPLY_LOCAL = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply[-_.+].*|no[-_.]reply[-_.+].*|bounces?([-+].*)?)$/i;

/**
 * The loop-protection verdict from the headers and the sender alone (no database), or null:
 * - `Auto-Submitted` present and not `no` (RFC 3834 §5: auto-replied, auto-generated, …);
 * - `Precedence: bulk | list | junk` (RFC 2076; mailing lists and vacation robots);
 * - `X-Autoreply`, `X-Autorespond`, `X-Autoresponder` (vacation robots that predate RFC 3834);
 *   `X-Auto-Response-Suppress` is not a reason (Outlook sets it on ordinary mail);
 * - a delivery status report (`Content-Type: multipart/report`, RFC 3462);
 * - the sender is a mailer-daemon / postmaster, a no-reply address, or our own MAIL_FROM.
 */
export function headerLoopReason(m: ParsedInbound): LoopReason | null {
  const h = m.headers;
  const auto = h.get("auto-submitted")?.trim().toLowerCase();
  if (auto && auto.split(";")[0].trim() !== "no") return "auto_submitted";
  const precedence = h.get("precedence")?.trim().toLowerCase();
  if (precedence && /^(bulk|list|junk)\b/.test(precedence)) return "precedence_bulk";
  if (h.has("x-autoreply") || h.has("x-autorespond") || h.has("x-autoresponder")) return "autoreply_header";
  const type = h.get("content-type")?.toLowerCase() ?? "";
  if (type.startsWith("multipart/report")) return "delivery_report";
  if (m.from) {
    const local = m.from.split("@")[0];
    if (DAEMON_LOCAL.test(local)) return "mailer_daemon";
    if (NOREPLY_LOCAL.test(local)) return "no_reply_sender";
    if (m.from === mailFromAddress()) return "own_address";
  }
  return null;
}

/** True when the Message-ID is one we sent (mail_outbox.message_id): our own mail came back. */
export async function isOwnMessage(db: DbOrTx, messageId: string): Promise<boolean> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT 1 AS n FROM ${mailOutbox} WHERE ${mailOutbox.messageId} = ${messageId} LIMIT 1`);
  return !!r;
}

/**
 * Messages from `address` stored in the last hour (inbound_messages, every status, `except` the
 * current row): the per-sender rate limit reads the database, so it holds across instances.
 */
export async function recentFromSender(db: DbOrTx, address: string, except: number | null): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM ${inboundMessages}
      WHERE ${inboundMessages.fromAddress} = ${address} AND ${inboundMessages.receivedAt} > now() - interval '1 hour'
        AND ${inboundMessages.id} <> ${except ?? -1}`,
  );
  return r?.n ?? 0;
}
