import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getInbound } from "@/lib/mail/admin/inbound";
import { parseRowId } from "@/lib/mail/admin/outbox";

export const dynamic = "force-dynamic";

type Params = { id: string };

/**
 * GET /api/admin/inbound/{id} — admins. One inbound message parsed with mailparser: the list
 * fields plus headers [{name, value}], text (the text part, or the HTML part converted to text;
 * HTML itself is never returned), textFromHtml, attachments [{filename, contentType, sizeBytes}],
 * parseError. The raw message is at /api/admin/inbound/{id}/raw. Errors: 401, 403, 404.
 */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params }) => getInbound(await getDb(), parseRowId(params.id, "Inbound message")));
