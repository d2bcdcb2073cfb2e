import { beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { auditEvents, ticketSlas, tickets } from "@/db/schema";
import { getEvent } from "@/lib/jobs/events";
import { dueThresholds, runSlaSweep, selectDue } from "@/lib/sla/sweep";
import { useTestDb } from "../helpers/db";
import { agent, assign, stopAllChecks, at, breachesOf, countsOf, fileTicket, HOUR, MIN, nextCheckOf, setClock, setEscalation } from "./sweep-helpers";

const t = useTestDb();
// Each test counts only its own tickets: earlier tests' clocks stop being due.
beforeEach(() => stopAllChecks(t.db));

/* The breach sweep (issue #10 §3): warnings at the at-risk share, breaches at the due time, once each. */
describe("runSlaSweep", () => {
  it("warns at 80 % of the target and breaches at the due time, each exactly once, moving next_check_at along", async () => {
    const db = t.db;
    const tk = await fileTicket(db);
    await setClock(db, tk.id);

    expect(await runSlaSweep(db, at(48 * MIN - 1000))).toEqual({ checked: 0, warnings: 0, breaches: 0 });
    expect(await breachesOf(db, tk.id)).toEqual([]);

    expect(await runSlaSweep(db, at(48 * MIN))).toEqual({ checked: 1, warnings: 1, breaches: 0 });
    const [w] = await breachesOf(db, tk.id);
    expect(w).toMatchObject({ target: "first_response", level: "warning", cycle: 0, priority: "P3", team_slug: "end-user-computing" });
    expect(new Date(w.due_at).toISOString()).toBe(at(HOUR).toISOString());
    expect(new Date(w.occurred_at).toISOString()).toBe(at(48 * MIN).toISOString());
    expect(await nextCheckOf(db, tk.id)).toEqual(at(HOUR));

    // Again at the same time: nothing due any more.
    expect(await runSlaSweep(db, at(48 * MIN))).toEqual({ checked: 0, warnings: 0, breaches: 0 });

    expect(await runSlaSweep(db, at(HOUR))).toEqual({ checked: 1, warnings: 0, breaches: 1 });
    expect((await breachesOf(db, tk.id)).map((b) => [b.target, b.level])).toEqual([
      ["first_response", "warning"],
      ["first_response", "breach"],
    ]);
    expect(await nextCheckOf(db, tk.id)).toEqual(at(8 * HOUR));

    // Forcing the row due again (e.g. a stale next_check_at) records nothing twice.
    await db.update(ticketSlas).set({ nextCheckAt: at(0) }).where(eq(ticketSlas.ticketId, tk.id));
    expect(await runSlaSweep(db, at(HOUR + MIN))).toEqual({ checked: 1, warnings: 0, breaches: 0 });
    expect(await breachesOf(db, tk.id)).toHaveLength(2);
    expect(await nextCheckOf(db, tk.id)).toEqual(at(8 * HOUR));

    expect(await countsOf(db, tk.id, "ticket.sla_warning")).toEqual({ audit: 1, events: 1 });
    expect(await countsOf(db, tk.id, "ticket.sla_breached")).toEqual({ audit: 1, events: 1 });
  });

  it("writes an audit event (actor system) and a domain event with the documented payload", async () => {
    const db = t.db;
    const tk = await fileTicket(db);
    const a = await agent(db, "owner@corp.test");
    await assign(db, tk.id, a.id);
    await setClock(db, tk.id);
    await runSlaSweep(db, at(HOUR));
    const [audit] = await db.select().from(auditEvents).where(sql`${auditEvents.ticketId} = ${tk.id} AND ${auditEvents.action} = 'ticket.sla_breached'`);
    expect(audit).toMatchObject({ actorType: "system", actorLabel: "SLA escalation", entityType: "ticket", entityId: tk.key });
    expect(audit.after).toMatchObject({ target: "first_response", level: "breach", policy: "P3 medium" });
    const [ev] = await rows<{ id: number }>(db, sql`SELECT id::float8 AS id FROM domain_events WHERE ticket_id = ${tk.id} AND type = 'ticket.sla_breached'`);
    const e = (await getEvent(db, Number(ev.id)))!;
    expect(e.actor).toEqual({ type: "system", id: null, label: "SLA escalation" });
    expect(e.payload).toEqual({
      key: tk.key,
      breachId: expect.any(Number),
      target: "first_response",
      level: "breach",
      cycle: 0,
      dueAt: at(HOUR).toISOString(),
      policy: "P3 medium",
      priority: "P3",
      teamSlug: "end-user-computing",
      assigneeId: a.id,
      actions: {},
    });
  });

  it("a warning whose breach is due in the same pass is not recorded: only the breach", async () => {
    const db = t.db;
    const tk = await fileTicket(db);
    await setClock(db, tk.id);
    expect(await runSlaSweep(db, at(9 * HOUR))).toEqual({ checked: 1, warnings: 1, breaches: 1 });
    expect((await breachesOf(db, tk.id)).map((b) => [b.target, b.level])).toEqual([
      ["first_response", "breach"],
      ["resolution", "warning"],
    ]);
    expect(await nextCheckOf(db, tk.id)).toEqual(at(10 * HOUR));
    expect(await runSlaSweep(db, at(11 * HOUR))).toEqual({ checked: 1, warnings: 0, breaches: 1 });
    expect(await nextCheckOf(db, tk.id)).toBeNull();
  });

  it("a paused clock is not swept: no row is due, and a stale next_check_at is cleared without recording anything", async () => {
    const db = t.db;
    const tk = await fileTicket(db);
    await setClock(db, tk.id, { paused: true });
    expect(await runSlaSweep(db, at(20 * HOUR))).toEqual({ checked: 0, warnings: 0, breaches: 0 });
    await setClock(db, tk.id, { paused: true, nextCheckAt: at(48 * MIN) });
    expect(await runSlaSweep(db, at(20 * HOUR))).toEqual({ checked: 1, warnings: 0, breaches: 0 });
    expect(await breachesOf(db, tk.id)).toEqual([]);
    expect(await nextCheckOf(db, tk.id)).toBeNull();
  });

  it("takes at most `limit` tickets per call, earliest next check first", async () => {
    const db = t.db;
    const a = await fileTicket(db, "P4", "first");
    const b = await fileTicket(db, "P4", "second");
    await setClock(db, a.id, { nextCheckAt: at(48 * MIN) });
    await setClock(db, b.id, { nextCheckAt: at(40 * MIN) });
    await db.update(ticketSlas).set({ firstResponseWarnAt: at(40 * MIN) }).where(eq(ticketSlas.ticketId, b.id));
    expect(await runSlaSweep(db, at(50 * MIN), { limit: 1 })).toMatchObject({ checked: 1, warnings: 1 });
    expect(await breachesOf(db, b.id)).toHaveLength(1);
    expect(await breachesOf(db, a.id)).toHaveLength(0);
    expect(await runSlaSweep(db, at(50 * MIN), { limit: 1 })).toMatchObject({ checked: 1, warnings: 1 });
    expect(await breachesOf(db, a.id)).toHaveLength(1);
  });

  it("dueThresholds keeps warnings of other targets and drops only the warning of a target breached in the same pass", () => {
    const times = {
      firstResponseDueAt: at(HOUR),
      firstResponseWarnAt: at(48 * MIN),
      firstResponseMetAt: null,
      resolutionDueAt: at(10 * HOUR),
      resolutionWarnAt: at(8 * HOUR),
      resolutionMetAt: null,
      nextResponseDueAt: null,
      nextResponseWarnAt: null,
      nextResponseCycle: 0,
      pausedAt: null,
    };
    expect(dueThresholds(times, [], at(50 * MIN)).map((x) => `${x.target}:${x.level}`)).toEqual(["first_response:warning"]);
    expect(dueThresholds(times, [], at(8 * HOUR)).map((x) => `${x.target}:${x.level}`)).toEqual(["first_response:breach", "resolution:warning"]);
    expect(dueThresholds(times, [{ target: "first_response", level: "breach", cycle: 0 }], at(20 * HOUR)).map((x) => `${x.target}:${x.level}`)).toEqual(["resolution:breach"]);
  });
});

describe("escalation", () => {
  it("raises the priority one step and reassigns to the team's lead (lowest name), through the ticket write path", async () => {
    const db = t.db;
    await setEscalation(db, "P3 medium", { raisePriority: true, reassignTo: "lead" });
    const owner = await agent(db, "holder@corp.test");
    const lead = await agent(db, "lee@corp.test", { seniority: "lead", name: "Lee Lead" });
    await agent(db, "zed@corp.test", { seniority: "lead", name: "Zed Lead" });
    await agent(db, "other-team-lead@corp.test", { seniority: "lead", name: "Aaron Other", team: "service-desk" });
    const tk = await fileTicket(db);
    await assign(db, tk.id, owner.id);
    await setClock(db, tk.id);

    expect(await runSlaSweep(db, at(HOUR))).toMatchObject({ breaches: 1 });
    const [row] = await db.select({ priority: tickets.priority, assigneeId: tickets.assigneeId }).from(tickets).where(eq(tickets.id, tk.id));
    expect(row).toEqual({ priority: "P2", assigneeId: lead.id });
    const [b] = (await breachesOf(db, tk.id)).filter((x) => x.level === "breach");
    expect(b.priority).toBe("P3"); // as it was when it happened
    expect(b.actions).toEqual({ raisedPriority: { from: "P3", to: "P2" }, reassigned: { to: "lead", userId: lead.id, name: "Lee Lead" } });
    const audits = await db
      .select({ action: auditEvents.action, actorType: auditEvents.actorType, actorLabel: auditEvents.actorLabel, before: auditEvents.before, after: auditEvents.after })
      .from(auditEvents)
      .where(sql`${auditEvents.ticketId} = ${tk.id} AND ${auditEvents.action} IN ('ticket.priority_changed', 'ticket.assignee_changed')`);
    expect(audits).toEqual(
      expect.arrayContaining([
        { action: "ticket.priority_changed", actorType: "system", actorLabel: "SLA escalation", before: { priority: "P3" }, after: { priority: "P2" } },
        { action: "ticket.assignee_changed", actorType: "system", actorLabel: "SLA escalation", before: { assignee: owner.id }, after: { assignee: lead.id } },
      ]),
    );
    const [upd] = await rows<{ payload: unknown }>(db, sql`SELECT payload FROM domain_events WHERE ticket_id = ${tk.id} AND type = 'ticket.updated' ORDER BY id DESC LIMIT 1`);
    const payload = typeof upd.payload === "string" ? JSON.parse(upd.payload) : upd.payload;
    expect(payload).toMatchObject({ key: tk.key, changes: { priority: { from: "P3", to: "P2" }, assignee: { from: owner.id, to: lead.id } } });
    const [hist] = await rows<{ reason: string }>(db, sql`SELECT reason FROM ticket_assignments WHERE ticket_id = ${tk.id} ORDER BY id DESC LIMIT 1`);
    expect(hist.reason).toBe("SLA escalation: first response breached");
    // The clock follows the new priority: the clock service recomputed it under the P2 policy.
    const [clock] = await db.select({ policy: ticketSlas.policyName }).from(ticketSlas).where(eq(ticketSlas.ticketId, tk.id));
    expect(clock.policy).toBe("P2 high");
    await setEscalation(db, "P3 medium", {});
  });

  it("moves the ticket to another team, unassigned; a missing lead or team is recorded as skipped", async () => {
    const db = t.db;
    await setEscalation(db, "P4 low", { reassignTo: "team", teamSlug: "service-desk" });
    const owner = await agent(db, "holder2@corp.test");
    const tk = await fileTicket(db, "P4");
    await assign(db, tk.id, owner.id);
    await setClock(db, tk.id, { policyName: "P4 low" });
    await runSlaSweep(db, at(HOUR));
    const [row] = await db.select({ team: tickets.teamSlug, assigneeId: tickets.assigneeId, priority: tickets.priority }).from(tickets).where(eq(tickets.id, tk.id));
    expect(row).toEqual({ team: "service-desk", assigneeId: null, priority: "P4" });
    expect((await breachesOf(db, tk.id))[0].actions).toEqual({ reassigned: { to: "team", team: "service-desk", from: "end-user-computing" } });

    await setEscalation(db, "P4 low", { reassignTo: "lead", raisePriority: false });
    const tk2 = await fileTicket(db, "P4");
    await setClock(db, tk2.id, { policyName: "P4 low" });
    await db.update(tickets).set({ teamSlug: "procurement" }).where(eq(tickets.id, tk2.id));
    await runSlaSweep(db, at(HOUR));
    expect((await breachesOf(db, tk2.id))[0].actions).toEqual({ skipped: ["team procurement has no lead"] });
    await setEscalation(db, "P4 low", {});
  });
});

describe("concurrency", () => {
  it("two sweeps at once act once per (ticket, target, level): one breach row, one audit event, one domain event", async () => {
    const db = t.db;
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const tk = await fileTicket(db, "P3", `Concurrent ${i}`);
      await setClock(db, tk.id);
      ids.push(tk.id);
    }
    // Both sweeps start together; on PostgreSQL each ticket's transaction runs on its own pooled connection.
    const [a, b] = await Promise.all([runSlaSweep(db, at(9 * HOUR)), runSlaSweep(db, at(9 * HOUR))]);
    expect(a.breaches + b.breaches).toBe(12);
    expect(a.warnings + b.warnings).toBe(12);
    for (const id of ids) {
      expect((await breachesOf(db, id)).map((x) => `${x.target}:${x.level}`)).toEqual(["first_response:breach", "resolution:warning"]);
      expect(await countsOf(db, id, "ticket.sla_breached")).toEqual({ audit: 1, events: 1 });
      expect(await countsOf(db, id, "ticket.sla_warning")).toEqual({ audit: 1, events: 1 });
    }
  });

  it("the candidate query can use the partial index ticket_slas_next_check_idx (PostgreSQL)", async (ctx) => {
    if (t.kind !== "postgres") ctx.skip();
    const plan = await t.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      return rows<{ "QUERY PLAN": string }>(tx, sql`EXPLAIN ${selectDue(tx, at(HOUR), 500)}`);
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("ticket_slas_next_check_idx");
  });
});

