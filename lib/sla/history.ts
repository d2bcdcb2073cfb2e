import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { slaBreaches, ticketSlas, tickets } from "@/db/schema";

import { dueThresholds, nextCheckAt, timesOf, type DoneLevel } from "./next-check";

/** What a quietly recorded threshold's `sla_breaches.actions` says. */
export const QUIET_ACTIONS = { quiet: "the clock started after this threshold had passed (backfill or demo seed): recorded as history, without notifications or escalation" } as const;

/**
 * For a clock that starts late — tickets filed before SLAs were installed (server-start
 * backfill) or written as history (the demo seed) — record the warnings and breaches whose time
 * had already passed at `now` as history: an sla_breaches row each with `occurred_at` = the
 * threshold's own time and {@link QUIET_ACTIONS}, but no audit event, domain event, mail or
 * escalation (nobody could have acted on them), then move `next_check_at` past them. Without
 * this, the first sweep after an upgrade would escalate every old overdue ticket at once.
 * Run inside the transaction that wrote the clock. No-op without a clock or while paused.
 * @returns the number of thresholds recorded.
 */
export async function recordPastThresholds(tx: DbOrTx, ticketId: number, now: Date): Promise<number> {
  const [row] = await tx
    .select({ sla: ticketSlas, priority: tickets.priority, teamSlug: tickets.teamSlug })
    .from(ticketSlas)
    .innerJoin(tickets, eq(tickets.id, ticketSlas.ticketId))
    .where(eq(ticketSlas.ticketId, ticketId))
    .limit(1);
  if (!row) return 0;
  const done: DoneLevel[] = (
    await tx.select({ target: slaBreaches.target, level: slaBreaches.level, cycle: slaBreaches.cycle }).from(slaBreaches).where(eq(slaBreaches.ticketId, ticketId))
  ).map((d) => ({ ...d, cycle: Number(d.cycle) }));
  const times = timesOf(row.sla);
  const past = dueThresholds(times, done, now);
  if (past.length === 0) return 0;
  await tx
    .insert(slaBreaches)
    .values(
      past.map((th) => ({
        ticketId,
        target: th.target,
        level: th.level,
        cycle: th.cycle,
        policyId: row.sla.policyId,
        priority: row.priority,
        teamSlug: row.teamSlug,
        dueAt: th.dueAt,
        occurredAt: th.at,
        actions: { ...QUIET_ACTIONS },
      })),
    )
    .onConflictDoNothing({ target: [slaBreaches.ticketId, slaBreaches.target, slaBreaches.level, slaBreaches.cycle] });
  for (const th of past) done.push({ target: th.target, level: th.level, cycle: th.cycle });
  await tx
    .update(ticketSlas)
    .set({ nextCheckAt: nextCheckAt(times, done), updatedAt: sql`now()` as never })
    .where(eq(ticketSlas.ticketId, ticketId));
  return past.length;
}
