import "server-only";
import { metrics } from "@/lib/observability/metrics";
import { and, asc, eq, isNotNull, lte, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { auditEvents, slaBreaches, slaPolicies, ticketSlas, tickets } from "@/db/schema";
import type { Priority } from "@/db/schema/enums";
import { emitEvents } from "@/lib/jobs/events";
import { logger } from "@/lib/observability/logger";
import { recomputeTicketSla } from "./clock-service";
import { escalateTicket, SLA_ACTOR, type EscalationActions } from "./escalation";
import { dueThresholds, nextCheckAt, timesOf, type DoneLevel } from "./next-check";

/** Tickets taken per sweep call by default. */
export const SWEEP_BATCH = 500;
/**
 * Tickets handled per transaction. Each commit waits for a WAL flush (6–12 ms on this
 * machine's disk, docs/PERFORMANCE.md), so one transaction per ticket made a sweep of 100 due
 * tickets take > 1 s; 100 per transaction keeps row locks short and the flushes few.
 */
export const SWEEP_TX_TICKETS = 100;

/** What one sweep call did: rows due (selected), and warnings and breaches it recorded. */
export interface SweepResult {
  checked: number;
  warnings: number;
  breaches: number;
}

/** Display words of a target (mail, Slack, audit). */
export const TARGET_WORDS = { first_response: "first response", next_response: "next response", resolution: "resolution" } as const;

export { dueThresholds, timesOf };

/**
 * The breach sweep (the `sla.sweep` task, every minute): record the SLA warnings and breaches
 * that came due by `now`, exactly once per (ticket, target, level, cycle), even with several
 * instances sweeping at once.
 *
 * 1. Select up to `limit` (default {@link SWEEP_BATCH}) ticket_slas rows with
 *    `next_check_at <= now`, earliest first (the partial index ticket_slas_next_check_idx: the
 *    cost follows the tickets coming due, not the table size).
 * 2. Tickets in transactions of up to {@link SWEEP_TX_TICKETS} (one that fails is redone one
 *    ticket per transaction, so a bad ticket does not hold back the others; the run then
 *    throws the first error after committing the rest). Per ticket: lock its ticket_slas and tickets rows
 *    `FOR UPDATE SKIP LOCKED` (a row another sweep or a ticket update holds is left for the next
 *    pass; never waiting means no deadlock with updates that lock the ticket first), re-read
 *    under the lock and skip when `next_check_at` moved past `now`.
 * 3. For each threshold of {@link dueThresholds}: INSERT the sla_breaches row
 *    ON CONFLICT (ticket, target, level, cycle) DO NOTHING RETURNING; only a returned row acts:
 *    an audit event `ticket.sla_warning` / `ticket.sla_breached` (actor system "SLA escalation")
 *    and the domain event of the same name (payload: lib/jobs/events.ts), whose jobs mail and
 *    post to Slack/webhooks after commit (lib/sla/notify.ts).
 * 4. The first breach recorded in the pass applies the policy's escalation once
 *    (lib/sla/escalation.ts), stored in that breach's `actions` and its event.
 * 5. `next_check_at` = the next pending threshold (null when none is left or paused); after an
 *    escalation that changed the ticket, the clock service recomputes the whole clock at `now`
 *    instead (lib/sla/clock-service.ts recomputeTicketSla: the new priority's policy, due times,
 *    next_check_at from the levels recorded).
 *
 * @param now the SLA clock's now (slaNow), passed in so tests and the test clock decide it.
 * @returns counts; `checked` equal to `limit` means more may be due (call again).
 */
export async function runSlaSweep(db: Db, now: Date, opts: { limit?: number } = {}): Promise<SweepResult> {
  const due = (await selectDue(db, now, opts.limit ?? SWEEP_BATCH)).map((d) => Number(d.ticketId));
  const result: SweepResult = { checked: due.length, warnings: 0, breaches: 0 };
  const add = (r: { warnings: number; breaches: number }) => {
    result.warnings += r.warnings;
    result.breaches += r.breaches;
  };
  let firstError: unknown = null;
  for (let i = 0; i < due.length; i += SWEEP_TX_TICKETS) {
    const chunk = due.slice(i, i + SWEEP_TX_TICKETS);
    try {
      // One commit (one WAL flush) per chunk, not per ticket: the commit dominated the cost.
      const counts = await db.transaction(async (tx) => {
        const c = { warnings: 0, breaches: 0 };
        for (const id of chunk) {
          const r = await sweepTicket(tx, id, now);
          c.warnings += r.warnings;
          c.breaches += r.breaches;
        }
        return c;
      });
      add(counts);
    } catch (err) {
      // One ticket failing must not hold back the others: redo the chunk one ticket per transaction.
      logger.warn({ err, tickets: chunk.length }, "SLA sweep chunk failed; retrying its tickets one by one");
      for (const id of chunk) {
        try {
          add(await db.transaction((tx) => sweepTicket(tx, id, now)));
        } catch (e) {
          logger.error({ err: e, ticketId: id }, "SLA sweep failed for a ticket");
          firstError ??= e;
        }
      }
    }
  }
  // The others are committed; fail the run so the failure is counted and the job retried.
  if (firstError) throw firstError;
  return result;
}

/**
 * The sweep's candidate query: ticket ids with `next_check_at <= now`, earliest first, at most
 * `limit` (served by the partial index ticket_slas_next_check_idx). Exported for EXPLAIN in tests.
 */
export function selectDue(db: DbOrTx, now: Date, limit: number) {
  return db
    .select({ ticketId: ticketSlas.ticketId })
    .from(ticketSlas)
    .where(and(isNotNull(ticketSlas.nextCheckAt), lte(ticketSlas.nextCheckAt, now)))
    .orderBy(asc(ticketSlas.nextCheckAt))
    .limit(limit);
}

/** Step 2–5 of {@link runSlaSweep} for one ticket, in the caller's transaction. */
async function sweepTicket(tx: DbOrTx, ticketId: number, now: Date): Promise<{ warnings: number; breaches: number }> {
  const counts = { warnings: 0, breaches: 0 };
  const [locked] = await tx
    .select({ sla: ticketSlas, key: tickets.key, priority: tickets.priority, teamSlug: tickets.teamSlug, assigneeId: tickets.assigneeId })
    .from(ticketSlas)
    .innerJoin(tickets, eq(tickets.id, ticketSlas.ticketId))
    .where(eq(ticketSlas.ticketId, ticketId))
    .for("update", { of: [ticketSlas, tickets], skipLocked: true })
    .limit(1);
  // Locked elsewhere (another sweep, a ticket update) or gone: the next pass sees it.
  if (!locked) return counts;
  const sla = locked.sla;
  if (!sla.nextCheckAt || sla.nextCheckAt.getTime() > now.getTime()) return counts;

  const done: DoneLevel[] = (
    await tx.select({ target: slaBreaches.target, level: slaBreaches.level, cycle: slaBreaches.cycle }).from(slaBreaches).where(eq(slaBreaches.ticketId, ticketId))
  ).map((d) => ({ ...d, cycle: Number(d.cycle) }));
  const times = timesOf(sla);
  const ticket = { id: ticketId, key: locked.key, priority: locked.priority as Priority, teamSlug: locked.teamSlug, assigneeId: locked.assigneeId };
  let escalated = false;
  let changed = false;
  for (const th of dueThresholds(times, done, now)) {
    const [row] = await tx
      .insert(slaBreaches)
      .values({
        ticketId,
        target: th.target,
        level: th.level,
        cycle: th.cycle,
        policyId: sla.policyId,
        priority: ticket.priority,
        teamSlug: ticket.teamSlug,
        dueAt: th.dueAt,
        occurredAt: now,
      })
      .onConflictDoNothing({ target: [slaBreaches.ticketId, slaBreaches.target, slaBreaches.level, slaBreaches.cycle] })
      .returning({ id: slaBreaches.id });
    done.push({ target: th.target, level: th.level, cycle: th.cycle });
    if (!row) continue;
    const breachId = Number(row.id);
    let actions: EscalationActions = {};
    if (th.level === "breach" && !escalated) {
      escalated = true;
      actions = await escalate(tx, ticket, sla.policyId, `${TARGET_WORDS[th.target]} breached`);
      changed = !!(actions.raisedPriority || actions.reassigned);
      if (Object.keys(actions).length > 0) await tx.update(slaBreaches).set({ actions: { ...actions } }).where(eq(slaBreaches.id, breachId));
    }
    const type = th.level === "warning" ? "ticket.sla_warning" : "ticket.sla_breached";
    const payload = {
      key: ticket.key,
      breachId,
      target: th.target,
      level: th.level,
      cycle: th.cycle,
      dueAt: th.dueAt.toISOString(),
      policy: sla.policyName,
      priority: ticket.priority,
      teamSlug: ticket.teamSlug,
      assigneeId: ticket.assigneeId,
      actions,
    };
    await tx.insert(auditEvents).values({
      ticketId,
      entityType: "ticket",
      entityId: ticket.key,
      ...SLA_ACTOR,
      action: type,
      before: null,
      after: { breachId, target: th.target, level: th.level, cycle: th.cycle, dueAt: payload.dueAt, policy: sla.policyName, actions },
    });
    await emitEvents(tx, [{ type, ticketId, actor: { type: SLA_ACTOR.actorType, id: null, label: SLA_ACTOR.actorLabel }, payload }]);
    if (th.level === "warning") counts.warnings++;
    else {
      counts.breaches++;
      metrics().slaBreaches.inc({ metric: th.target });
    }
  }
  // A raised priority or a new team can change the policy and the due times: the clock service
  // recomputes them (and next_check_at, from the levels now recorded). Otherwise only the next check moves.
  if (changed) await recomputeTicketSla(tx, ticketId, now);
  else {
    await tx
      .update(ticketSlas)
      .set({ nextCheckAt: nextCheckAt(times, done), updatedAt: sql`now()` as never })
      .where(eq(ticketSlas.ticketId, ticketId));
  }
  return counts;
}

/** The policy's escalation for the locked ticket (nothing when the policy is gone or inactive). */
async function escalate(tx: DbOrTx, ticket: Parameters<typeof escalateTicket>[1], policyId: string | null, why: string): Promise<EscalationActions> {
  if (!policyId) return {};
  const [p] = await tx.select({ escalation: slaPolicies.escalation, active: slaPolicies.active }).from(slaPolicies).where(eq(slaPolicies.id, policyId)).limit(1);
  if (!p || !p.active) return {};
  return escalateTicket(tx, ticket, p.escalation ?? {}, why);
}
