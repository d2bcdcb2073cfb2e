import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { setRequesterStatus } from "@/lib/portal/requester-status";
import { RequesterStatusSchema } from "@/lib/portal/schemas";

export const dynamic = "force-dynamic";

/**
 * POST /api/tickets/{key}/requester-status — the ticket's requester (session or their requester
 * API key): body {action: "solve", note?} marks it resolved (the note, or "Solved by the
 * requester", becomes the resolution); {action: "reopen"} reopens it while resolved within
 * REOPEN_WINDOW_DAYS. Through the ticket lifecycle (cause `requester`, audited, events and mails).
 * → 200 {ticket: {key, status, resolution}}.
 * Errors: 400 bad body, 401, 403 agents/admins (they use PATCH /api/tickets/{key}), 404 unknown
 * or someone else's ticket, 409 invalid_transition (already resolved, not resolved, closed, or
 * past the reopen window; `details.move` is what is possible: solve, reopen or new_request).
 */
export const POST = route<{ key: string }, undefined, typeof RequesterStatusSchema>({ auth: "requester", scope: "tickets:write", body: RequesterStatusSchema }, async ({ params, body, principal }) =>
  setRequesterStatus(await getDb(), params.key, body, principal!),
);
