import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { MergeBodySchema, mergeTicket } from "@/lib/tickets/merge";

export const dynamic = "force-dynamic";

/**
 * POST /api/tickets/{key}/merge — agents. Body {into: "T-…"}: merge this ticket (the duplicate)
 * into its primary: comments (with their attachments) move to the primary, which gets an
 * internal note; the duplicate gets a public reply naming the primary and is closed; its
 * requester watches the primary when they are not its requester.
 * → 200 {merged, into, movedComments, movedAttachments, watcherAdded}.
 * Errors: 400, 401, 403 (requesters), 404 (either ticket), 409 (either is closed or already
 * merged), 422 (into itself).
 */
export const POST = route<{ key: string }, undefined, typeof MergeBodySchema>({ auth: "agent", scope: "tickets:write", body: MergeBodySchema }, async ({ params, body, principal }) =>
  mergeTicket(await getDb(), params.key, body.into, principal!),
);
