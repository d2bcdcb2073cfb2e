import "server-only";
import { countExternalCall } from "@/lib/observability/metrics";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import type { TaskHandler } from "@/lib/jobs/tasks";
import { logger } from "@/lib/observability/logger";
import { mailFrom } from "./config";
import { MAIL_SEND_TASK, type MailSendTaskData } from "./queue";
import { smtpTransport, SMTP_SOCKET_TIMEOUT_MS } from "./transport";

/** What one {@link sendOutboxMail} call came to (a retryable failure throws instead). */
export type SendOutcome = "sent" | "failed" | "not_queued";

const clip = (s: string, n = 2000) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** An SMTP error from nodemailer: `responseCode` is the server's reply code, when it answered. */
interface SmtpError extends Error {
  responseCode?: number;
  code?: string;
  response?: string;
}

/**
 * A failure every retry would repeat: a 5yz reply (RFC 5321 §4.2.1, permanent negative
 * completion), or nodemailer's `EENVELOPE` without a server reply (an address it cannot use).
 */
export function isPermanentSmtpError(err: unknown): boolean {
  const e = err as SmtpError | null;
  const code = e?.responseCode;
  if (typeof code === "number") return code >= 500 && code < 600;
  return e?.code === "EENVELOPE";
}

/** Options for tests: a hook between the SMTP server's accept and our commit. */
export interface SendOptions {
  /** Runs after the server accepted the message and before `sent` commits; a throw stands for a crash there. */
  beforeCommit?: () => void | Promise<void>;
}

/**
 * Send one `mail_outbox` row over SMTP (the `mail.send` task). Idempotent: a row that is not
 * `queued` (sent, failed, suppressed, outbox, deleted) does nothing.
 *
 * Sends From `MAIL_FROM` to the row's address with its subject, text and HTML, its stored
 * Message-ID (the same on every attempt), In-Reply-To, References and headers.
 * - accepted → `sent`, `sent_at`, attempts + 1, `last_error` cleared;
 * - a permanent 5xx reply (e.g. `550 no such user`) → `failed` at once, attempts + 1, the reply
 *   in `last_error`, no retry;
 * - anything else (4xx such as `451 try later`, connection refused, timeout) → attempts + 1,
 *   `last_error`, and the error is rethrown so pg-boss retries with backoff; when retries are
 *   exhausted the dead-letter handler marks the row `failed` ({@link markMailFailed}).
 *
 * Delivery is at-least-once: a crash (or a lost connection) between the server's accept and
 * our commit of `sent` leaves the row `queued`, and the retry sends the message once more —
 * with the same Message-ID, so mail clients and most servers show it once.
 *
 * @returns `sent`, `failed` (permanent), or `not_queued`.
 * @throws the SMTP/network error of a retryable failure.
 */
export async function sendOutboxMail(db: Db, outboxId: number, opts: SendOptions = {}): Promise<SendOutcome> {
  const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, outboxId)).limit(1);
  if (!row || row.status !== "queued") return "not_queued";
  const stillQueued = and(eq(mailOutbox.id, outboxId), eq(mailOutbox.status, "queued"));
  try {
    await smtpTransport().sendMail({
      from: mailFrom(),
      to: row.toAddress,
      subject: row.subject,
      text: row.textBody,
      ...(row.htmlBody ? { html: row.htmlBody } : {}),
      ...(row.messageId ? { messageId: row.messageId } : {}),
      ...(row.inReplyTo ? { inReplyTo: row.inReplyTo } : {}),
      ...(row.referencesHeader ? { references: row.referencesHeader } : {}),
      headers: row.headers,
    });
    countExternalCall("smtp", "ok");
  } catch (e) {
    const err = e as SmtpError;
    const message = clip(err.response ?? err.message ?? String(e));
    const permanent = isPermanentSmtpError(err);
    countExternalCall("smtp", permanent ? "rejected" : "error");
    await db
      .update(mailOutbox)
      .set({ attempts: sql`${mailOutbox.attempts} + 1`, lastError: message, ...(permanent ? { status: "failed" } : {}) })
      .where(stillQueued);
    if (permanent) {
      logger.warn({ outboxId, code: err.responseCode }, "mail refused permanently by the SMTP server");
      return "failed";
    }
    throw err;
  }
  await opts.beforeCommit?.();
  await db
    .update(mailOutbox)
    .set({ status: "sent", sentAt: sql`now()`, attempts: sql`${mailOutbox.attempts} + 1`, lastError: null })
    .where(stillQueued);
  return "sent";
}

/** Mark a still-queued row `failed` (retries exhausted); keeps its last error. Idempotent. */
export async function markMailFailed(db: Db, outboxId: number): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ status: "failed", lastError: sql`coalesce(${mailOutbox.lastError}, 'retries exhausted')` })
    .where(and(eq(mailOutbox.id, outboxId), eq(mailOutbox.status, "queued")));
}

/**
 * The `mail.send` task: {@link sendOutboxMail}; retries as set per job at queue time
 * (lib/mail/queue.ts `mailSendRetry`); an exhausted job marks the row `failed`.
 */
export const mailSendTask: TaskHandler<MailSendTaskData> = {
  name: MAIL_SEND_TASK,
  expireInS: Math.ceil((SMTP_SOCKET_TIMEOUT_MS * 3) / 1000),
  async run(data, { db }) {
    await sendOutboxMail(db, data.outboxId);
  },
  async onDeadLetter(data, { db }) {
    await markMailFailed(db, data.outboxId);
  },
};