describe("runSlaSweep in transactions of many tickets", () => {
  it("a ticket whose recording fails does not hold back the others; the run throws after committing them, and the next run records it", async () => {
    const db = t.db;
    const good1 = await fileTicket(db);
    const bad = await fileTicket(db);
    const good2 = await fileTicket(db);
    for (const tk of [good1, bad, good2]) await setClock(db, tk.id);
    // A database-side failure for one ticket only (as a constraint or a lost connection would be).
    await db.execute(sql.raw(`CREATE FUNCTION sla_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.ticket_id = ${bad.id} THEN RAISE EXCEPTION 'injected failure for ticket %', NEW.ticket_id; END IF; RETURN NEW; END $$`));
    await db.execute(sql.raw(`CREATE TRIGGER sla_test_fail BEFORE INSERT ON sla_breaches FOR EACH ROW EXECUTE FUNCTION sla_test_fail()`));
    try {
      const err = await runSlaSweep(db, at(48 * MIN)).then(() => null, (e: unknown) => e as Error & { cause?: Error });
      expect(`${err?.message} ${err?.cause?.message}`).toMatch(/injected failure for ticket/);
      expect(await breachesOf(db, good1.id)).toHaveLength(1);
      expect(await breachesOf(db, good2.id)).toHaveLength(1);
      expect(await breachesOf(db, bad.id)).toEqual([]);
      expect(await nextCheckOf(db, bad.id)).toEqual(at(48 * MIN)); // still due
    } finally {
      await db.execute(sql.raw(`DROP TRIGGER sla_test_fail ON sla_breaches`));
      await db.execute(sql.raw(`DROP FUNCTION sla_test_fail()`));
    }
    expect(await runSlaSweep(db, at(48 * MIN))).toEqual({ checked: 1, warnings: 1, breaches: 0 });
    expect(await breachesOf(db, bad.id)).toHaveLength(1);
    expect(await countsOf(db, good1.id, "ticket.sla_warning")).toEqual({ audit: 1, events: 1 });
  });

  it("one chunk of different tickets: each gets exactly its own levels and next check, events in due order, and only the escalated ticket is re-planned", async () => {
    const db = t.db;
    await setEscalation(db, "P3 medium", { raisePriority: true });
    try {
      // escalated: P3, first response breached at 1 h, the policy raises the priority
      const escalated = await fileTicket(db, "P3", "escalated");
      await setClock(db, escalated.id, { nextCheckAt: at(48 * MIN) });
      // plain: P4 (no escalation), first response breached too, due after `escalated`
      const plain = await fileTicket(db, "P4", "plain");
      await setClock(db, plain.id, { policyName: "P4 low", nextCheckAt: at(50 * MIN) });
      // met: first response met, a stale next check: nothing to record, next check = resolution warning
      const met = await fileTicket(db, "P3", "met");
      await setClock(db, met.id, { nextCheckAt: at(30 * MIN) });
      await db.update(ticketSlas).set({ firstResponseMetAt: at(20 * MIN) }).where(eq(ticketSlas.ticketId, met.id));
      // paused with a stale next check: nothing recorded, the check cleared
      const paused = await fileTicket(db, "P3", "paused");
      await setClock(db, paused.id, { paused: true, nextCheckAt: at(40 * MIN) });

      expect(await runSlaSweep(db, at(HOUR))).toEqual({ checked: 4, warnings: 0, breaches: 2 });

      expect((await breachesOf(db, escalated.id)).map((b) => [b.target, b.level, b.actions])).toEqual([
        ["first_response", "breach", { raisedPriority: { from: "P3", to: "P2" } }],
      ]);
      expect((await breachesOf(db, plain.id)).map((b) => [b.target, b.level, b.actions])).toEqual([["first_response", "breach", {}]]);
      expect(await breachesOf(db, met.id)).toEqual([]);
      expect(await breachesOf(db, paused.id)).toEqual([]);

      const [esc] = await db.select({ priority: tickets.priority }).from(tickets).where(eq(tickets.id, escalated.id));
      expect(esc.priority).toBe("P2");
      const clocks = await db.select({ id: ticketSlas.ticketId, policy: ticketSlas.policyName, next: ticketSlas.nextCheckAt }).from(ticketSlas);
      const clockOf = (id: number) => clocks.find((c) => Number(c.id) === id)!;
      expect(clockOf(escalated.id).policy).toBe("P2 high"); // recomputed by the clock service
      expect(clockOf(plain.id)).toMatchObject({ policy: "P4 low", next: at(8 * HOUR) });
      expect(clockOf(met.id)).toMatchObject({ policy: "P3 medium", next: at(8 * HOUR) });
      expect(clockOf(paused.id).next).toBeNull();

      // One audit event and one domain event per breach, written in due order.
      const evs = await rows<{ ticket_id: number; payload: unknown }>(
        db,
        sql`SELECT ticket_id::float8 AS ticket_id, payload FROM domain_events WHERE type = 'ticket.sla_breached' AND ticket_id IN (${escalated.id}, ${plain.id}) ORDER BY id`,
      );
      expect(evs.map((e) => Number(e.ticket_id))).toEqual([escalated.id, plain.id]);
      const payloadOf = (e: { payload: unknown }) => (typeof e.payload === "string" ? JSON.parse(e.payload) : e.payload) as Record<string, unknown>;
      expect(payloadOf(evs[0])).toMatchObject({ key: escalated.key, priority: "P3", actions: { raisedPriority: { from: "P3", to: "P2" } } });
      expect(payloadOf(evs[1])).toMatchObject({ key: plain.key, priority: "P4", actions: {} });
      for (const id of [escalated.id, plain.id]) expect(await countsOf(db, id, "ticket.sla_breached")).toEqual({ audit: 1, events: 1 });
    } finally {
      await setEscalation(db, "P3 medium", {});
    }
  });
});
