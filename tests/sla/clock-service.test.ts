import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { businessCalendars, calendarHolidays, slaPolicies, tickets, ticketSlas } from "@/db/schema";
import { CALENDAR_BUSINESS_HOURS } from "@/db/seed";
import type { Principal } from "@/lib/auth/principal";
import { backfillTicketSlas, recomputeTicketSla } from "@/lib/sla/clock-service";
import { loadSlaDTOs, slaDTOsFromJson, slaJsonColumn } from "@/lib/sla/read";
import { listTickets } from "@/lib/tickets/list-tickets";
import { addComment } from "@/lib/tickets/add-comment";
import { createTicket } from "@/lib/tickets/create-ticket";
import { getTicketDetail } from "@/lib/tickets/get-ticket";
import { updateTicket, writeTicketChanges } from "@/lib/tickets/update-ticket";
import { ListTicketsQuerySchema, type UpdateTicketInput } from "@/lib/tickets/schemas";
import { makeActor } from "../helpers/fixtures";
import { useTestDb } from "../helpers/db";

const testDb = useTestDb();
let db: Db;
let agent: Principal;
let alice: Principal;

const text = { title: "VPN disconnects every hour", description: "Since Monday my VPN drops every hour and I lose my session" };
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const at = (s: string) => new Date(s);
const MIN = 60_000;

async function file(priority: "P1" | "P2" | "P3" | "P4", createdAt: Date, extra: Record<string, unknown> = {}) {
  const { ticket } = await createTicket(
    db,
    { ...text, email: "alice@corp.test", priority, category: "hardware", ...extra },
    { principal: null, defaultSource: "api", createdAt, now: createdAt },
  );
  return { key: ticket.key, id: Number(ticket.key.slice(2)), ticket };
}
async function clock(id: number) {
  const [r] = await db.select().from(ticketSlas).where(eq(ticketSlas.ticketId, id));
  return r ?? null;
}
const patch = (key: string, p: UpdateTicketInput, now: Date) => updateTicket(db, key, p, agent, { now });
const say = (key: string, who: Principal, now: Date, body = "Any news on this?") => addComment(db, key, { body, internal: false }, who, { now });
const slaOf = async (key: string) => (await getTicketDetail(db, key, agent)).ticket.sla;

function principal(id: string, email: string, role: "agent" | "requester"): Principal {
  return { kind: "user", id, userId: id, role, email, label: email };
}

beforeAll(async () => {
  db = testDb.db;
  await db.update(businessCalendars).set({ timeZone: "Europe/Berlin" }).where(eq(businessCalendars.name, CALENDAR_BUSINESS_HOURS));
  const a = await makeActor(db, "agent@corp.test", "agent", { teamSlug: "service-desk" });
  const r = await makeActor(db, "alice@corp.test", "requester");
  agent = principal(a.id, a.email, "agent");
  alice = principal(r.id, r.email, "requester");
});

describe("due times on create", () => {
  it("P1 on 24×7: first response created + 15 min, resolution + 4 h, warnings at 80 %", async () => {
    const { id, ticket } = await file("P1", at("2026-12-01T10:00:00Z"));
    const c = await clock(id);
    expect(c?.policyName).toBe("P1 critical");
    expect(iso(c?.firstResponseDueAt)).toBe("2026-12-01T10:15:00.000Z");
    expect(iso(c?.firstResponseWarnAt)).toBe("2026-12-01T10:12:00.000Z");
    expect(iso(c?.resolutionDueAt)).toBe("2026-12-01T14:00:00.000Z");
    expect(iso(c?.nextCheckAt)).toBe("2026-12-01T10:12:00.000Z");
    expect(ticket.sla).toMatchObject({ policy: "P1 critical", state: "on_track", remainingS: 900, activeTarget: "first_response" });
  });

  it("P4 on the Business hours calendar (Europe/Berlin, Mon–Fri 9–17)", async () => {
    // Friday 16:00 Berlin (UTC+1): 1 h on Friday, 7 h on Monday → Monday 16:00; 40 h → next Friday 16:00.
    const { id } = await file("P4", at("2026-12-04T15:00:00Z"));
    const c = await clock(id);
    expect(iso(c?.firstResponseDueAt)).toBe("2026-12-07T15:00:00.000Z");
    expect(iso(c?.resolutionDueAt)).toBe("2026-12-11T15:00:00.000Z");
  });

  it("recompute is idempotent", async () => {
    const { id } = await file("P2", at("2026-12-01T10:00:00Z"));
    const a = await clock(id);
    await db.transaction((tx) => recomputeTicketSla(tx, id, at("2026-12-01T10:30:00Z")));
    expect({ ...(await clock(id)), updatedAt: null }).toEqual({ ...a, updatedAt: null });
  });
});

