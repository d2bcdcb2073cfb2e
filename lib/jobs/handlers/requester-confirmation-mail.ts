import "server-only";
import { eq } from "drizzle-orm";
import { tickets } from "@/db/schema";
import { mailBaseUrl } from "@/lib/mail/config";
import { queueMail } from "@/lib/mail/queue";
import { renderMail } from "@/lib/mail/render";
import { confirmationPath, CONFIRMATION_TTL_DAYS, issueConfirmation } from "@/lib/tickets/requester-confirmation";
import type { JobHandler } from "../registry";

/**
 * `ticket.created` for a ticket filed by a signed-out visitor (payload `unverified: true`):
 * issue a one-time confirmation link and queue the `confirmation` mail (transactional: no
 * unsubscribe) to the claimed requester in the job's transaction (so exactly one link and one
 * mail per ticket, however often the job is delivered). Until the requester opens it, the
 * ticket stays out of their portal. It is sent over SMTP, or stays in the dev outbox when none
 * is configured.
 */
export const requesterConfirmationMail: JobHandler = {
  name: "mail.requester-confirmation",
  events: ["ticket.created"],
  filter: (e) => e.payload.unverified === true,
  async run(event, { tx }) {
    if (event.ticketId === null) return;
    const [t] = await tx
      .select({ key: tickets.key, title: tickets.title, email: tickets.requesterEmail, verified: tickets.requesterVerified })
      .from(tickets)
      .where(eq(tickets.id, event.ticketId))
      .limit(1);
    if (!t || t.verified) return;
    const { token } = await issueConfirmation(tx, { ticketId: event.ticketId, email: t.email });
    const data = { ticket: { key: t.key, title: t.title, url: `${mailBaseUrl()}/requests/${t.key}` }, confirmUrl: `${mailBaseUrl()}${confirmationPath(token)}`, ttlDays: CONFIRMATION_TTL_DAYS };
    await queueMail(tx, {
      eventId: event.id,
      handler: requesterConfirmationMail.name,
      kind: "confirmation",
      ticketId: event.ticketId,
      to: t.email,
      render: (ctx) => renderMail("confirmation", data, ctx),
    });
  },
};
