import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { employees, slaPolicies, ticketSlas, tickets } from "@/db/schema";
import type { Priority } from "@/db/schema/enums";
import type { SlaEscalation } from "@/db/schema/sla";
import { createTicket } from "@/lib/tickets/create-ticket";
import { makeActor } from "../helpers/fixtures";

/** Shared set-up of tests/sla/sweep*.test.ts: tickets with a fixed SLA clock, people, and reads. */

export const MIN = 60_000;
export const HOUR = 60 * MIN;
/** A fixed start for every clock (a Tuesday). */
export const T0 = new Date("2026-03-03T08:00:00.000Z");
export const at = (ms: number) => new Date(T0.getTime() + ms);

/** File a ticket through the normal service (category `hardware` → team end-user-computing). */
export async function fileTicket(db: Db, priority: Priority = "P3", title = "Laptop fan very loud") {
  const { ticket } = await createTicket(
    db,
    { title, description: "The fan of my laptop runs at full speed all day and it is very loud", email: "alice@corp.test", category: "hardware", priority },
    { principal: null, defaultSource: "api" },
  );
  const [row] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.key, ticket.key));
  return { id: Number(row.id), key: ticket.key };
}

/**
 * Give a ticket a fixed 24×7-like clock on the policy `policyName` (upserted over whatever the
 * clock service stored): first response due at T0+1 h (warn at 80 %: +48 min), resolution due
 * at T0+10 h (warn +8 h); next_check_at = the first warn time. `paused` stops the clock.
 */
export async function setClock(db: Db, ticketId: number, opts: { policyName?: string; paused?: boolean; nextCheckAt?: Date | null } = {}) {
  const [p] = await db.select().from(slaPolicies).where(eq(slaPolicies.name, opts.policyName ?? "P3 medium")).limit(1);
  const values = {
    ticketId,
    policyId: p.id,
    policyName: p.name,
    calendarId: p.calendarId,
    atRiskPct: 80,
    firstResponseTargetS: 3600,
    resolutionTargetS: 36000,
    firstResponseDueAt: at(HOUR),
    firstResponseWarnAt: at(48 * MIN),
    resolutionDueAt: at(10 * HOUR),
    resolutionWarnAt: at(8 * HOUR),
    pausedAt: opts.paused ? at(10 * MIN) : null,
    nextCheckAt: opts.nextCheckAt !== undefined ? opts.nextCheckAt : opts.paused ? null : at(48 * MIN),
  };
  await db.update(tickets).set({ createdAt: T0 }).where(eq(tickets.id, ticketId));
  await db.insert(ticketSlas).values(values).onConflictDoUpdate({ target: ticketSlas.ticketId, set: values });
}

/** Set a policy's escalation. */
export async function setEscalation(db: Db, policyName: string, escalation: SlaEscalation) {
  await db.update(slaPolicies).set({ escalation }).where(eq(slaPolicies.name, policyName));
}

/** An agent user (optionally with an employee profile of `seniority` in `team`). */
export async function agent(db: Db, email: string, opts: { team?: string; seniority?: "lead" | "senior"; name?: string } = {}) {
  const a = await makeActor(db, email, "agent", { teamSlug: opts.team ?? "end-user-computing" });
  if (opts.seniority) {
    await db.insert(employees).values({ email, name: opts.name ?? email.split("@")[0], teamSlug: opts.team ?? "end-user-computing", seniority: opts.seniority, userId: a.id });
  }
  return a;
}

export async function assign(db: Db, ticketId: number, userId: string | null) {
  await db.update(tickets).set({ assigneeId: userId }).where(eq(tickets.id, ticketId));
}

export interface BreachRow extends Record<string, unknown> {
  target: string;
  level: string;
  cycle: number;
  priority: string;
  team_slug: string | null;
  due_at: string;
  occurred_at: string;
  actions: Record<string, unknown>;
}

/** sla_breaches of a ticket, by id. */
export async function breachesOf(db: Db, ticketId: number): Promise<BreachRow[]> {
  const r = await rows<BreachRow>(
    db,
    sql`SELECT target, level, cycle, priority::text AS priority, team_slug, due_at::text AS due_at, occurred_at::text AS occurred_at, actions
        FROM sla_breaches WHERE ticket_id = ${ticketId} ORDER BY id`,
  );
  return r.map((x) => ({ ...x, actions: typeof x.actions === "string" ? JSON.parse(x.actions) : x.actions }));
}

/** Counts of audit events and domain events of a type on a ticket. */
export async function countsOf(db: Db, ticketId: number, action: string): Promise<{ audit: number; events: number }> {
  const [r] = await rows<{ audit: number; events: number }>(
    db,
    sql`SELECT (SELECT count(*) FROM audit_events WHERE ticket_id = ${ticketId} AND action = ${action})::int AS audit,
               (SELECT count(*) FROM domain_events WHERE ticket_id = ${ticketId} AND type = ${action})::int AS events`,
  );
  return r;
}

/** The stored next_check_at of a ticket (null when none). */
export async function nextCheckOf(db: Db, ticketId: number): Promise<Date | null> {
  const [r] = await db.select({ n: ticketSlas.nextCheckAt }).from(ticketSlas).where(eq(ticketSlas.ticketId, ticketId));
  return r?.n ? new Date(r.n) : null;
}

/** Stop every clock from being due (each test then counts only its own tickets). */
export async function stopAllChecks(db: Db) {
  await db.update(ticketSlas).set({ nextCheckAt: null });
}