describe("recomputed on field changes", () => {
  it("priority change P1 → P4 applies the P4 policy from the creation time", async () => {
    const { key, id } = await file("P1", at("2026-12-04T15:00:00Z"));
    const t = await patch(key, { priority: "P4" }, at("2026-12-04T15:05:00Z"));
    expect(t.sla?.policy).toBe("P4 low");
    expect(iso((await clock(id))?.firstResponseDueAt)).toBe("2026-12-07T15:00:00.000Z");
  });

  it("category change picks the category's policy, and back", async () => {
    await db.insert(slaPolicies).values({
      name: "P2 access",
      priority: "P2",
      categorySlug: "access",
      calendarId: (await db.select().from(businessCalendars).where(eq(businessCalendars.name, "24×7")))[0].id,
      firstResponseS: 600,
      resolutionS: 7200,
    });
    const { key, id } = await file("P2", at("2026-12-01T10:00:00Z"));
    expect((await clock(id))?.policyName).toBe("P2 high");
    const t = await patch(key, { category: "access" }, at("2026-12-01T10:01:00Z"));
    expect(t.sla).toMatchObject({ policy: "P2 access", firstResponseDueAt: "2026-12-01T10:10:00.000Z", resolutionDueAt: "2026-12-01T12:00:00.000Z" });
    expect((await patch(key, { category: "hardware" }, at("2026-12-01T10:02:00Z"))).sla?.policy).toBe("P2 high");
  });

  it("a team change through writeTicketChanges (auto-assignment) picks the team's policy", async () => {
    const cal24 = (await db.select().from(businessCalendars).where(eq(businessCalendars.name, "24×7")))[0].id;
    await db.insert(slaPolicies).values({ name: "P2 identity", priority: "P2", teamSlug: "identity-access", calendarId: cal24, firstResponseS: 300, resolutionS: 3600 });
    const { key, id } = await file("P2", at("2026-12-01T10:00:00Z"));
    await db.transaction((tx) =>
      writeTicketChanges(tx, { id, key, teamSlug: "end-user-computing", assigneeId: null }, {
        set: { teamSlug: "identity-access" },
        before: { team: "end-user-computing" },
        after: { team: "identity-access" },
        actor: { actorType: "system", actorId: null, actorLabel: "routing" },
        assignment: { assignedById: null, reason: "test" },
      }),
    );
    const c = await clock(id);
    expect(c?.policyName).toBe("P2 identity");
    expect(iso(c?.firstResponseDueAt)).toBe("2026-12-01T10:05:00.000Z");
  });

  it("no policy → no clock (sla null); a policy again → a clock", async () => {
    await db.update(slaPolicies).set({ active: false }).where(eq(slaPolicies.priority, "P3"));
    try {
      const { key, id, ticket } = await file("P3", at("2026-12-01T10:00:00Z"));
      expect(ticket.sla).toBeNull();
      expect(await clock(id)).toBeNull();
      expect((await patch(key, { priority: "P1" }, at("2026-12-01T10:01:00Z"))).sla?.policy).toBe("P1 critical");
      expect((await patch(key, { priority: "P3" }, at("2026-12-01T10:02:00Z"))).sla).toBeNull();
      expect(await clock(id)).toBeNull();
    } finally {
      await db.update(slaPolicies).set({ active: true }).where(eq(slaPolicies.priority, "P3"));
    }
  });
});

