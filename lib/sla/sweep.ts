import "server-only";
import { metrics } from "@/lib/observability/metrics";
import { and, asc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import { queryPrepared, type Db, type DbOrTx } from "@/db/client";
import { auditEvents, slaBreaches, slaPolicies, ticketSlas, tickets } from "@/db/schema";
import type { Priority } from "@/db/schema/enums";
import { emitEvents, type DomainEventInput } from "@/lib/jobs/events";
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
 *    throws the first error after committing the rest), each with a fixed number of statements
 *    (set-based: one per step for the whole chunk). Lock the chunk's ticket_slas and tickets rows
 *    `FOR UPDATE SKIP LOCKED` (a row another sweep or a ticket update holds is left for the next
 *    pass; never waiting means no deadlock with updates that lock the ticket first), re-read
 *    under the lock and skip a ticket whose `next_check_at` moved past `now`.
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
      add(await db.transaction((tx) => sweepTickets(tx, chunk, now)));
    } catch (err) {
      // One ticket failing must not hold back the others: redo the chunk one ticket per transaction.
      logger.warn({ err, tickets: chunk.length }, "SLA sweep chunk failed; retrying its tickets one by one");
      for (const id of chunk) {
        try {
          add(await db.transaction((tx) => sweepTickets(tx, [id], now)));
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

/**
 * Steps 2–5 of {@link runSlaSweep} for a chunk of tickets, in the caller's transaction, with a
 * fixed number of statements per chunk rather than per ticket (docs/PERFORMANCE.md, "SLA breach
 * sweep"): one lock of every row, one read of the recorded levels, one multi-row breach insert,
 * one multi-row audit insert, one multi-row domain-event insert and one `next_check_at` update.
 * Only escalations (a breach whose policy escalates) and the clock recomputation after one that
 * changed the ticket still run per ticket. Tickets are handled in `ticketIds` order (the
 * due order), and their events and audit rows are written in that order.
 */
async function sweepTickets(tx: DbOrTx, ticketIds: readonly number[], now: Date): Promise<{ warnings: number; breaches: number }> {
  const counts = { warnings: 0, breaches: 0 };
  if (ticketIds.length === 0) return counts;
  const lockedRows = await tx
    .select({ sla: ticketSlas, key: tickets.key, priority: tickets.priority, teamSlug: tickets.teamSlug, assigneeId: tickets.assigneeId })
    .from(ticketSlas)
    .innerJoin(tickets, eq(tickets.id, ticketSlas.ticketId))
    .where(inArray(ticketSlas.ticketId, [...ticketIds]))
    .for("update", { of: [ticketSlas, tickets], skipLocked: true });
  // Locked elsewhere (another sweep, a ticket update) or gone: the next pass sees it. A row
  // whose next check moved past `now` under the lock has nothing due.
  const byId = new Map(lockedRows.map((r) => [Number(r.sla.ticketId), r]));
  const locked = ticketIds.flatMap((id) => {
    const r = byId.get(id);
    return r && r.sla.nextCheckAt && r.sla.nextCheckAt.getTime() <= now.getTime() ? [r] : [];
  });
  if (locked.length === 0) return counts;

  const recorded = await tx
    .select({ ticketId: slaBreaches.ticketId, target: slaBreaches.target, level: slaBreaches.level, cycle: slaBreaches.cycle })
    .from(slaBreaches)
    .where(inArray(slaBreaches.ticketId, locked.map((r) => Number(r.sla.ticketId))));
  const doneOf = new Map<number, DoneLevel[]>();
  for (const d of recorded) {
    const id = Number(d.ticketId);
    const list = doneOf.get(id) ?? [];
    list.push({ target: d.target, level: d.level, cycle: Number(d.cycle) });
    doneOf.set(id, list);
  }

  const plans = locked.map((r) => {
    const ticketId = Number(r.sla.ticketId);
    const times = timesOf(r.sla);
    const done = doneOf.get(ticketId) ?? [];
    const due = dueThresholds(times, done, now);
    // The levels recorded after this pass (by this sweep or, on a conflict, by another one).
    const after = [...done, ...due.map((th) => ({ target: th.target, level: th.level, cycle: th.cycle }))];
    const ticket = { id: ticketId, key: r.key, priority: r.priority as Priority, teamSlug: r.teamSlug, assigneeId: r.assigneeId };
    return { sla: r.sla, ticket, times, due, after };
  });

  // ON CONFLICT DO NOTHING: a level another sweep recorded first returns no row and does nothing here.
  const values = plans.flatMap((p) =>
    p.due.map((th) => ({
      ticketId: p.ticket.id,
      target: th.target,
      level: th.level,
      cycle: th.cycle,
      policyId: p.sla.policyId,
      priority: p.ticket.priority,
      teamSlug: p.ticket.teamSlug,
      dueAt: th.dueAt,
      occurredAt: now,
    })),
  );
  const inserted =
    values.length === 0
      ? []
      : await tx
          .insert(slaBreaches)
          .values(values)
          .onConflictDoNothing({ target: [slaBreaches.ticketId, slaBreaches.target, slaBreaches.level, slaBreaches.cycle] })
          .returning({ id: slaBreaches.id, ticketId: slaBreaches.ticketId, target: slaBreaches.target, level: slaBreaches.level, cycle: slaBreaches.cycle });
  const breachIdOf = new Map(inserted.map((b) => [`${Number(b.ticketId)}:${b.target}:${b.level}:${Number(b.cycle)}`, Number(b.id)]));

  const audits: (typeof auditEvents.$inferInsert)[] = [];
  const events: DomainEventInput[] = [];
  const actor = { type: SLA_ACTOR.actorType, id: null, label: SLA_ACTOR.actorLabel };
  const unchanged: { ticketId: number; nextCheckAt: Date | null }[] = [];
  const changed: number[] = [];
  for (const p of plans) {
    const { ticket, sla } = p;
    let escalated = false;
    let ticketChanged = false;
    for (const th of p.due) {
      const breachId = breachIdOf.get(`${ticket.id}:${th.target}:${th.level}:${th.cycle}`);
      if (breachId === undefined) continue;
      let actions: EscalationActions = {};
      if (th.level === "breach" && !escalated) {
        escalated = true;
        actions = await escalate(tx, ticket, sla.policyId, `${TARGET_WORDS[th.target]} breached`);
        ticketChanged = !!(actions.raisedPriority || actions.reassigned);
        if (Object.keys(actions).length > 0) await tx.update(slaBreaches).set({ actions: { ...actions } }).where(eq(slaBreaches.id, breachId));
      }
      const type = th.level === "warning" ? "ticket.sla_warning" : "ticket.sla_breached";
      const dueAt = th.dueAt.toISOString();
      const payload = {
        key: ticket.key,
        breachId,
        target: th.target,
        level: th.level,
        cycle: th.cycle,
        dueAt,
        policy: sla.policyName,
        priority: ticket.priority,
        teamSlug: ticket.teamSlug,
        assigneeId: ticket.assigneeId,
        actions,
      };
      audits.push({
        ticketId: ticket.id,
        entityType: "ticket",
        entityId: ticket.key,
        ...SLA_ACTOR,
        action: type,
        before: null,
        after: { breachId, target: th.target, level: th.level, cycle: th.cycle, dueAt, policy: sla.policyName, actions },
      });
      events.push({ type, ticketId: ticket.id, actor, payload });
      if (th.level === "warning") counts.warnings++;
      else {
        counts.breaches++;
        metrics().slaBreaches.inc({ metric: th.target });
      }
    }
    if (ticketChanged) changed.push(ticket.id);
    else unchanged.push({ ticketId: ticket.id, nextCheckAt: nextCheckAt(p.times, p.after) });
  }
  if (audits.length > 0) await tx.insert(auditEvents).values(audits);
  await emitEvents(tx, events);
  // A raised priority or a new team can change the policy and the due times: the clock service
  // recomputes them (and next_check_at, from the levels now recorded). Otherwise only the next check moves.
  for (const id of changed) await recomputeTicketSla(tx, id, now);
  if (unchanged.length > 0) {
    await queryPrepared(
      tx,
      `UPDATE ticket_slas AS s SET next_check_at = u.next_check_at, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS u(ticket_id bigint, next_check_at timestamptz)
        WHERE s.ticket_id = u.ticket_id`,
      [JSON.stringify(unchanged.map((u) => ({ ticket_id: u.ticketId, next_check_at: u.nextCheckAt?.toISOString() ?? null })))],
    );
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
