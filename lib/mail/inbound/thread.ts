import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { inboundMessages, mailOutbox, ticketWatchers, tickets, users } from "@/db/schema";

/** The ticket an inbound message belongs to, and how that was found. */
export interface ThreadMatch {
  ticketId: number;
  key: string;
  requesterEmail: string;
  /** `headers`: In-Reply-To/References named one of our messages; `subject`: `[T-n]` from a participant. */
  via: "headers" | "subject";
}

/** `[T-123]` anywhere in a subject (our outgoing subjects carry it): the ticket number, or null. */
export function subjectTicketNumber(subject: string): number | null {
  const m = subject.match(/\[T-([1-9][0-9]{0,15})\]/i);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Whether `email` takes part in ticket `ticketId`: its requester, one of its watchers, or an
 * active agent/admin (staff may answer any ticket).
 */
export async function isParticipant(db: DbOrTx, ticketId: number, email: string): Promise<boolean> {
  const [r] = await rows<{ ok: boolean }>(
    db,
    sql`SELECT (
        EXISTS (SELECT 1 FROM ${tickets} WHERE ${tickets.id} = ${ticketId} AND ${tickets.requesterEmail} = ${email})
        OR EXISTS (SELECT 1 FROM ${ticketWatchers} WHERE ${ticketWatchers.ticketId} = ${ticketId} AND ${ticketWatchers.email} = ${email})
        OR EXISTS (SELECT 1 FROM ${users} WHERE ${users.email} = ${email} AND ${users.active} AND ${users.role} IN ('agent', 'admin'))
      ) AS ok`,
  );
  return r?.ok === true;
}

/**
 * Which ticket a message replies to (RFC 5322 §3.6.4 threading), in this order:
 * 1. an id of its In-Reply-To/References is one we sent about a ticket (mail_outbox.message_id
 *    with ticket_id set) or an earlier inbound message that landed on a ticket
 *    (inbound_messages.message_id with ticket_id set) — the nearest parent wins;
 * 2. `[T-123]` in the subject, when the sender is a participant of T-123 ({@link isParticipant});
 * 3. none: the message starts a new ticket.
 * A `[T-n]` from a stranger is not trusted (anyone can type a key into a subject).
 */
export async function findThread(
  db: DbOrTx,
  m: { parentIds: readonly string[]; subject: string; from: string | null },
): Promise<ThreadMatch | null> {
  if (m.parentIds.length > 0) {
    const ids = sql.join(
      m.parentIds.map((id) => sql`${id}`),
      sql`, `,
    );
    const found = await rows<{ message_id: string; ticket_id: number; key: string; requester_email: string }>(
      db,
      sql`SELECT x.message_id, t.id::float8 AS ticket_id, t.key, t.requester_email
        FROM (
          SELECT ${mailOutbox.messageId} AS message_id, ${mailOutbox.ticketId} AS ticket_id FROM ${mailOutbox}
            WHERE ${mailOutbox.messageId} IN (${ids}) AND ${mailOutbox.ticketId} IS NOT NULL
          UNION ALL
          SELECT ${inboundMessages.messageId}, ${inboundMessages.ticketId} FROM ${inboundMessages}
            WHERE ${inboundMessages.messageId} IN (${ids}) AND ${inboundMessages.ticketId} IS NOT NULL
        ) x JOIN ${tickets} t ON t.id = x.ticket_id`,
    );
    for (const id of m.parentIds) {
      const hit = found.find((f) => f.message_id === id);
      if (hit) return { ticketId: Number(hit.ticket_id), key: hit.key, requesterEmail: hit.requester_email, via: "headers" };
    }
  }
  const n = subjectTicketNumber(m.subject);
  if (n !== null && m.from) {
    const [t] = await rows<{ id: number; key: string; requester_email: string }>(
      db,
      sql`SELECT id::float8 AS id, key, requester_email FROM ${tickets} WHERE ${tickets.id} = ${n}`,
    );
    if (t && (await isParticipant(db, Number(t.id), m.from))) {
      return { ticketId: Number(t.id), key: t.key, requesterEmail: t.requester_email, via: "subject" };
    }
  }
  return null;
}
