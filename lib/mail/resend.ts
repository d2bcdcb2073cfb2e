import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, mailOutbox } from "@/db/schema";
import { ApiError } from "@/lib/http/errors";
import type { AuditActor } from "@/lib/tickets/access";
import { smtpConfigured } from "./config";
import { enqueueMailSend, isMailableAddress } from "./queue";

/** Statuses an admin can resend from. */
export const RESENDABLE_STATUSES = ["failed", "outbox"] as const;

/**
 * Admin "resend" of a `failed` row (or a dev-`outbox` row once SMTP is configured): in ONE
 * transaction, lock the row, set it `queued` (last error cleared; attempts kept as history; the
 * same Message-ID, since the mail never got through or was never sent), enqueue a fresh
 * `mail.send` task, and, when `actor` is given, write the audit event `mail.resent`.
 *
 * @throws ApiError `not_found` (no row `outboxId`); `conflict` when SMTP_URL is not set
 *   (nothing could send it), or the row is `queued`, `sent` or `suppressed` (a suppressed mail
 *   stays unsent: the recipient switched that kind off), or its address is not one mail can go to.
 */
export async function resendMail(db: Db, outboxId: number, actor?: AuditActor): Promise<void> {
  if (!smtpConfigured()) throw new ApiError("conflict", "SMTP is not configured (SMTP_URL): mail stays in the dev outbox", { outboxId });
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: mailOutbox.id, status: mailOutbox.status, ticketId: mailOutbox.ticketId, attempts: mailOutbox.attempts, lastError: mailOutbox.lastError, to: mailOutbox.toAddress })
      .from(mailOutbox)
      .where(eq(mailOutbox.id, outboxId))
      .for("update")
      .limit(1);
    if (!row) throw new ApiError("not_found", "Mail not found", { outboxId });
    if (!(RESENDABLE_STATUSES as readonly string[]).includes(row.status)) {
      throw new ApiError("conflict", `Only failed or dev-outbox mail can be resent; this one is ${row.status}`, { outboxId, status: row.status });
    }
    if (!isMailableAddress(row.to)) throw new ApiError("conflict", `${JSON.stringify(row.to)} is not an address mail can be sent to`, { outboxId });
    await tx.update(mailOutbox).set({ status: "queued", lastError: null }).where(eq(mailOutbox.id, outboxId));
    await enqueueMailSend(tx, outboxId);
    if (actor) {
      await tx.insert(auditEvents).values({
        ticketId: row.ticketId,
        entityType: "mail_outbox",
        entityId: String(outboxId),
        ...actor,
        action: "mail.resent",
        before: { status: row.status, attempts: row.attempts, lastError: row.lastError },
        after: { status: "queued", to: row.to },
      });
    }
  });
}
