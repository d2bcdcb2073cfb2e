import { getDb } from "@/db/client";
import { readIdempotencyKey, REPLAYED_HEADER, requestHash, withIdempotency } from "@/lib/http/idempotency";
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
 * Header `Idempotency-Key` (optional, 1–255 printable ASCII): a repeat with the same body within
 * 24 h returns the stored answer with `Idempotent-Replayed: true` and creates nothing, so a client
 * whose request failed in transit (a 503 while the database was cut, a timeout) retries safely.
 * Errors: 400 invalid_json/validation_error/bad_request (Idempotency-Key), 401, 403 (requester
 * filing for another e-mail), 409 idempotency_conflict (same key, different body), 413, 415,
 * 422 unknown category/module/project, 503 unavailable (database down; retry with the same key).
 */
export const POST = route({ auth: "requester", scope: "tickets:write", body: CreateTicketSchema }, async ({ req, body, principal }) => {
  const key = readIdempotencyKey(req.headers);
  const db = await getDb();
  if (key === null) {
    const result = await createTicket(db, body, { principal, defaultSource: "api" });
    return json(result, 201, { Location: `/api/tickets/${result.ticket.key}` });
  }
  // Anonymous public submissions (PUBLIC_SUBMISSIONS) share one scope; a replay needs the same body.
  const scope = principal ? `tickets:${principal.kind}:${principal.id}` : "tickets:public";
  const outcome = await withIdempotency(
    db,
    { scope, key, requestHash: requestHash(body), apiKeyId: principal?.kind === "api_key" ? principal.id : null },
    async (tx) => {
      const result = await createTicket(tx, body, { principal, defaultSource: "api" });
      return { status: 201, body: result };
    },
  );
  if (outcome.kind === "conflict") return json(outcome.body, outcome.status);
  const ticketKey = (outcome.body as { ticket?: { key?: string } }).ticket?.key;
  const headers: Record<string, string> = ticketKey ? { Location: `/api/tickets/${ticketKey}` } : {};
  if (outcome.kind === "replayed") headers[REPLAYED_HEADER] = "true";
  return json(outcome.body, outcome.status, headers);
});
