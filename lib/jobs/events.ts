import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { domainEvents } from "@/db/schema";
import { currentRequestId } from "@/lib/observability/request-context";

/**
 * Domain events: facts about tickets, written to the `domain_events` outbox in the SAME
 * transaction as the change that causes them (a change and its event commit together or not
 * at all). The dispatcher (lib/jobs/dispatcher.ts) turns each into jobs for the handlers that
 * subscribe to its type; per-process caches tail the stream with {@link readEventsAfter}.
 *
 * Payloads:
 * - `ticket.created`: `{key, status, priority, category, team, source, requesterEmail, unverified}`
 * - `ticket.updated`: `{key, changes: {field: {from, to}}}` — fields other than status
 * - `ticket.status_changed`: `{key, from, to, waitingReason, reason}` (reason: agent, requester_reply, …)
 * - `comment.added`: `{key, commentId, internal, authorRole}`
 * - `ticket.follow_up_created`: `{key, followUpOf}` (a reply to a closed ticket opened a new one)
 * - `ticket.merged`: `{key, into, movedComments, movedAttachments}` (a duplicate was merged into
 *   its primary `into` and closed; lib/tickets/merge.ts)
 * - `upload.completed`: `{uploadId, kind}` (a sheet passed its content check and waits for processing)
 * - `ticket.sla_warning` / `ticket.sla_breached`: `{key, breachId, target, level, cycle, dueAt,
 *   policy, priority, teamSlug, assigneeId, actions}` (the breach sweep, lib/sla/sweep.ts: once
 *   per (ticket, target, level, cycle))
 * - `odata.run_finished`: `{runId, sourceId, sourceName, status, fetched, created, updated, skipped, errors}`
 *   (ticketId null; lib/odata)
 * - `ticket.csat_rated`: `{key, rating}` (the requester rated a resolved ticket; lib/portal/csat.ts)
 * - `category.example_added`: `{category, exampleId, title, description}` (ticketId null; an admin
 *   taught a category an example ticket; every process's local model learns it, lib/triage/learning.ts)
 */
export const DOMAIN_EVENT_TYPES = [
  "ticket.created",
  "ticket.updated",
  "ticket.status_changed",
  "comment.added",
  "ticket.follow_up_created",
  "ticket.merged",
  "upload.completed",
  "ticket.sla_warning",
  "ticket.sla_breached",
  "odata.run_finished",
  "ticket.csat_rated",
  "category.example_added",
] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

export interface EventActor {
  type: string;
  id: string | null;
  label: string;
}

export interface DomainEventInput {
  type: DomainEventType;
  ticketId: number | null;
  actor: EventActor | null;
  payload: Record<string, unknown>;
}

export interface DomainEvent extends DomainEventInput {
  id: number;
  /** ISO timestamp of the writing transaction's insert. */
  createdAt: string;
  /** The request id of the request or job that emitted it (its jobs run under it), or null. */
  requestId?: string | null;
}

/**
 * Append events in the caller's transaction, stamped with the current request id (the request
 * or job in progress, lib/observability/request-context.ts) so their jobs log and call out under it.
 * @returns their ids, in order.
 */
export async function emitEvents(db: DbOrTx, events: DomainEventInput[]): Promise<number[]> {
  if (events.length === 0) return [];
  const inserted = await db
    .insert(domainEvents)
    .values(events.map((e) => ({ type: e.type, ticketId: e.ticketId, actor: e.actor, payload: e.payload, requestId: currentRequestId() ?? null })))
    .returning({ id: domainEvents.id });
  return inserted.map((r) => Number(r.id));
}

/** One event, or null when it does not exist (e.g. its ticket was deleted). */
export async function getEvent(db: DbOrTx, id: number): Promise<DomainEvent | null> {
  const [r] = await rows<RawEvent>(db, sql`${SELECT_EVENT} WHERE id = ${id}`);
  return r ? toEvent(r) : null;
}

