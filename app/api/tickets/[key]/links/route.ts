import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { addLink, LinkBodySchema, listRelatedByKey } from "@/lib/tickets/links";

export const dynamic = "force-dynamic";

/**
 * GET /api/tickets/{key}/links — agents: related tickets, both directions.
 * → 200 {links: [{key, title, status}]}. Errors: 401, 403, 404.
 */
export const GET = route<{ key: string }>({ auth: "agent", scope: "tickets:read" }, async ({ params, principal }) => listRelatedByKey(await getDb(), params.key, principal!));

/**
 * POST /api/tickets/{key}/links — agents. Body {key: "T-…"}: relate the two tickets (audit
 * `ticket.link_added` on both). → 201 {added: true, links} when new, 200 {added: false, links}
 * when already related. Errors: 400, 401, 403, 404 (either ticket), 422 (itself).
 */
export const POST = route<{ key: string }, undefined, typeof LinkBodySchema>({ auth: "agent", scope: "tickets:write", body: LinkBodySchema }, async ({ params, body, principal }) => {
  const r = await addLink(await getDb(), params.key, body.key, principal!);
  return json(r, r.added ? 201 : 200);
});
