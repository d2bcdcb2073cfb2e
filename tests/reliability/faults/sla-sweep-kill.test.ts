import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { waitUntil as until } from "../../helpers/wait-until";
import { startKillableApp, type KillableApp } from "./_kill-harness";

/*
 * The SLA breach sweep killed with SIGKILL in the middle of a run (issue 15 §2), against the
 * production build (`next start`) on a scratch PostgreSQL database.
 *
 * Staging: TICKETS tickets through POST /api/tickets (each gets its clock from the default
 * policies a new database has), then every ticket's first response and resolution are made
 * overdue (their due and warning times moved an hour back, `next_check_at` in ticket id order).
 * The sweep (lib/sla/sweep.ts) commits its tickets in transactions of 100; to kill it between two
 * commits, not by luck of timing, the test holds an open transaction that has inserted the
 * breach rows of the ticket in the middle of the second chunk: the sweep's own insert of that
 * row waits on it. Once the first chunk is committed and the sweep is seen waiting, the process
 * is killed; the blocking transaction is rolled back; the process is started again (same port
 * and database, JOBS_EXPIRE_CAP_S=10 so expiry hands the killed job back within seconds).
 *
 * Then: every ticket has exactly its two breaches (first response, resolution), each with
 * exactly one audit event and one domain event (none for the first chunk twice, none missing
 * for the rest), each breach event's sla.notify job ran once (its receipt), the interrupted
 * sweep job completed, and no job failed.
 */

const TICKETS = 250;
/** lib/sla/sweep.ts SWEEP_TX_TICKETS: tickets per sweep transaction. */
const CHUNK = 100;
/** Position (in sweep order) of the ticket whose breach insert is held: the middle of chunk 2. */
const HELD_AT = 150;

/** No job queued, retrying or running apart from the cron tasks, and every domain event dispatched. */
async function jobsDrained(sql: postgres.Sql): Promise<boolean> {
  const [j] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND name NOT IN ('sla.sweep', 'odata.pull') AND name NOT LIKE '\\_\\_pgboss%'`;
  const [e] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM domain_events WHERE dispatched_at IS NULL`;
  return j.n === 0 && e.n === 0;
}