/** A position in the commit-ordered event stream: (transaction id, event id). */
export interface EventCursor {
  txId: string;
  id: number;
}

/** SELECT of an event row in the shape {@link toEvent} reads (add WHERE …). */
export const SELECT_EVENT = sql`SELECT id::float8 AS id, type, ticket_id::float8 AS ticket_id, actor, payload,
  created_at::text AS created_at, tx_id::text AS tx_id, request_id FROM domain_events`;

/** An event row as {@link SELECT_EVENT} returns it. */
export interface RawEvent extends Record<string, unknown> {
  id: number;
  type: DomainEventType;
  ticket_id: number | null;
  actor: EventActor | string | null;
  payload: Record<string, unknown> | string;
  created_at: string;
  tx_id: string;
  request_id?: string | null;
}

/** Map a {@link SELECT_EVENT} row to a {@link DomainEvent} (the drivers differ on jsonb: text or object). */
export function toEvent(r: RawEvent): DomainEvent {
  return {
    id: Number(r.id),
    type: r.type,
    ticketId: r.ticket_id === null ? null : Number(r.ticket_id),
    actor: (typeof r.actor === "string" ? JSON.parse(r.actor) : r.actor) as EventActor | null,
    payload: (typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    createdAt: r.created_at,
    requestId: r.request_id ?? null,
  };
}

/**
 * The stream position now: every event at or before it is committed (or rolled back) for good.
 * Start a tail here to see only events committed after this call.
 */
export async function currentEventCursor(db: DbOrTx): Promise<EventCursor> {
  const [r] = await rows<{ xmin: string }>(db, sql`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
  // Every transaction id below xmin has finished; events of those are final. Start just below xmin.
  return { txId: (BigInt(r.xmin) - 1n).toString(), id: Number.MAX_SAFE_INTEGER };
}

/**
 * Events after `cursor` in commit order, up to `limit`, optionally of some types only.
 *
 * Commit order, not id order: ids are taken when a row is inserted, but transactions commit
 * in any order, so a reader that only remembered the highest id would skip an event whose
 * transaction commits late. Instead each row carries its transaction id (`tx_id`), and we
 * read only rows whose transaction is older than every transaction still running
 * (`pg_snapshot_xmin`): those can never be joined by a late commit. Ordered by (tx_id, id).
 *
 * @returns the events and the cursor to pass next time (unchanged when none).
 */
export async function readEventsAfter(
  db: DbOrTx,
  cursor: EventCursor,
  opts: { types?: readonly DomainEventType[]; limit?: number } = {},
): Promise<{ events: DomainEvent[]; cursor: EventCursor }> {
  const limit = opts.limit ?? 1000;
  // The horizon is read first, in its own statement: every transaction below it has finished,
  // so the next statement sees all of their events.
  const horizon = await currentEventCursor(db);
  if (compareCursor(horizon, cursor) <= 0) return { events: [], cursor };
  const typeFilter = opts.types?.length
    ? sql` AND type IN (${sql.join(opts.types.map((t) => sql`${t}`), sql`, `)})`
    : sql``;
  const batch = await rows<RawEvent>(
    db,
    sql`${SELECT_EVENT}
        WHERE (tx_id, id) > (${cursor.txId}::xid8, ${cursor.id}::bigint)
          AND tx_id <= ${horizon.txId}::xid8${typeFilter}
        ORDER BY tx_id, id LIMIT ${limit}`,
  );
  if (batch.length < limit) return { events: batch.map(toEvent), cursor: horizon };
  const last = batch[batch.length - 1];
  return { events: batch.map(toEvent), cursor: { txId: last.tx_id, id: Number(last.id) } };
}

function compareCursor(a: EventCursor, b: EventCursor): number {
  const ax = BigInt(a.txId);
  const bx = BigInt(b.txId);
  if (ax !== bx) return ax < bx ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}
