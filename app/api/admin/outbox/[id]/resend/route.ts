import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { parseRowId } from "@/lib/mail/admin/outbox";
import { resendMail } from "@/lib/mail/resend";
import { actorOf } from "@/lib/tickets/access";

export const dynamic = "force-dynamic";

type Params = { id: string };

/**
 * POST /api/admin/outbox/{id}/resend — admins. Queues a `failed` mail (or a dev-outbox one once
 * SMTP is configured) for delivery again, same Message-ID; audited as `mail.resent`.
 * → 202 {id, status: "queued"}. Errors: 401, 403, 404, 409 (SMTP_URL not set; or the mail is
 * queued, sent or suppressed).
 */
export const POST = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => {
  const id = parseRowId(params.id, "Mail");
  await resendMail(await getDb(), id, actorOf(principal));
  return json({ id, status: "queued" }, 202);
});
