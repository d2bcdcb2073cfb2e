import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { mailDomain } from "./config";

/**
 * Threading headers of outgoing mail (RFC 5322 §3.6.4).
 *
 * A ticket's thread is every message id known for it: our outgoing mails (`mail_outbox` rows of
 * the ticket with status queued, sent or outbox; suppressed and failed ones never reached
 * anybody) and the inbound mails processed into it (`inbound_messages.message_id`). A new mail
 * answers the newest of them (In-Reply-To), and References lists the ticket's first inbound
 * message (when the ticket came by mail) followed by up to {@link REFERENCES_MAX} newest ids,
 * oldest first. Copies of one event to several recipients (same event id) are siblings, not
 * answers to each other, so they are left out of each other's thread.
 */

/** Most recent message ids listed in References (besides the thread's root). */
export const REFERENCES_MAX = 10;

/** A new, random, unguessable Message-ID of ours: `<uuid@MAIL_DOMAIN>` (angle brackets included). */
export function newMessageId(): string {
  return `<${crypto.randomUUID()}@${mailDomain()}>`;
}

/** The threading headers of a new mail on a ticket; both null for a ticket with no messages yet. */
export interface ThreadHeaders {
  /** Message id (with angle brackets) of the newest message of the thread. */
  inReplyTo: string | null;
  /** Space-separated message ids, oldest first (root first), or null. */
  references: string | null;
}

/**
 * Threading headers for a new mail on `ticketId`.
 * @param excludeEventId the domain event the new mail answers: other mails of that same event
 *   (copies to other recipients) are not part of its thread.
 */
export async function threadHeaders(db: DbOrTx, ticketId: number, excludeEventId: number | null = null): Promise<ThreadHeaders> {
  const recent = await rows<{ message_id: string }>(
    db,
    sql`SELECT message_id FROM (
          SELECT message_id, created_at AS at, 1 AS src, id FROM mail_outbox
           WHERE ticket_id = ${ticketId} AND message_id IS NOT NULL AND status IN ('queued', 'sent', 'outbox')
             AND (${excludeEventId}::bigint IS NULL OR event_id IS DISTINCT FROM ${excludeEventId}::bigint)
          UNION ALL
          SELECT message_id, received_at AS at, 0 AS src, id FROM inbound_messages
           WHERE ticket_id = ${ticketId} AND status = 'processed'
        ) m
        ORDER BY at DESC, src DESC, id DESC
        LIMIT ${REFERENCES_MAX}`,
  );
  if (recent.length === 0) return { inReplyTo: null, references: null };
  const [root] = await rows<{ message_id: string }>(
    db,
    sql`SELECT message_id FROM inbound_messages
         WHERE ticket_id = ${ticketId} AND status = 'processed' AND action = 'created'
         ORDER BY received_at, id LIMIT 1`,
  );
  const ids = recent.map((r) => r.message_id).reverse();
  return { inReplyTo: recent[0].message_id, references: joinReferences(root ? [root.message_id, ...ids] : ids) };
}

/** Space-separated References value of `ids` in order, duplicates dropped (first kept); null when empty. */
export function joinReferences(ids: readonly (string | null | undefined)[]): string | null {
  const seen = new Set<string>();
  for (const id of ids) {
    const v = id?.trim();
    if (v && !seen.has(v)) seen.add(v);
  }
  return seen.size ? [...seen].join(" ") : null;
}

/**
 * The ticket one of our outgoing Message-IDs belongs to (for inbound replies whose
 * In-Reply-To/References name our mail), or null. `ids` are compared exactly, angle brackets
 * included; the first id with a ticket wins.
 */
export async function ticketOfOurMessageIds(db: DbOrTx, ids: readonly string[]): Promise<number | null> {
  const wanted = ids.filter((i) => i.length > 0 && i.length <= 300).slice(0, 100);
  if (wanted.length === 0) return null;
  const found = await rows<{ message_id: string; ticket_id: number }>(
    db,
    sql`SELECT message_id, ticket_id::float8 AS ticket_id FROM mail_outbox
         WHERE message_id IN (${sql.join(wanted.map((w) => sql`${w}`), sql`, `)}) AND ticket_id IS NOT NULL`,
  );
  for (const id of wanted) {
    const hit = found.find((f) => f.message_id === id);
    if (hit) return Number(hit.ticket_id);
  }
  return null;
}