describe("pause and resume", () => {
  it("waiting on the requester pauses; resuming adds the paused business time to the due times", async () => {
    const { key, id } = await file("P1", at("2026-12-01T10:00:00Z"));
    const w = await patch(key, { status: "waiting", waitingReason: "requester" }, at("2026-12-01T10:05:00Z"));
    expect(iso((await clock(id))?.pausedAt)).toBe("2026-12-01T10:05:00.000Z");
    expect((await clock(id))?.nextCheckAt).toBeNull(); // a paused clock neither warns nor breaches
    expect(w.sla).toMatchObject({ state: "paused", remainingS: 600, pausedAt: "2026-12-01T10:05:00.000Z", firstResponseDueAt: "2026-12-01T10:15:00.000Z" });
    const o = await patch(key, { status: "open" }, at("2026-12-01T11:05:00Z"));
    const c = await clock(id);
    expect(c?.pausedAt).toBeNull();
    expect(c?.pausedBusinessS).toBe(3600);
    expect(iso(c?.firstResponseDueAt)).toBe("2026-12-01T11:15:00.000Z");
    expect(iso(c?.resolutionDueAt)).toBe("2026-12-01T15:00:00.000Z");
    expect(o.sla?.state).not.toBe("paused");
  });

  it("pauses on a business calendar count business time only", async () => {
    // P4, Friday 16:00 Berlin; paused Friday 16:30 → Monday 10:00: 30 min + 60 min of business time.
    const { key, id } = await file("P4", at("2026-12-04T15:00:00Z"));
    await patch(key, { status: "waiting", waitingReason: "third_party" }, at("2026-12-04T15:30:00Z"));
    await patch(key, { status: "in_progress" }, at("2026-12-07T09:00:00Z"));
    const c = await clock(id);
    expect(c?.pausedBusinessS).toBe(90 * 60);
    expect(iso(c?.firstResponseDueAt)).toBe("2026-12-08T08:30:00.000Z"); // Monday 16:00 + 1.5 h → Tuesday 09:30
  });

  it("a policy whose pause_on leaves out third_party does not pause on it; changing the reason to requester does", async () => {
    await db.update(slaPolicies).set({ pauseOn: ["requester"] }).where(eq(slaPolicies.name, "P3 medium"));
    const { key, id } = await file("P3", at("2026-12-01T10:00:00Z"));
    const w = await patch(key, { status: "waiting", waitingReason: "third_party" }, at("2026-12-01T10:10:00Z"));
    expect((await clock(id))?.pausedAt).toBeNull();
    expect(w.sla?.state).toBe("on_track");
    await patch(key, { waitingReason: "requester" }, at("2026-12-01T10:20:00Z"));
    expect(iso((await clock(id))?.pausedAt)).toBe("2026-12-01T10:20:00.000Z");
    await patch(key, { waitingReason: "third_party" }, at("2026-12-01T10:50:00Z"));
    const c = await clock(id);
    expect(c?.pausedAt).toBeNull();
    expect(c?.pausedBusinessS).toBe(30 * 60);
  });
});

