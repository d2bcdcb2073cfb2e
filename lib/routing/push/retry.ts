import "server-only";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, externalPushes, externalTargets, tickets } from "@/db/schema";
import type { PushAction, TargetKind } from "@/db/schema/routing";
import { ApiError } from "@/lib/http/errors";
import type { AuditActor } from "@/lib/tickets/access";
import { enqueuePush } from "./enqueue";

/**
 * Manual retry of a dead push (the dead-letter list's retry button): in ONE transaction, lock
 * the push, set it back to `pending` (attempts are kept: they count HTTP calls, and a create
 * with attempts > 0 looks the record up before creating it again), enqueue a fresh
 * `routing.push` job with the target's retry options, and write the audit event
 * `external_push.retried` on the ticket.
 *
 * @throws ApiError `not_found` (no push `pushId`), `conflict` (the push is not dead).
 */
export async function retryPush(db: DbOrTx, pushId: number, actor: AuditActor): Promise<void> {
  await db.transaction(async (tx) => {
    const [p] = await tx
      .select({
        id: externalPushes.id,
        ticketId: externalPushes.ticketId,
        status: externalPushes.status,
        attempts: externalPushes.attempts,
        lastError: externalPushes.lastError,
        lastStatusCode: externalPushes.lastStatusCode,
        retryLimit: externalTargets.retryLimit,
        retryDelayS: externalTargets.retryDelayS,
        targetName: externalTargets.name,
      })
      .from(externalPushes)
      .innerJoin(externalTargets, eq(externalTargets.id, externalPushes.targetId))
      .where(eq(externalPushes.id, pushId))
      .for("update", { of: externalPushes })
      .limit(1);
    if (!p) throw new ApiError("not_found", "Push not found", { pushId });
    if (p.status !== "dead") throw new ApiError("conflict", `Only a dead push can be retried; this one is ${p.status}`, { pushId, status: p.status });
    await tx.update(externalPushes).set({ status: "pending", doneAt: null }).where(eq(externalPushes.id, pushId));
    await enqueuePush(tx, pushId, p);
    await tx.insert(auditEvents).values({
      ticketId: p.ticketId,
      entityType: "external_push",
      entityId: String(pushId),
      ...actor,
      action: "external_push.retried",
      before: { status: "dead", attempts: p.attempts, lastStatusCode: p.lastStatusCode, lastError: p.lastError },
      after: { status: "pending", target: p.targetName },
    });
  });
}

/** One row of the dead-letter list. */
export interface DeadPush {
  id: number;
  ticketKey: string;
  targetName: string;
  kind: TargetKind;
  action: PushAction;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** ISO time of the last attempt; null when it never ran (e.g. its target's secrets could not be opened). */
  lastAttemptAt: string | null;
}

/**
 * Dead pushes, newest first (by id), `limit` at most (1–200), optionally only those with an id
 * below `before` (paging: pass the last row's id).
 */
export async function listDeadPushes(db: DbOrTx, opts: { limit: number; before?: number }): Promise<DeadPush[]> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit), 1), 200);
  const r = await db
    .select({
      id: externalPushes.id,
      ticketKey: tickets.key,
      targetName: externalTargets.name,
      kind: externalTargets.kind,
      action: externalPushes.action,
      attempts: externalPushes.attempts,
      lastStatusCode: externalPushes.lastStatusCode,
      lastError: externalPushes.lastError,
      lastAttemptAt: externalPushes.lastAttemptAt,
    })
    .from(externalPushes)
    .innerJoin(externalTargets, eq(externalTargets.id, externalPushes.targetId))
    .innerJoin(tickets, eq(tickets.id, externalPushes.ticketId))
    .where(and(eq(externalPushes.status, "dead"), opts.before !== undefined ? lt(externalPushes.id, opts.before) : sql`true`))
    .orderBy(desc(externalPushes.id))
    .limit(limit);
  return r.map((x) => ({
    ...x,
    id: Number(x.id),
    lastAttemptAt: x.lastAttemptAt ? new Date(x.lastAttemptAt).toISOString() : null,
  }));
}
