import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { externalPushes, externalTargets, ticketExternalLinks, tickets } from "@/db/schema";
import type { PushAction } from "@/db/schema/routing";
import type { DomainEvent } from "@/lib/jobs/events";
import { activeTargetRows } from "@/lib/routing/targets/resolve";
import { meetsThreshold } from "@/lib/routing/targets/types";
import { PROTOCOLS } from "./deliver";
import { enqueuePush, ORDER_WINDOW_H, PLAN_HANDLER } from "./enqueue";

type TargetRow = typeof externalTargets.$inferSelect;

/**
 * Planning an update or comment push must wait: an earlier event of the ticket that may plan a
 * create push is not planned yet. Thrown in the planning job's transaction, so the job fails and
 * pg-boss plans the event again after its retry delay.
 */
export class PlanNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanNotReadyError";
  }
}

/** Whether an event may need pushes (cheap, pure: the dispatcher's filter). Internal notes never do. */
export function wantsPushes(event: DomainEvent): boolean {
  switch (event.type) {
    case "ticket.created":
    case "ticket.status_changed":
      return true;
    case "ticket.updated": {
      const changes = (event.payload.changes ?? {}) as Record<string, unknown>;
      return "team" in changes || "priority" in changes;
    }
    case "comment.added":
      return event.payload.internal === false;
    default:
      return false;
  }
}

/**
 * Plan the external pushes an event causes, in the caller's transaction (the job's, so the
 * pushes, their queued `routing.push` jobs and the job's receipt commit together):
 *
 * - `ticket.created`, and `ticket.updated` when the team or priority changed: a `create` push
 *   to each active target of the ticket's (current) team whose threshold its priority meets
 *   and that holds no record of the ticket and has no create push for it yet (pending, done
 *   or dead: a dead one waits for an admin's retry).
 * - `ticket.status_changed` → `update`, public `comment.added` → `comment` pushes to each
 *   active target that holds the ticket's record or has a create push on the way. These wait
 *   (throw {@link PlanNotReadyError}) while an earlier create-planning event of the ticket (its
 *   `ticket.created`, a team or priority change; last 6 h) has no planning receipt yet: a reply
 *   made a moment after the ticket was filed was planned before the ticket's create push existed,
 *   found no target, and was never pushed (tests/routing/push-order.test.ts).
 *
 * Each push is unique per (target, event); its job gets the target's retry options.
 * @returns the ids of the pushes created.
 * @throws PlanNotReadyError (see above).
 */
export async function planPushes(tx: DbOrTx, event: DomainEvent): Promise<number[]> {
  if (event.ticketId === null || !wantsPushes(event)) return [];
  const [ticket] = await tx
    .select({ id: tickets.id, team: tickets.teamSlug, priority: tickets.priority })
    .from(tickets)
    .where(eq(tickets.id, event.ticketId))
    .limit(1);
  if (!ticket) return [];
  let action: PushAction;
  let targets: TargetRow[];
  if (event.type === "ticket.created" || event.type === "ticket.updated") {
    if (!ticket.team) return [];
    action = "create";
    const candidates = (await activeTargetRows(tx, ticket.team)).filter((t) => meetsThreshold(ticket.priority, t.priorityThreshold));
    const taken = await targetsWithRecord(tx, ticket.id, ["pending", "done", "dead"]);
    targets = candidates.filter((t) => !taken.has(t.id));
  } else {
    action = event.type === "ticket.status_changed" ? "update" : "comment";
    const waitFor = await unplannedCreateEvent(tx, ticket.id, event.id);
    if (waitFor !== null) throw new PlanNotReadyError(`event ${event.id}: event ${waitFor} of the same ticket is not planned yet`);
    const reached = await targetsWithRecord(tx, ticket.id, ["pending", "done"]);
    if (reached.size === 0) return [];
    targets = await tx
      .select()
      .from(externalTargets)
      .where(and(inArray(externalTargets.id, [...reached]), eq(externalTargets.active, true)));
  }
  targets = targets.filter((t) => PROTOCOLS[t.kind].supports(action));
  const ids: number[] = [];
  for (const t of targets) {
    const [p] = await tx
      .insert(externalPushes)
      .values({ ticketId: ticket.id, targetId: t.id, eventId: event.id, action })
      .onConflictDoNothing()
      .returning({ id: externalPushes.id });
    if (!p) continue;
    await enqueuePush(tx, Number(p.id), t);
    ids.push(Number(p.id));
  }
  return ids;
}

/**
 * An earlier event of the ticket that plans create pushes (the dispatcher hands it to the planner:
 * {@link wantsPushes}) and has no planning receipt yet, within the last {@link ORDER_WINDOW_H} h
 * (as delivery's own ordering check, lib/routing/push/deliver.ts `earlierWork`). @returns its id,
 * or null.
 */
async function unplannedCreateEvent(tx: DbOrTx, ticketId: number, eventId: number): Promise<number | null> {
  const [r] = await rows<{ id: number }>(
    tx,
    sql`SELECT e.id::float8 AS id FROM domain_events e
        WHERE e.ticket_id = ${ticketId} AND e.id < ${eventId} AND e.created_at > now() - make_interval(hours => ${ORDER_WINDOW_H}::int)
          AND (e.type = 'ticket.created' OR (e.type = 'ticket.updated' AND (e.payload->'changes' ? 'team' OR e.payload->'changes' ? 'priority')))
          AND NOT EXISTS (SELECT 1 FROM job_receipts j WHERE j.handler = ${PLAN_HANDLER} AND j.event_id = e.id)
        ORDER BY e.id LIMIT 1`,
  );
  return r ? r.id : null;
}

/** Targets that hold the ticket's record, or have a create push for it in one of `statuses`. */
async function targetsWithRecord(tx: DbOrTx, ticketId: number, statuses: string[]): Promise<Set<string>> {
  const linked = await tx.select({ id: ticketExternalLinks.targetId }).from(ticketExternalLinks).where(eq(ticketExternalLinks.ticketId, ticketId));
  const creating = await tx
    .select({ id: externalPushes.targetId })
    .from(externalPushes)
    .where(
      and(
        eq(externalPushes.ticketId, ticketId),
        eq(externalPushes.action, "create"),
        sql`${externalPushes.status} IN (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)})`,
      ),
    );
  return new Set([...linked, ...creating].map((r) => r.id));
}
