import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { removeLink } from "@/lib/tickets/links";

export const dynamic = "force-dynamic";

/**
 * DELETE /api/tickets/{key}/links/{other} — agents: unrelate two tickets (audit
 * `ticket.link_removed` on both). → 200 {links}. Errors: 401, 403, 404 (either ticket, or not
 * related), 422 (the same ticket twice).
 */
export const DELETE = route<{ key: string; other: string }>({ auth: "agent", scope: "tickets:write" }, async ({ params, principal }) =>
  removeLink(await getDb(), params.key, params.other.toUpperCase(), principal!),
);
