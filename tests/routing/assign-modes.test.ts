import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { autoAssign } from "@/lib/routing/assign/auto-assign";
import { latestAutoAssignment } from "@/lib/routing/assign/latest";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { addPerson, assigneeOf, fileTicket, giveLoad, setTeamMode } from "./assign-helpers";

const t = useTestDb();

describe("autoAssign, mode auto", () => {
  it("assigns the best match and stores the reasons: history row, audit event, ticket.updated event, page info", async () => {
    const db = t.db;
    const vpn = await addPerson(db, { email: "maria@corp.test", name: "Maria", team: "service-desk", skills: ["VPN", "Cisco AnyConnect"], max: 8 });
    await addPerson(db, { email: "otto@corp.test", name: "Otto", team: "service-desk", skills: ["Outlook", "calendar"] });
    await giveLoad(db, vpn.userId, "service-desk", 3);
    const tk = await fileTicket(db, "VPN broken", "Cisco AnyConnect fails to connect from home since this morning", "service-desk");

    const r = await autoAssign(db, tk.id, { rerank: false });
    expect(r).toMatchObject({ status: "assigned", mode: "auto", assignee: { email: "maria@corp.test" }, reason: "matched: VPN, Cisco AnyConnect; load 3/8; in hours" });
    expect(await assigneeOf(db, tk.id)).toBe("maria@corp.test");

    const [h] = await rows<{ reason: string; assigned_by_id: string | null; details: Record<string, unknown> | string }>(
      db,
      sql`SELECT reason, assigned_by_id, details FROM ticket_assignments WHERE ticket_id = ${tk.id} AND assignee_id IS NOT NULL`,
    );
    const details = typeof h.details === "string" ? (JSON.parse(h.details) as Record<string, unknown>) : h.details;
    expect(h.reason).toBe("matched: VPN, Cisco AnyConnect; load 3/8; in hours");
    expect(h.assigned_by_id).toBeNull();
    expect(details).toMatchObject({ mode: "auto", outcome: "assigned", matchedSkills: ["VPN", "Cisco AnyConnect"], load: 3, capacity: 8, inHours: true });
    expect((details.candidates as { email: string }[]).map((c) => c.email)).toEqual(["maria@corp.test", "otto@corp.test"]);
    expect(details.score).toBeGreaterThan(0);

    const audit = await rows<{ action: string; actor_type: string; actor_label: string; after: unknown }>(
      db,
      sql`SELECT action, actor_type::text AS actor_type, actor_label, after FROM audit_events WHERE ticket_id = ${tk.id} AND action = 'ticket.assignee_changed'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: "system", actor_label: "auto-assignment" });
    const events = await rows<{ payload: unknown; actor: unknown }>(db, sql`SELECT payload, actor FROM domain_events WHERE ticket_id = ${tk.id} AND type = 'ticket.updated'`);
    expect(events).toHaveLength(1);
    const payload = typeof events[0].payload === "string" ? JSON.parse(events[0].payload) : events[0].payload;
    expect(payload).toMatchObject({ key: tk.key, changes: { assignee: { from: null, to: vpn.userId } } });

    expect(await latestAutoAssignment(db, tk.id)).toMatchObject({
      mode: "auto",
      assigneeName: "Maria",
      reason: "matched: VPN, Cisco AnyConnect; load 3/8; in hours",
      current: true,
      rerank: null,
    });

    // Second run: already assigned, nothing changes.
    expect(await autoAssign(db, tk.id, { rerank: false })).toMatchObject({ status: "skipped", reason: "already assigned" });
    // An agent reassigns: the page no longer calls the ticket auto-assigned to its current person.
    const agent = await makeActor(db, "lead@corp.test", "agent", { teamSlug: "service-desk" });
    const other = await rows<{ id: string }>(db, sql`SELECT user_id::text AS id FROM employees WHERE email = 'otto@corp.test'`);
    await updateTicket(db, tk.key, { assignee: other[0].id }, { kind: "user", id: agent.id, userId: agent.id, role: "agent", email: agent.email, label: agent.email });
    expect(await latestAutoAssignment(db, tk.id)).toBeNull();
  });

  it("leaves the ticket unassigned when nobody is eligible, and records why", async () => {
    const db = t.db;
    await addPerson(db, { email: "night@corp.test", team: "pmo", skills: ["Jira"], timeZone: "UTC", hours: [60, 120], days: [1] });
    const full = await addPerson(db, { email: "busy@corp.test", team: "pmo", skills: ["Jira"], max: 1 });
    await giveLoad(db, full.userId, "pmo", 1);
    const tk = await fileTicket(db, "Jira project", "please create a Jira project for us", "pmo");
    const r = await autoAssign(db, tk.id, { now: new Date("2026-12-02T12:00:00Z"), rerank: false });
    expect(r).toEqual({ status: "unassigned", ticketId: tk.id, key: tk.key, mode: "auto", reason: "nobody eligible: 1 out of hours, 1 at capacity" });
    expect(await assigneeOf(db, tk.id)).toBeNull();
    const [h] = await rows<{ reason: string; assignee_id: string | null }>(
      db,
      sql`SELECT reason, assignee_id::text AS assignee_id FROM ticket_assignments WHERE ticket_id = ${tk.id} ORDER BY id DESC LIMIT 1`,
    );
    expect(h).toEqual({ reason: "nobody eligible: 1 out of hours, 1 at capacity", assignee_id: null });
    expect(await latestAutoAssignment(db, tk.id)).toMatchObject({ assigneeName: null, reason: "nobody eligible: 1 out of hours, 1 at capacity" });
  });

  it("skips closed or resolved tickets and tickets without a team", async () => {
    const db = t.db;
    await addPerson(db, { email: "proc@corp.test", team: "procurement", skills: ["quotes"] });
    const tk = await fileTicket(db, "quote", "need a quote for monitors", "procurement");
    await db.execute(sql`UPDATE tickets SET status = 'resolved', resolved_at = now() WHERE id = ${tk.id}`);
    expect(await autoAssign(db, tk.id, { rerank: false })).toMatchObject({ status: "skipped", reason: "ticket is resolved" });
    await db.execute(sql`UPDATE tickets SET status = 'open', resolved_at = NULL, team_slug = NULL WHERE id = ${tk.id}`);
    expect(await autoAssign(db, tk.id, { rerank: false })).toMatchObject({ status: "skipped", reason: "no team" });
    expect(await assigneeOf(db, tk.id)).toBeNull();
  });
});

describe("per-team modes", () => {
  it("manual: nobody is assigned and nothing is recorded", async () => {
    const db = t.db;
    await addPerson(db, { email: "hr1@corp.test", team: "hr-operations", skills: ["payroll"] });
    await setTeamMode(db, "hr-operations", "manual");
    const tk = await fileTicket(db, "payslip", "my payroll payslip is missing", "hr-operations");
    const before = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ticket_assignments WHERE ticket_id = ${tk.id}`);
    expect(await autoAssign(db, tk.id)).toMatchObject({ status: "skipped", reason: "team assigns manually" });
    const after = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ticket_assignments WHERE ticket_id = ${tk.id}`);
    expect(after[0].n).toBe(before[0].n);
    expect(await assigneeOf(db, tk.id)).toBeNull();
  });

  it("round robin: the eligible member assigned least recently, whatever the skills", async () => {
    const db = t.db;
    await setTeamMode(db, "infrastructure", "round_robin");
    await addPerson(db, { email: "rr-a@corp.test", team: "infrastructure", skills: ["backup", "restore"] });
    await addPerson(db, { email: "rr-b@corp.test", team: "infrastructure", skills: ["DNS"] });
    await addPerson(db, { email: "rr-c@corp.test", team: "infrastructure", skills: ["backup"], max: 0 });
    const got: string[] = [];
    for (let i = 0; i < 4; i++) {
      const tk = await fileTicket(db, `restore ${i}`, `please restore the backup of folder ${i}`, "infrastructure");
      const r = await autoAssign(db, tk.id);
      expect(r.status).toBe("assigned");
      if (r.status === "assigned") {
        expect(r.mode).toBe("round_robin");
        expect(r.reason).toMatch(/^round robin \(least recently assigned\); load \d+\/10; in hours$/);
      }
      got.push((await assigneeOf(db, tk.id))!);
    }
    // Never-assigned members first (then by e-mail), then alternating; rr-c has no capacity.
    expect(got).toEqual(["rr-a@corp.test", "rr-b@corp.test", "rr-a@corp.test", "rr-b@corp.test"]);
  });
});
