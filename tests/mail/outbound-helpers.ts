import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import type { MailKind } from "@/lib/mail/kinds";
import { queueMail } from "@/lib/mail/queue";
import { createTicket } from "@/lib/tickets/create-ticket";

/** File a ticket (no principal, API source) and return its id and key. */
export async function newTicket(db: Db, title: string, email = "req@corp.test"): Promise<{ id: number; key: string }> {
  const { ticket } = await createTicket(db, { title, description: `${title}: it stopped working this morning, please help`, email }, { principal: null, defaultSource: "api" });
  const [r] = await rows<{ id: number }>(db, sql`SELECT id::float8 AS id FROM tickets WHERE key = ${ticket.key}`);
  return { id: Number(r.id), key: ticket.key };
}

let nextEventId = 1_000_000;

/** Queue one simple mail in its own transaction (a fresh fake event id unless given). */
export async function queueSimple(
  db: Db,
  opts: { to: string; kind?: MailKind; ticketId?: number | null; eventId?: number | null; subject?: string; inReplyTo?: string | null; handler?: string },
) {
  return db.transaction((tx) =>
    queueMail(tx, {
      eventId: opts.eventId === undefined ? nextEventId++ : opts.eventId,
      handler: opts.handler ?? "test.outbound",
      kind: opts.kind ?? "agent_reply",
      ticketId: opts.ticketId ?? null,
      to: opts.to,
      inReplyTo: opts.inReplyTo,
      render: async ({ unsubscribeUrl }) => ({
        subject: opts.subject ?? "An agent replied",
        text: `Hello.\n\nUnsubscribe: ${unsubscribeUrl ?? "(none)"}`,
        html: `<p>Hello.</p><p><a href="${unsubscribeUrl ?? "#"}">Unsubscribe</a></p>`,
      }),
    }),
  );
}

/** One outbox row by id. */
export async function outboxRow(db: Db, id: number) {
  const [r] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).limit(1);
  return r;
}

/** Poll `fn` every 100 ms until `ok` holds or `timeoutMs` passes; returns the last value (assert on it). */
export async function until<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() - t0 > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `mail.send` jobs of an outbox row in pg-boss (any state). */
export async function sendJobsOf(db: Db, outboxId: number): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND (data->>'outboxId')::bigint = ${outboxId}`);
  return r.n;
}
