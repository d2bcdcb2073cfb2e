import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { addComment } from "@/lib/tickets/add-comment";
import { CreateCommentSchema } from "@/lib/tickets/schemas";

export const dynamic = "force-dynamic";

/**
 * POST /api/tickets/{key}/comments — body {body (≤ 10,000 chars), internal?: boolean, attachmentIds?,
 * status?, waitingReason?}. Agents reply publicly or add internal notes; requesters reply on their
 * own tickets. The first public agent reply sets first_response_at. With `status` (agents only:
 * "send and set status to …") the ticket then moves through the lifecycle in the same transaction;
 * a refused transition stores nothing. → 201 {comment, ticket: {key, status, firstResponseAt}}.
 * Errors: 400, 401, 403 (internal note or status by a requester), 404, 409 (closed ticket, refused
 * transition), 422 (waitingReason without waiting).
 */
export const POST = route<{ key: string }, undefined, typeof CreateCommentSchema>(
  { auth: "requester", scope: "tickets:write", body: CreateCommentSchema },
  async ({ params, body, principal }) => json(await addComment(await getDb(), params.key, body, principal!), 201),
);
