import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { getCsat, rateTicket } from "@/lib/portal/csat";
import { CsatSchema } from "@/lib/portal/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/tickets/{key}/csat — the ticket's satisfaction rating, for its requester and agents.
 * → 200 {rating: {rating: "good"|"bad", comment, createdAt} | null, canRate}.
 * Errors: 401, 404 unknown or someone else's ticket.
 */
export const GET = route<{ key: string }>({ auth: "requester", scope: "tickets:read" }, async ({ params, principal }) => getCsat(await getDb(), params.key, principal!));

/**
 * POST /api/tickets/{key}/csat — body {rating: "good"|"bad", comment?} (≤ 1,000 chars): the
 * requester rates their resolved or closed ticket, once. Stored with the ticket's team and
 * assignee at rating time. → 201 {rating}.
 * Errors: 400 bad body, 401, 404 unknown ticket, someone else's, or the caller is an agent;
 * 409 conflict (already rated) or invalid_transition (not resolved or closed yet).
 */
export const POST = route<{ key: string }, undefined, typeof CsatSchema>({ auth: "requester", scope: "tickets:write", body: CsatSchema }, async ({ params, body, principal }) =>
  json(await rateTicket(await getDb(), params.key, body, principal!), 201),
);