describe("responses and resolution", () => {
  it("the first public agent reply meets the first response (an internal note does not)", async () => {
    const now = new Date();
    const { key, id } = await file("P1", new Date(now.getTime() - MIN));
    await addComment(db, key, { body: "Looking at logs", internal: true }, agent, { now });
    expect((await clock(id))?.firstResponseMetAt).toBeNull();
    await say(key, agent, now, "We are on it");
    const c = await clock(id);
    const [t] = await rows<{ first_response_at: string }>(db, sql`SELECT first_response_at::text FROM tickets WHERE id = ${id}`);
    expect(c?.firstResponseMetAt?.getTime()).toBe(new Date(t.first_response_at).getTime());
    expect(c?.firstResponseBusinessS).toBeGreaterThanOrEqual(59);
    const sla = await slaOf(key);
    expect(sla?.targets.find((x) => x.target === "first_response")?.state).toBe("met");
    expect(sla?.activeTarget).toBe("resolution");
  });

  it("a late first response is met but breached", async () => {
    const { key } = await file("P1", new Date(Date.now() - 20 * MIN));
    await say(key, agent, new Date(), "Sorry for the wait");
    const sla = await slaOf(key);
    expect(sla?.targets.find((x) => x.target === "first_response")?.state).toBe("breached");
    expect(sla?.state).toBe("breached");
  });

  it("a requester message starts a next-response cycle; the agent's reply meets it; the next message starts cycle 2", async () => {
    const t0 = new Date(Date.now() - 10 * MIN);
    const { key, id } = await file("P1", t0);
    const m1 = new Date(t0.getTime() + 1 * MIN);
    await say(key, alice, m1, "Before anyone answered"); // first response not met yet: no cycle
    expect((await clock(id))?.nextResponseCycle).toBe(0);
    await say(key, agent, new Date(t0.getTime() + 2 * MIN), "Hello");
    const m2 = new Date(t0.getTime() + 3 * MIN);
    await say(key, alice, m2, "It happened again");
    let c = await clock(id);
    expect(c?.nextResponseCycle).toBe(1);
    expect(c?.nextResponseStartedAt?.getTime()).toBe(m2.getTime());
    expect(c?.nextResponseDueAt?.getTime()).toBe(m2.getTime() + 3600_000);
    expect(c?.nextResponseWarnAt?.getTime()).toBe(m2.getTime() + 2880_000);
    await say(key, alice, new Date(t0.getTime() + 4 * MIN), "And again"); // a running cycle keeps its start
    expect((await clock(id))?.nextResponseStartedAt?.getTime()).toBe(m2.getTime());
    const sla = await slaOf(key);
    expect(sla?.nextResponseDueAt).toBe(new Date(m2.getTime() + 3600_000).toISOString());
    expect(sla?.targets.map((x) => x.target)).toEqual(["first_response", "next_response", "resolution"]);
    await say(key, agent, new Date(t0.getTime() + 5 * MIN), "Fixed the profile");
    c = await clock(id);
    expect(c?.nextResponseDueAt).toBeNull();
    expect(c?.nextResponseStartedAt).toBeNull();
    expect((await slaOf(key))?.nextResponseDueAt).toBeNull();
    await say(key, alice, new Date(t0.getTime() + 6 * MIN), "Now it is the printer");
    expect((await clock(id))?.nextResponseCycle).toBe(2);
  });

  it("a pause during a next-response cycle moves its due time", async () => {
    const t0 = at("2026-12-01T10:00:00Z");
    const { key, id } = await file("P1", t0);
    await db.execute(sql`UPDATE tickets SET first_response_at = ${"2026-12-01T10:01:00Z"}::timestamptz, status = 'open' WHERE id = ${id}`);
    await say(key, alice, at("2026-12-01T10:10:00Z"), "More details");
    expect(iso((await clock(id))?.nextResponseDueAt)).toBe("2026-12-01T11:10:00.000Z");
    await patch(key, { status: "waiting", waitingReason: "third_party" }, at("2026-12-01T10:20:00Z"));
    await patch(key, { status: "open" }, at("2026-12-01T10:50:00Z"));
    expect(iso((await clock(id))?.nextResponseDueAt)).toBe("2026-12-01T11:40:00.000Z");
  });

  it("resolved → resolution met; reopened → unmet again with the same due time; a recorded breach stays", async () => {
    const t0 = new Date(Date.now() - 10 * MIN);
    const { key, id } = await file("P1", t0);
    await say(key, agent, new Date(t0.getTime() + MIN), "Try now");
    const before = await clock(id);
    const r = await patch(key, { status: "resolved", resolution: "Reset the VPN profile" }, new Date(t0.getTime() + 2 * MIN));
    let c = await clock(id);
    expect(c?.resolutionMetAt?.toISOString()).toBe(r.resolvedAt);
    expect(c?.nextCheckAt).toBeNull();
    expect(r.sla?.state).toBe("met");
    await db.execute(sql`INSERT INTO sla_breaches (ticket_id, target, level, cycle, priority, due_at) VALUES (${id}, 'resolution', 'warning', 0, 'P1', now())`);
    const o = await patch(key, { status: "open" }, new Date(t0.getTime() + 3 * MIN));
    c = await clock(id);
    expect(c?.resolutionMetAt).toBeNull();
    expect(c?.resolutionDueAt.getTime()).toBe(before?.resolutionDueAt.getTime());
    expect(c?.nextCheckAt?.getTime()).toBe(c?.resolutionDueAt.getTime()); // the warning was recorded: only the breach is pending
    expect(o.sla?.activeTarget).toBe("resolution");
    const closed = await patch(key, { status: "closed" }, new Date(t0.getTime() + 4 * MIN));
    expect(closed.sla?.state).toBe("met"); // closed tickets keep their clock
  });
});

describe("backfill", () => {
  it("gives open tickets without a clock one, leaves closed ones alone, and ends when nothing matches", async () => {
    const { id: open } = await file("P1", at("2026-12-01T10:00:00Z"));
    const { id: closed } = await file("P1", at("2026-12-01T10:00:00Z"));
    await db.execute(sql`UPDATE tickets SET status = 'closed', resolved_at = created_at, closed_at = created_at WHERE id = ${closed}`);
    await db.execute(sql`DELETE FROM ticket_slas WHERE ticket_id IN (${open}, ${closed})`);
    const r = await backfillTicketSlas(db, at("2026-12-01T10:30:00Z"));
    expect(r.created).toBeGreaterThanOrEqual(1); // also the P3 ticket filed while P3 had no policy
    expect(await clock(open)).not.toBeNull();
    expect(await clock(closed)).toBeNull();
    expect((await backfillTicketSlas(db, at("2026-12-01T10:30:00Z"))).created).toBe(0);
  });
});