describe("the SLA breach sweep killed with SIGKILL between two of its commits", () => {
  let k: KillableApp | null = null;
  let failed = true;
  let release: (() => void) | null = null;
  afterAll(async () => {
    release?.();
    await k?.close(failed);
  });

  it("records every breach once, with one audit and one domain event each, after restart", async () => {
    k = await startKillableApp("sla-sweep-kill");
    const { app, sql, headers } = k;
    const base = app.url;
    const post = async (p: string, body: unknown) => {
      const res = await fetch(`${base}${p}`, { method: "POST", headers, body: JSON.stringify(body) });
      const text = await res.text();
      expect(res.status, `${p}: ${text}`).toBe(201);
      return JSON.parse(text) as Record<string, unknown> & { id: string };
    };

    const titles = ["Laptop will not boot", "VPN drops every hour", "Printer jams on every page", "Cannot open shared mailbox", "Password reset needed"];
    for (let i = 0; i < TICKETS; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, TICKETS - i) }, (_, j) =>
          post("/api/tickets", { title: `${titles[(i + j) % titles.length]} (${i + j})`, description: "It stopped working this morning and I cannot work.", email: `sla-user${i + j}@corp.test` }),
        ),
      );
    }
    await until("every ticket's SLA clock", async () => {
      const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ticket_slas`;
      return r.n === TICKETS;
    }, 60_000);

    // The tickets' own jobs (triage pushes, assignment, mail) done first, so only the sweep works on them.
    await until("the tickets' jobs to drain", () => jobsDrained(sql), 120_000);

    // The ticket in the middle of the second chunk (sweep order = next_check_at order, set below by id).
    const order = await sql<{ ticket_id: string; priority: string }[]>`SELECT s.ticket_id::text, t.priority FROM ticket_slas s JOIN tickets t ON t.id = s.ticket_id ORDER BY s.ticket_id`;
    const held = order[HELD_AT];
    let locked!: () => void;
    const heldLocked = new Promise<void>((r) => (locked = r));
    const blocker = sql
      .begin(async (tx) => {
        // Without the foreign-key trigger (superuser only): the check would lock the ticket row FOR
        // KEY SHARE, and the sweep, which locks tickets FOR UPDATE SKIP LOCKED, would skip the
        // ticket instead of waiting on the breach row.
        await tx`SET LOCAL session_replication_role = replica`;
        for (const target of ["first_response", "resolution"]) {
          for (const level of ["warning", "breach"]) {
            await tx`INSERT INTO sla_breaches (ticket_id, target, level, cycle, priority, due_at) VALUES (${held.ticket_id}, ${target}, ${level}, 0, ${held.priority}, now())`;
          }
        }
        locked();
        await new Promise<void>((r) => (release = r));
        throw new Error("rollback");
      })
      .catch((err: Error) => {
        if (err.message !== "rollback") throw err;
      });
    await heldLocked;

    // Everything overdue now: both targets breached an hour ago, checks due in ticket id order.
    await sql`UPDATE ticket_slas SET
        first_response_due_at = now() - interval '1 hour', first_response_warn_at = now() - interval '2 hours',
        resolution_due_at = now() - interval '1 hour', resolution_warn_at = now() - interval '2 hours',
        next_check_at = now() - interval '1 hour' + ticket_id * interval '1 millisecond'`;

    // The next minute's sweep commits chunk 1 and waits on the held ticket in chunk 2.
    let seen = "";
    await until("the sweep to commit its first chunk and wait on the held ticket", async () => {
      const [b] = await sql<{ n: number }[]>`SELECT count(DISTINCT ticket_id)::int AS n FROM sla_breaches`;
      const [w] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%sla_breaches%'`;
      const jobs = await sql<{ state: string; n: number }[]>`SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = 'sla.sweep' GROUP BY state ORDER BY state`;
      const [due] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ticket_slas WHERE next_check_at <= now()`;
      const now = `${due.n} due, breaches on ${b.n} tickets, ${w.n} waiting, sweep jobs ${jobs.map((j) => `${j.state} ${j.n}`).join(", ") || "none"}`;
      if (now !== seen) console.log(`[faults/sla-sweep-kill] ${new Date().toISOString()} ${(seen = now)}`);
      return b.n >= CHUNK && w.n > 0;
    }, 150_000);
    await app.kill("SIGKILL");
    const interrupted = await sql<{ id: string; name: string }[]>`SELECT id::text, name FROM pgboss.job WHERE state = 'active'`;
    const [atKill] = await sql<{ tickets: number; rows: number }[]>`SELECT count(DISTINCT ticket_id)::int AS tickets, count(*)::int AS rows FROM sla_breaches`;
    release!();
    release = null;
    await blocker;
    console.log(`[faults/sla-sweep-kill] killed with ${atKill.tickets} of ${TICKETS} tickets swept (${atKill.rows} breach rows), jobs active: ${interrupted.map((j) => j.name).join(", ")}`);
    expect(atKill.tickets).toBe(CHUNK);
    expect(interrupted.map((j) => j.name)).toContain("sla.sweep");

    await app.restart();
    await app.waitFor("/api/health/ready", 120_000);
    await until("every ticket swept and the interrupted sweep job completed", async () => {
      const [b] = await sql<{ n: number }[]>`SELECT count(DISTINCT ticket_id)::int AS n FROM sla_breaches`;
      const [j] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pgboss.job WHERE id IN ${sql(interrupted.map((x) => x.id))} AND state <> 'completed'`;
      return b.n === TICKETS && j.n === 0;
    }, 180_000);

    // And their notifications: every breach event's sla.notify job ran (its receipt), interrupted ones included.
    await until("the breach events' jobs to drain", () => jobsDrained(sql), 120_000);
    const [notified] = await sql<{ events: number; receipts: number }[]>`
      SELECT count(*)::int AS events, count(r.event_id)::int AS receipts FROM domain_events e
        LEFT JOIN job_receipts r ON r.event_id = e.id AND r.handler = 'sla.notify'
       WHERE e.type = 'ticket.sla_breached'`;

    const perTicket = await sql<{ ticket_id: string; breaches: number; warnings: number; audits: number; events: number }[]>`
      SELECT s.ticket_id::text,
             (SELECT count(*)::int FROM sla_breaches b WHERE b.ticket_id = s.ticket_id AND b.level = 'breach') AS breaches,
             (SELECT count(*)::int FROM sla_breaches b WHERE b.ticket_id = s.ticket_id AND b.level = 'warning') AS warnings,
             (SELECT count(*)::int FROM audit_events a WHERE a.ticket_id = s.ticket_id AND a.action IN ('ticket.sla_breached', 'ticket.sla_warning')) AS audits,
             (SELECT count(*)::int FROM domain_events e WHERE e.ticket_id = s.ticket_id AND e.type IN ('ticket.sla_breached', 'ticket.sla_warning')) AS events
      FROM ticket_slas s`;
    const [dupAudit] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (SELECT ticket_id, after->>'target', after->>'level' FROM audit_events
        WHERE action IN ('ticket.sla_breached', 'ticket.sla_warning') GROUP BY 1, 2, 3 HAVING count(*) > 1) d`;
    const failedJobs = await sql<{ name: string; state: string }[]>`SELECT name, state FROM pgboss.job WHERE state = 'failed' OR right(name, 6) = '__dead'`;
    const wrong = perTicket.filter((r) => r.breaches !== 2 || r.warnings !== 0 || r.audits !== 2 || r.events !== 2);
    console.log(`[faults/sla-sweep-kill] after restart: ${perTicket.length} tickets, ${perTicket.reduce((s, r) => s + r.breaches, 0)} breaches, ${perTicket.reduce((s, r) => s + r.audits, 0)} audit events, ${perTicket.reduce((s, r) => s + r.events, 0)} domain events; not exactly once: ${wrong.length}; failed jobs ${failedJobs.length}`);
    expect(perTicket).toHaveLength(TICKETS);
    expect(wrong).toEqual([]);
    expect(dupAudit.n).toBe(0);
    expect(failedJobs).toEqual([]);
    expect(notified).toEqual({ events: 2 * TICKETS, receipts: 2 * TICKETS });
    failed = false;
  }, 420_000); // up to two cron minutes (the kill, then the retried run) on top of the setup
});
