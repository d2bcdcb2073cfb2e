import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { createTicket } from "@/lib/tickets/create-ticket";
import { listTickets } from "@/lib/tickets/list-tickets";
import { CreateTicketSchema, ListTicketsQuerySchema } from "@/lib/tickets/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/tickets — newest first, or `sort=due` (the active SLA target's due time, soonest first).
 * Query: status, priority, sla (on_track|at_risk|breached|met|paused) (comma lists, repeated, or
 * both), category, team, assignee (uuid|me|none), email, needsReview, q (typo-tolerant full-text, requester e-mail/name; items then carry `highlight`), createdFrom /
 * createdTo (ISO 8601 instants with offset; from inclusive, to exclusive), waitingReason
 * (requester|third_party), limit (1–100, default 25), cursor, sort (created|due).
 * → 200 {items: Ticket[] (each with `sla` or null), nextCursor: string|null}. Requesters see only their own tickets.
 * Errors: 400 validation_error (also for any other parameter given twice, a cursor of the other
 * sort, and sort=due with a full-text q), 401.
 */
export const GET = route({ auth: "requester", scope: "tickets:read", query: ListTicketsQuerySchema }, async ({ query, principal }) =>
  listTickets(await getDb(), query, principal!),
);

/**
 * POST /api/tickets — body CreateTicketSchema (title ≤ 200, description ≤ 5000, email,
 * priority?, category?, module?, project?, source?, metadata?), JSON ≤ 64 KB.
 * → 201 {ticket, triage}: triage = suggested category/priority/team with confidence,
 * alternatives, provider, model, latencyMs and which fields the caller overrode.
 * Errors: 400 invalid_json/validation_error, 401, 403 (requester filing for another e-mail),
 * 413, 415, 422 unknown category/module/project.
 */
export const POST = route({ auth: "requester", scope: "tickets:write", body: CreateTicketSchema }, async ({ body, principal }) => {
  const result = await createTicket(await getDb(), body, { principal, defaultSource: "api" });
  return json(result, 201, { Location: `/api/tickets/${result.ticket.key}` });
});
