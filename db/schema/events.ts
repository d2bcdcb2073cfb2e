import { sql } from "drizzle-orm";
import { bigint, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { tickets } from "./tickets";

/** PostgreSQL xid8 (a 64-bit transaction id), read as text. */
const xid8 = customType<{ data: string }>({
  dataType() {
    return "xid8";
  },
});

/**
 * The transactional outbox: one row per domain event (`ticket.created`, `ticket.updated`,
 * `comment.added`, `ticket.status_changed`, …), written in the same transaction as the change
 * that causes it, so an event exists exactly when its change committed.
 *
 * - `txId` is the writing transaction's id. Readers that tail the stream (per-process caches)
 *   read only below the oldest still-running transaction (`pg_snapshot_xmin`), ordered by
 *   (txId, id): a commit-ordered cursor that no late commit can fall behind.
 * - `dispatchedAt` is set by the dispatcher once the event's jobs are queued (in the same
 *   transaction as the queue rows).
 */
export const domainEvents = pgTable(
  "domain_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    type: varchar("type", { length: 60 }).notNull(),
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id, { onDelete: "cascade" }),
    /** Who caused it: `{type, id, label}` as in audit events. */
    actor: jsonb("actor").$type<{ type: string; id: string | null; label: string } | null>(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    /** The request id of the HTTP request (or job) that caused it; its jobs run and log under it. */
    requestId: varchar("request_id", { length: 128 }),
    txId: xid8("tx_id").notNull().default(sql`pg_current_xact_id()`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
  },
  (t) => [
    index("domain_events_tx_idx").on(t.txId, t.id),
    index("domain_events_undispatched_idx").on(t.id).where(sql`${t.dispatchedAt} IS NULL`),
    index("domain_events_ticket_idx").on(t.ticketId, t.id),
  ],
);

/**
 * Idempotency receipts: a job handler that acts on an event records (handler, eventId) in the
 * same transaction as its effect, so a redelivered job never acts twice.
 */
export const jobReceipts = pgTable(
  "job_receipts",
  {
    handler: varchar("handler", { length: 80 }).notNull(),
    eventId: bigint("event_id", { mode: "number" }).notNull(),
    doneAt: timestamp("done_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.handler, t.eventId] })],
);

/** Install-wide settings and one-time secrets (e.g. the first-run setup token's hash). */
export const appSettings = pgTable("app_settings", {
  key: varchar("key", { length: 80 }).primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Outgoing mail, written by job handlers. With no SMTP configured this is the dev outbox that
 * admins read; the e-mail channel sends rows and sets `sentAt`. One row per (handler, event,
 * recipient) at most.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** The domain event that caused it, and the handler that wrote it (idempotency). */
    eventId: bigint("event_id", { mode: "number" }),
    handler: varchar("handler", { length: 80 }).notNull(),
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id, { onDelete: "set null" }),
    toAddress: varchar("to_address", { length: 254 }).notNull(),
    subject: varchar("subject", { length: 300 }).notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    /** Which notification this is (lib/mail/kinds.ts MAIL_KINDS); preferences and unsubscribe links are per kind. */
    kind: varchar("kind", { length: 40 }).notNull().default("system"),
    /** db/schema/mail.ts MAIL_STATUSES: outbox | queued | sent | failed | suppressed. */
    status: varchar("status", { length: 20 }).notNull().default("outbox"),
    /** Our RFC 5322 Message-ID (with angle brackets), stable across retries; replies thread on it. */
    messageId: varchar("message_id", { length: 300 }),
    inReplyTo: varchar("in_reply_to", { length: 998 }),
    /** RFC 5322 References: space-separated message ids, oldest first. */
    referencesHeader: text("references_header"),
    /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted, …). */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [
    uniqueIndex("mail_outbox_event_unique").on(t.handler, t.eventId, t.toAddress),
    index("mail_outbox_created_idx").on(t.createdAt.desc()),
    index("mail_outbox_message_id_idx").on(t.messageId),
    index("mail_outbox_ticket_idx").on(t.ticketId, t.createdAt),
  ],
);
