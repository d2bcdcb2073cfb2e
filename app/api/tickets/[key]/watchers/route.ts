import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { addWatcher, listWatchersByKey, removeWatcher, WatcherBodySchema } from "@/lib/tickets/watchers";

export const dynamic = "force-dynamic";

/**
 * GET /api/tickets/{key}/watchers — agents: the ticket's watchers (CC), who get every public
 * message on it by mail (never internal notes). → 200 {watchers: [{email, addedBy, createdAt}]}.
 * Errors: 401, 403 (requesters), 404.
 */
export const GET = route<{ key: string }>({ auth: "agent", scope: "tickets:read" }, async ({ params, principal }) => listWatchersByKey(await getDb(), params.key, principal!));

/**
 * POST /api/tickets/{key}/watchers — body {email}: add a watcher (audit `ticket.watcher_added`).
 * → 201 {added: true, watchers} for a new address, 200 {added: false, watchers} when it already watches.
 * Errors: 400 (not an e-mail address), 401, 403, 404, 422 (the requester's own address).
 */
export const POST = route<{ key: string }, undefined, typeof WatcherBodySchema>({ auth: "agent", scope: "tickets:write", body: WatcherBodySchema }, async ({ params, body, principal }) => {
  const r = await addWatcher(await getDb(), params.key, body.email, principal!);
  return json(r, r.added ? 201 : 200);
});

/**
 * DELETE /api/tickets/{key}/watchers — body {email}: remove a watcher (audit `ticket.watcher_removed`).
 * → 200 {watchers}. Errors: 400, 401, 403, 404 (unknown ticket, or the address does not watch it).
 */
export const DELETE = route<{ key: string }, undefined, typeof WatcherBodySchema>({ auth: "agent", scope: "tickets:write", body: WatcherBodySchema }, async ({ params, body, principal }) =>
  removeWatcher(await getDb(), params.key, body.email, principal!),
);
