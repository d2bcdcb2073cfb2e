import { sql } from "drizzle-orm";
import { bigint, boolean, check, customType, index, integer, pgTable, primaryKey, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { tickets } from "./tickets";
import { users } from "./users";

/** PostgreSQL bytea, read as a Node Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType() {
    return "bytea";
  },
  fromDriver(v) {
    return Buffer.isBuffer(v) ? v : Buffer.from(v);
  },
});

const inList = (col: string, values: readonly string[]) => sql.raw(`${col} IN (${values.map((v) => `'${v}'`).join(", ")})`);

/**
 * Life of an outgoing mail (`mail_outbox.status`):
 * - `outbox`: no SMTP is configured; the row is the dev outbox entry admins read at /admin/outbox.
 * - `queued`: a `mail.send` task will deliver it over SMTP (retried with backoff).
 * - `sent`: the SMTP server accepted it (`sent_at`).
 * - `failed`: retries exhausted or a permanent 5xx; `last_error` says why; an admin can resend.
 * - `suppressed`: the recipient switched this kind of mail off (kept, so nothing vanishes silently).
 */
export const MAIL_STATUSES = ["outbox", "queued", "sent", "failed", "suppressed"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * Per-recipient mail preferences, keyed by e-mail address (requesters need no account to
 * unsubscribe). A missing row means the kind is on. `kind` is one of lib/mail/kinds.ts MAIL_KINDS.
 */
export const mailPreferences = pgTable(
  "mail_preferences",
  {
    email: varchar("email", { length: 254 }).notNull(),
    kind: varchar("kind", { length: 40 }).notNull(),
    enabled: boolean("enabled").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.email, t.kind] }), check("mail_preferences_email_lower", sql`${t.email} = lower(${t.email})`)],
);

/**
 * Watchers (CC) of a ticket: people who get every public message on it. Filled from the Cc of
 * an inbound mail and by agents on the ticket page.
 */
export const ticketWatchers = pgTable(
  "ticket_watchers",
  {
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    email: varchar("email", { length: 254 }).notNull(),
    addedById: uuid("added_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.email] }), check("ticket_watchers_email_lower", sql`${t.email} = lower(${t.email}) AND position('@' in ${t.email}) > 1`)],
);

/**
 * What became of an inbound message:
 * - `received`: stored, not yet processed (a crash between storing and processing; replayable);
 * - `processed`: it created a ticket (`action` created) or a comment (`action` commented, or
 *   `follow_up` when a reply to a closed ticket filed a follow-up);
 * - `ignored`: loop protection (Auto-Submitted, Precedence bulk/list/junk, our own Message-ID),
 *   or nothing left to store; `reason` says which;
 * - `bounced`: an unknown sender while public submissions are off: a polite reply, nothing created;
 * - `rate_limited`: the sender sent too many messages in the window;
 * - `failed`: parsing or processing threw; `error` holds it, `raw` is kept for a replay.
 */
export const INBOUND_STATUSES = ["received", "processed", "ignored", "bounced", "rate_limited", "failed"] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

/**
 * Every inbound e-mail (IMAP or `POST /api/inbound/email`), raw RFC 822 bytes kept. The unique
 * `message_id` is what makes a message count once: the row is inserted in the same transaction
 * as the ticket or comment it causes, so a second delivery (IMAP twice, two pollers) conflicts
 * and does nothing. Messages without a Message-ID get `<sha256-of-raw@inbound.invalid>`.
 */
export const inboundMessages = pgTable(
  "inbound_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    messageId: varchar("message_id", { length: 998 }).notNull().unique(),
    /** Where it came from: `api`, `imap:<mailbox key>`. */
    source: varchar("source", { length: 200 }).notNull(),
    fromAddress: varchar("from_address", { length: 254 }),
    subject: varchar("subject", { length: 998 }),
    status: varchar("status", { length: 20 }).notNull(),
    /** `created` | `commented` | `follow_up` when processed. */
    action: varchar("action", { length: 20 }),
    reason: varchar("reason", { length: 500 }),
    error: text("error"),
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id, { onDelete: "set null" }),
    commentId: bigint("comment_id", { mode: "number" }),
    raw: bytea("raw").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    check("inbound_messages_status", inList("status", INBOUND_STATUSES)),
    index("inbound_messages_received_idx").on(t.receivedAt.desc()),
    index("inbound_messages_ticket_idx").on(t.ticketId).where(sql`${t.ticketId} IS NOT NULL`),
    index("inbound_messages_from_idx").on(t.fromAddress, t.receivedAt.desc()),
  ],
);

/** What the IMAP poller does with a processed message: set \Seen (and a keyword), or move it. */
export const MAILBOX_ACTIONS = ["flag", "move"] as const;
export type MailboxAction = (typeof MAILBOX_ACTIONS)[number];

/**
 * Admin-configured IMAP mailboxes (besides the one `IMAP_URL` names). The password is sealed
 * with lib/crypto/secrets.ts (ENCRYPTION_KEY) and never returned by the API.
 */
export const mailboxes = pgTable(
  "mailboxes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 80 }).notNull().unique(),
    host: varchar("host", { length: 253 }).notNull(),
    port: integer("port").notNull().default(993),
    /** Implicit TLS (993); false = plain or STARTTLS when offered (143). */
    secure: boolean("secure").notNull().default(true),
    username: varchar("username", { length: 254 }).notNull(),
    passwordCiphertext: text("password_ciphertext").notNull(),
    folder: varchar("folder", { length: 200 }).notNull().default("INBOX"),
    processedAction: varchar("processed_action", { length: 10 }).notNull().default("flag"),
    /** Target folder for `move`. */
    moveTo: varchar("move_to", { length: 200 }),
    active: boolean("active").notNull().default(true),
    lastPolledAt: timestamp("last_polled_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("mailboxes_action", inList("processed_action", MAILBOX_ACTIONS)), check("mailboxes_move_to", sql`processed_action <> 'move' OR move_to IS NOT NULL`)],
);

/**
 * Leases that make one app instance at a time poll a mailbox (key `env` for IMAP_URL, or
 * `db:<mailbox id>`): taken and renewed with a conditional UPDATE/INSERT, expiring by
 * themselves when an instance dies. (No long transaction or session lock is held while a poller
 * waits in IDLE.)
 */
export const mailboxLeases = pgTable("mailbox_leases", {
  key: varchar("key", { length: 100 }).primaryKey(),
  owner: varchar("owner", { length: 100 }).notNull(),
  until: timestamp("until", { withTimezone: true }).notNull(),
});
