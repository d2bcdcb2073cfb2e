import { describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { rowsPrepared } from "@/db/client";
import { SEED_CATEGORIES } from "@/db/seed";
import { seedDemo } from "@/lib/demo/seed";
import { DEMO_TICKETS } from "@/lib/demo/desk/index";
import { DEMO_REQUESTERS } from "@/lib/demo/desk/people";
import { planTicket, prng } from "@/lib/demo/desk/plan";
import { TRANSITIONS } from "@/lib/tickets/status";
import { useTestDb } from "../helpers/db";

const t = useTestDb();
const DAY = 86_400_000;

describe("demo desk data (lib/demo/desk)", () => {
  it("has at least 300 tickets with unique titles and descriptions, seeded categories and known requesters", () => {
    expect(DEMO_TICKETS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(DEMO_TICKETS.map((x) => x.t.toLowerCase())).size).toBe(DEMO_TICKETS.length);
    expect(new Set(DEMO_TICKETS.map((x) => x.d)).size).toBe(DEMO_TICKETS.length);
    const categories = new Set(SEED_CATEGORIES.map((c) => c.slug));
    const requesters = new Set(DEMO_REQUESTERS.map((r) => r.id));
    for (const x of DEMO_TICKETS) {
      expect(categories.has(x.c), x.t).toBe(true);
      if (x.by) expect(requesters.has(x.by), x.t).toBe(true);
      expect(x.flow.length, x.t).toBeGreaterThan(0);
      for (const step of x.flow) expect(step, x.t).toMatch(/^[awrnf]:\S/);
    }
    // the demo requester account has tickets of her own
    expect(DEMO_TICKETS.filter((x) => x.by === "rita").length).toBeGreaterThanOrEqual(5);
    expect(new Set(DEMO_REQUESTERS.map((r) => r.email)).size).toBe(DEMO_REQUESTERS.length);
  });

  it("plans only legal status moves, in time order, and reopens a resolved ticket on a requester reply", () => {
    const rand = prng(7);
    const now = Date.UTC(2026, 11, 2, 12);
    for (const x of DEMO_TICKETS) {
      const created = now - rand() * 90 * DAY;
      const plan = planTicket(x.flow, x.p ?? "P3", created, now, rand);
      let status = "new";
      let last = created;
      for (const s of plan.steps) {
        expect(s.at).toBeGreaterThan(last);
        expect(s.at).toBeLessThanOrEqual(now);
        last = s.at;
        for (const m of s.transitions) {
          expect(m.from).toBe(status);
          expect(TRANSITIONS[m.from as keyof typeof TRANSITIONS]).toContain(m.to);
          status = m.to;
        }
      }
      if (plan.resolvedAt !== null) expect(plan.resolvedAt).toBeGreaterThanOrEqual(last);
      expect((plan.status === "waiting") === (plan.waitingReason !== null)).toBe(true);
    }
    const reopened = planTicket(["a:Try again?", "r:Done.", "f:Fixed.", "r:Broken again.", "a:Looking."], "P3", now - 30 * DAY, now, prng(1));
    expect(reopened.reopened).toBe(true);
    expect(reopened.status).toBe("in_progress");
    expect(reopened.resolvedAt).toBeNull();
    // steps in the future are not played yet
    expect(planTicket(["a:Hi.", "f:Done."], "P4", now - 60_000, now, prng(2)).steps).toHaveLength(0);
  });

  it("seeds a consistent desk: comments after creation, resolution after the last reply, SLA clocks, assigned demo agents", async () => {
    const r = await seedDemo(t.db, { ticketLimit: 60, employees: false });
    expect(r.tickets).toBe(60);
    const one = async <T extends Record<string, unknown>>(q: SQL) => (await rowsPrepared<T>(t.db, q))[0];
    const bad = await one<{ early: number; lateReply: number; noSla: number; waiting: number; frWrong: number }>(sql`
      SELECT
        (SELECT count(*) FROM ticket_comments c JOIN tickets k ON k.id = c.ticket_id WHERE c.created_at < k.created_at)::int AS "early",
        (SELECT count(*) FROM tickets k WHERE k.resolved_at < (SELECT max(c.created_at) FROM ticket_comments c
           WHERE c.ticket_id = k.id AND c.author_role <> 'requester' AND NOT c.internal))::int AS "lateReply",
        (SELECT count(*) FROM tickets k LEFT JOIN ticket_slas s ON s.ticket_id = k.id WHERE s.ticket_id IS NULL)::int AS "noSla",
        (SELECT count(*) FROM tickets WHERE (status = 'waiting') <> (waiting_reason IS NOT NULL))::int AS "waiting",
        (SELECT count(*) FROM tickets k WHERE k.first_response_at IS DISTINCT FROM (SELECT min(c.created_at) FROM ticket_comments c
           WHERE c.ticket_id = k.id AND c.author_role <> 'requester' AND NOT c.internal))::int AS "frWrong"`);
    expect(bad).toEqual({ early: 0, lateReply: 0, noSla: 0, waiting: 0, frWrong: 0 });
    const mix = await one<{ statuses: number; assignedToAgent: number; titles: number }>(sql`
      SELECT count(DISTINCT status)::int AS "statuses",
        count(*) FILTER (WHERE assignee_id = (SELECT id FROM users WHERE email = 'agent@example.com'))::int AS "assignedToAgent",
        count(DISTINCT title)::int AS "titles" FROM tickets`);
    expect(mix.statuses).toBeGreaterThanOrEqual(4);
    expect(mix.assignedToAgent).toBeGreaterThan(0);
    expect(mix.titles).toBe(60);
  });
});
