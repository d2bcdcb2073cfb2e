import "server-only";
import { eq } from "drizzle-orm";
import { mailOutbox, tickets } from "@/db/schema";
import { env } from "@/lib/env";
import { confirmationPath, CONFIRMATION_TTL_DAYS, issueConfirmation } from "@/lib/tickets/requester-confirmation";
import type { JobHandler } from "../registry";

/**
 * `ticket.created` for a ticket filed by a signed-out visitor (payload `unverified: true`):
 * issue a one-time confirmation link and write the mail to the claimed requester into the
 * outbox, in the job's transaction (so exactly one link and one mail per ticket, however often
 * the job is delivered). Until the requester opens it, the ticket stays out of their portal.
 * The e-mail channel sends outbox rows over SMTP; with none configured they stay in the dev
 * outbox for admins.
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
    const base = (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
    const link = `${base}${confirmationPath(token)}`;
    await tx.insert(mailOutbox).values({
      eventId: event.id,
      handler: requesterConfirmationMail.name,
      ticketId: event.ticketId,
      toAddress: t.email,
      subject: `[${t.key}] Please confirm your request: ${t.title}`.slice(0, 300),
      textBody: [
        `Someone filed a request with the service desk under your e-mail address:`,
        ``,
        `  ${t.key}: ${t.title}`,
        ``,
        `If it was you, confirm it here so you can follow it in your requests:`,
        `  ${link}`,
        ``,
        `The link works for ${CONFIRMATION_TTL_DAYS} days. If it was not you, ignore this mail; the request stays unconfirmed.`,
      ].join("\n"),
    });
  },
};
