import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { listOutbox } from "@/lib/mail/admin/outbox";
import { smtpConfigured } from "@/lib/mail/config";
import { ListOutboxQuerySchema } from "@/lib/mail/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/admin/outbox[?status=][&kind=][&to=][&limit=50][&cursor=] — admins. Outgoing mail
 * (the dev outbox when SMTP_URL is unset, else the delivery log), newest first.
 * → 200 {smtpConfigured, items: [{id, createdAt, sentAt, to, kind, kindLabel, subject, status,
 * attempts, ticketKey, lastError}], nextCursor}. Errors: 400, 401, 403.
 */
export const GET = route({ auth: "admin", scope: "admin", query: ListOutboxQuerySchema }, async ({ query }) => ({
  smtpConfigured: smtpConfigured(),
  ...(await listOutbox(await getDb(), query)),
}));
