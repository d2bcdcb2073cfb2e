import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getTicketDetail } from "@/lib/tickets/get-ticket";
import { UpdateTicketSchema } from "@/lib/tickets/schemas";
import { updateTicket } from "@/lib/tickets/update-ticket";

export const dynamic = "force-dynamic";

/**
 * GET /api/tickets/{key} → 200 {ticket, comments, history, triage}. Requesters get their own
 * tickets with public replies only (history and triage empty); anything else is 404.
 */
export const GET = route<{ key: string }>({ auth: "requester", scope: "tickets:read" }, async ({ params, principal }) =>
  getTicketDetail(await getDb(), params.key, principal),
);

/**
 * PATCH /api/tickets/{key} — agents only. Body: any of status, waitingReason (with status waiting), priority, category, team,
 * assignee (user id|null), resolution, needsReview:false. → 200 {ticket}.
 * Errors: 400, 401, 403 (requester), 404, 409 invalid_transition, 422 unknown category/team/assignee.
 */
export const PATCH = route<{ key: string }, undefined, typeof UpdateTicketSchema>(
  { auth: "requester", scope: "tickets:write", body: UpdateTicketSchema },
  async ({ params, body, principal }) => ({ ticket: await updateTicket(await getDb(), params.key, body, principal!) }),
);
