import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { externalPushes, externalTargets, ticketExternalLinks, tickets } from "@/db/schema";
import type { PushAction } from "@/db/schema/routing";
import type { DomainEvent } from "@/lib/jobs/events";
import { activeTargetRows } from "@/lib/routing/targets/resolve";
import { meetsThreshold } from "@/lib/routing/targets/types";
import { PROTOCOLS } from "./deliver";
import { enqueuePush } from "./enqueue";

type TargetRow = typeof externalTargets.$inferSelect;

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
 *   active target that holds the ticket's record or has a create push on the way.
 *
 * Each push is unique per (target, event); its job gets the target's retry options.
 * @returns the ids of the pushes created.
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
