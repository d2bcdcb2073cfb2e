import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getOutbox, parseRowId } from "@/lib/mail/admin/outbox";

export const dynamic = "force-dynamic";

type Params = { id: string };

/**
 * GET /api/admin/outbox/{id} — admins. One outgoing mail: the list fields plus messageId,
 * inReplyTo, references, headers (List-Unsubscribe, …), text, hasHtml (the HTML part is at
 * /api/admin/outbox/{id}/html), handler, eventId. Errors: 401, 403, 404.
 */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params }) => getOutbox(await getDb(), parseRowId(params.id, "Mail")));