describe("backfill of overdue tickets", () => {
  it("records thresholds that passed before the clock existed as quiet history (no events, no escalation), and the sweep then acts on nothing", async () => {
    const { runSlaSweep } = await import("@/lib/sla/sweep");
    // A P1 ticket filed 2 days before SLAs existed: first response (15 min) and resolution (4 h) both passed.
    const { id } = await file("P1", at("2026-11-20T08:00:00Z"));
    await db.execute(sql`DELETE FROM ticket_slas WHERE ticket_id = ${id}`);
    const now = at("2026-11-22T08:00:00Z");
    await backfillTicketSlas(db, now);
    const recorded = await rows<{ target: string; level: string; occurred_at: Date | string; due_at: Date | string; actions: Record<string, unknown> }>(
      db,
      sql`SELECT target, level, occurred_at, due_at, actions FROM sla_breaches WHERE ticket_id = ${id} ORDER BY due_at`,
    );
    expect(recorded.map((r) => [r.target, r.level])).toEqual([
      ["first_response", "breach"],
      ["resolution", "breach"],
    ]);
    // History keeps the threshold's own time, not the backfill's.
    expect(recorded.map((r) => new Date(r.occurred_at).toISOString())).toEqual(["2026-11-20T08:15:00.000Z", "2026-11-20T12:00:00.000Z"]);
    expect(recorded.every((r) => typeof r.actions.quiet === "string")).toBe(true);
    expect((await clock(id))!.nextCheckAt).toBeNull();
    const events = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM domain_events WHERE ticket_id = ${id} AND type LIKE 'ticket.sla_%'`);
    expect(events[0].n).toBe(0);
    const sweep = await runSlaSweep(db, now);
    expect(sweep.breaches).toBe(0);
    expect((await slaOf(`T-${id}`))!.state).toBe("breached");
  });
});

describe("the list reads each ticket's SLA in its own query", () => {
  it("slaJsonColumn + slaDTOsFromJson give what loadSlaDTOs gives: paused, met, breached, cycles, a holiday, a deleted calendar", async () => {
    // The tickets above cover each state; add a holiday and a ticket whose calendar is gone.
    const [bh] = await db.select().from(businessCalendars).where(eq(businessCalendars.name, CALENDAR_BUSINESS_HOURS));
    await db.insert(calendarHolidays).values({ calendarId: bh.id, day: "2026-11-19", name: "Company day" }).onConflictDoNothing();
    const p4 = await file("P4", at("2026-11-16T08:00:00Z"));
    const doomed = await file("P1", at("2026-11-16T09:00:00Z"));
    const [gone] = await db.insert(businessCalendars).values({ name: "Short-lived", timeZone: "Asia/Tokyo", alwaysOpen: true, hours: {} }).returning();
    await db.update(ticketSlas).set({ calendarId: gone.id }).where(eq(ticketSlas.ticketId, doomed.id));
    await db.delete(businessCalendars).where(eq(businessCalendars.id, gone.id));

    const found = await db.select({ id: tickets.id, sla: slaJsonColumn() }).from(tickets);
    const ids = found.map((r) => Number(r.id));
    for (const now of [at("2026-11-18T10:00:00Z"), at("2026-11-19T10:00:00Z"), at("2027-03-01T00:00:00Z")]) {
      const want = await loadSlaDTOs(db, ids, now);
      const got = slaDTOsFromJson(found.map((r) => ({ id: Number(r.id), sla: r.sla })), now);
      expect(want.size).toBeGreaterThan(5);
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    }
    expect(slaDTOsFromJson(found.map((r) => ({ id: Number(r.id), sla: r.sla })), at("2026-11-18T10:00:00Z")).get(p4.id)!.calendar.holidays).toContain("2026-11-19");
    expect((await loadSlaDTOs(db, [doomed.id], new Date())).get(doomed.id)!.calendar.name).toBe("(deleted calendar)");

    // And the list hands them out: same clocks as the detail read.
    const page = await listTickets(db, ListTicketsQuerySchema.parse({ limit: "100" }), agent);
    const listed = new Map(page.items.map((t) => [Number(t.key.slice(2)), t.sla]));
    const detail = await loadSlaDTOs(db, [...listed.keys()], new Date());
    for (const [id, sla] of listed) {
      expect(sla === null).toBe(!detail.has(id));
      if (sla) expect([sla.policy, sla.firstResponseDueAt, sla.resolutionDueAt, sla.calendar.name]).toEqual([detail.get(id)!.policy, detail.get(id)!.firstResponseDueAt, detail.get(id)!.resolutionDueAt, detail.get(id)!.calendar.name]);
    }
    expect(listed.get(doomed.id)!.calendar.name).toBe("(deleted calendar)");
  });
});
