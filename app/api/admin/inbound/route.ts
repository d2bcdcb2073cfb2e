import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { listInbound } from "@/lib/mail/admin/inbound";
import { ListInboundQuerySchema } from "@/lib/mail/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/admin/inbound[?status=][&limit=50][&cursor=] — admins. Inbound e-mail newest first.
 * → 200 {items: [{id, receivedAt, processedAt, source, from, subject, status, action, reason,
 * error, ticketKey, sizeBytes, messageId}], nextCursor}. Errors: 400, 401, 403.
 */
export const GET = route({ auth: "admin", scope: "admin", query: ListInboundQuerySchema }, async ({ query }) => listInbound(await getDb(), query));
