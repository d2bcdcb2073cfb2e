import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import * as agentsRoute from "@/app/api/dashboard/agents/route";
import * as backlogRoute from "@/app/api/dashboard/backlog/route";
import * as csatRoute from "@/app/api/dashboard/csat/route";
import * as summaryRoute from "@/app/api/dashboard/summary/route";
import type { Principal } from "@/lib/auth/principal";
import { getAgentsWorkload } from "@/lib/dashboard/agents";
import { getBacklog, type LinkedCount } from "@/lib/dashboard/backlog";
import { getCsatStats } from "@/lib/dashboard/csat";
import { ticketListHref } from "@/lib/dashboard/links";
import { getDashboardSummary } from "@/lib/dashboard/summary";
import { openApiDocument } from "@/lib/http/openapi";
import { countTickets } from "@/lib/tickets/list-tickets";
import { ListTicketsQuerySchema } from "@/lib/tickets/schemas";
import { sessionOf } from "../assistant/execute-helpers";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * The dashboard's read side on fixed rows inserted directly (created_at, resolved_at and
 * first_response_at chosen by hand), so every figure below is worked out from this table.
 * Now = 2026-03-10T12:00Z. Range 2026-03-05 … 2026-03-10 (6 days); previous 2026-02-27 … 2026-03-04.
 */
const testDb = useTestDb();
let db: Db;
let agent1: Actor;
let agent2: Actor;
let requester: Actor;
let staff: Principal;
const NOW = new Date("2026-03-10T12:00:00Z");
const RANGE = { from: "2026-03-05", to: "2026-03-10" };
const HOUR = 3_600_000;
const ago = (h: number) => new Date(NOW.getTime() - h * HOUR).toISOString();
const ids: Record<string, number> = {};

type Spec = {
  name: string;
  status: "new" | "open" | "in_progress" | "waiting" | "resolved" | "closed";
  team: string | null;
  who: "a1" | "a2" | null;
  created: string;
  firstResponse?: string;
  resolved?: string;
};
const SPECS: Spec[] = [
  { name: "u1", status: "new", team: "identity-access", who: null, created: ago(2) }, // < 1 day
  { name: "u2", status: "open", team: "identity-access", who: "a1", created: ago(24) }, // exactly 1 day: still the youngest bucket
  { name: "u3", status: "in_progress", team: "end-user-computing", who: "a1", created: ago(48) }, // 1–3 days
  { name: "u4", status: "waiting", team: null, who: "a2", created: ago(5 * 24) }, // 3–7 days
  { name: "u5", status: "open", team: "end-user-computing", who: "a2", created: ago(10 * 24) }, // 7–30 days
  { name: "u6", status: "new", team: "identity-access", who: null, created: ago(40 * 24) }, // > 30 days
  { name: "s7", status: "resolved", team: "identity-access", who: "a1", created: "2026-03-07T12:00:00Z", firstResponse: "2026-03-07T13:00:00Z", resolved: "2026-03-09T10:00:00Z" },
  { name: "s8", status: "closed", team: "end-user-computing", who: "a1", created: "2026-02-18T12:00:00Z", firstResponse: "2026-02-18T14:00:00Z", resolved: "2026-03-08T00:00:00Z" },
  { name: "s9", status: "resolved", team: "end-user-computing", who: "a2", created: "2026-02-25T00:00:00Z", resolved: "2026-03-01T00:00:00Z" },
  { name: "s10", status: "resolved", team: null, who: null, created: "2026-02-27T00:00:00Z", resolved: "2026-03-01T12:00:00Z" },
];

beforeAll(async () => {
  db = testDb.db;
  agent1 = await makeActor(db, "ann@corp.test", "agent", { teamSlug: "identity-access" });
  agent2 = await makeActor(db, "bert@corp.test", "agent", { teamSlug: "end-user-computing" });
  requester = await makeActor(db, "req@corp.test", "requester");
  staff = sessionOf(agent1, "agent");
  for (const s of SPECS) {
    const assignee = s.who === "a1" ? agent1.id : s.who === "a2" ? agent2.id : null;
    const [t] = await rows<{ id: number }>(
      db,
      sql`INSERT INTO tickets (title, description, requester_email, category_slug, priority, status, waiting_reason, team_slug, assignee_id,
                               created_at, first_response_at, resolved_at)
          VALUES (${`Dashboard ticket ${s.name}`}, 'For the dashboard figures', 'req@corp.test', 'access', 'P3', ${s.status}::ticket_status,
                  ${s.status === "waiting" ? "requester" : null}::waiting_reason, ${s.team}, ${assignee}::uuid, ${s.created}::timestamptz,
                  ${s.firstResponse ?? null}::timestamptz, ${s.resolved ?? null}::timestamptz)
          RETURNING id::int AS id`,
    );
    ids[s.name] = t.id;
  }
  const rate = (name: string, rating: "good" | "bad", team: string | null, at: string) =>
    db.execute(sql`INSERT INTO csat_ratings (ticket_id, rating, requester_email, team_slug, created_at)
                   VALUES (${ids[name]}, ${rating}, 'req@corp.test', ${team}, ${at}::timestamptz)`);
  await rate("s7", "good", "identity-access", "2026-03-09T11:00:00Z");
  await rate("s8", "bad", "end-user-computing", "2026-03-08T01:00:00Z");
  await rate("s9", "good", "end-user-computing", "2026-03-05T00:00:00Z"); // first instant of the range
  await rate("s10", "good", null, "2026-03-04T23:59:59Z"); // previous period
  for (const at of ["2026-03-06T09:00:00Z", "2026-03-10T23:59:59Z", "2026-03-02T09:00:00Z", "2026-03-11T00:00:00Z"]) {
    await db.execute(sql`INSERT INTO deflections (ticket_id, requester_email, created_at) VALUES (${ids.s7}, 'req@corp.test', ${at}::timestamptz)`);
  }
});

/** Every linked count must equal the ticket list's count for its href (parsed like the list page parses it). */
async function expectLinksMatch(counts: LinkedCount[]): Promise<void> {
  for (const c of counts) {
    const url = new URL(c.href, "http://localhost");
    expect(url.pathname).toBe("/tickets");
    const q = ListTicketsQuerySchema.parse(Object.fromEntries(url.searchParams));
    expect(await countTickets(db, q, staff), c.href).toBe(c.n);
  }
}

describe("backlog", () => {
  it("counts unsolved tickets by status, team and age bucket (a ticket exactly 1 day old is in < 1 day)", async () => {
    const b = await getBacklog(db, NOW);
    expect(b.now).toBe(NOW.toISOString());
    expect(b.total.n).toBe(6);
    const n = (r: Record<string, LinkedCount>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.n]));
    expect(n(b.byAge)).toEqual({ lt1d: 2, "1to3d": 1, "3to7d": 1, "7to30d": 1, gt30d: 1 });
    expect(Object.fromEntries(Object.entries(b.byStatus).map(([k, v]) => [k, v.total.n]))).toEqual({ new: 2, open: 2, in_progress: 1, waiting: 1 });
    expect(n(b.byStatus.open.byAge)).toEqual({ lt1d: 1, "1to3d": 0, "3to7d": 0, "7to30d": 1, gt30d: 0 });
    expect(b.byTeam.map((t) => [t.key, t.total.n])).toEqual([["identity-access", 3], ["end-user-computing", 2], ["none", 1]]);
    expect(n(b.byTeam[0].byAge)).toEqual({ lt1d: 2, "1to3d": 0, "3to7d": 0, "7to30d": 0, gt30d: 1 });
  });

  it("links every count to the ticket list filtered to exactly those tickets", async () => {
    const b = await getBacklog(db, NOW);
    const rowsOf = [...Object.values(b.byStatus), ...b.byTeam];
    const all = [b.total, ...Object.values(b.byAge), ...rowsOf.flatMap((r) => [r.total, ...Object.values(r.byAge)])];
    expect(all.length).toBe(1 + 5 + 7 * 6);
    // The age links are bounded from `now`; the list compares with the same instants, so the counts agree.
    await expectLinksMatch(all);
    expect(b.byAge["1to3d"].href).toBe(
      "/tickets?status=new%2Copen%2Cin_progress%2Cwaiting&createdFrom=2026-03-07T12%3A00%3A00.000Z&createdTo=2026-03-09T12%3A00%3A00.000Z",
    );
    expect(b.byTeam[2].total.href).toBe("/tickets?status=new%2Copen%2Cin_progress%2Cwaiting&team=none");
  });
});

describe("agents' workload", () => {
  it("counts open tickets now and tickets resolved in range per agent, with medians, and an Unassigned row", async () => {
    const w = await getAgentsWorkload(db, RANGE);
    expect(w.range).toEqual(RANGE);
    const by = Object.fromEntries(w.agents.map((a) => [a.name, a]));
    expect(w.agents.at(-1)?.id).toBe("none");
    expect(by.ann).toMatchObject({ id: agent1.id, teamSlug: "identity-access", open: { n: 2 }, resolved: { n: 2 } });
    // nearest-rank medians of s7 (1 h, 46 h) and s8 (2 h, 17.5 days)
    expect(by.ann.firstResponseP50S).toBe(3600);
    expect(by.ann.resolutionP50S).toBe(46 * 3600);
    expect(by.bert).toMatchObject({ open: { n: 2 }, resolved: { n: 0 }, firstResponseP50S: null, resolutionP50S: null });
    expect(by.Unassigned).toMatchObject({ open: { n: 2 }, resolved: { n: 0 } });
    await expectLinksMatch(w.agents.flatMap((a) => [a.open, a.resolved]));
  });
});

describe("CSAT and deflections", () => {
  it("gives % good overall and per team at rating time, and deflections in [from, to + 1 day)", async () => {
    const c = await getCsatStats(db, RANGE);
    expect(c.all).toEqual({ good: 2, bad: 1, total: 3, goodPct: (100 * 2) / 3 });
    expect(c.byTeam).toEqual([
      { team: "end-user-computing", good: 1, bad: 1, total: 2, goodPct: 50 },
      { team: "identity-access", good: 1, bad: 0, total: 1, goodPct: 100 },
    ]);
    expect(c.deflections).toBe(2);
    const prev = await getCsatStats(db, { from: "2026-02-27", to: "2026-03-04" });
    expect(prev.all).toEqual({ good: 1, bad: 0, total: 1, goodPct: 100 });
    expect(prev.byTeam).toEqual([{ team: "none", good: 1, bad: 0, total: 1, goodPct: 100 }]);
    expect(prev.deflections).toBe(1);
  });
});

describe("summary against the previous period", () => {
  it("compares each headline figure with the previous period of equal length", async () => {
    const s = await getDashboardSummary(db, RANGE);
    expect(s.previous).toEqual({ from: "2026-02-27", to: "2026-03-04" });
    const f = s.figures;
    expect(f.created).toMatchObject({ unit: "count", current: 5, previous: 2, change: { delta: 3, pct: 150, direction: "up" } });
    expect(f.resolved).toMatchObject({ current: 2, previous: 2, change: { delta: 0, pct: 0, direction: "same" } });
    expect(f.csatGoodPct.change.direction).toBe("down");
    expect(f.csatGoodPct.current).toBeCloseTo(66.667, 2);
    expect(f.deflections).toMatchObject({ current: 2, previous: 1, change: { delta: 1, pct: 100, direction: "up" } });
    expect(f.firstResponseP50S).toMatchObject({ unit: "seconds", current: 3600, previous: null, change: { delta: null, direction: "unknown" } });
    await expectLinksMatch([
      { n: f.created.current ?? -1, href: f.created.href! },
      { n: f.resolved.current ?? -1, href: f.resolved.href! },
    ]);
  });
});

describe("links", () => {
  it("refuses to build a link that is not a valid list query", () => {
    expect(() => ticketListHref({ status: ["unsolved"] })).toThrow(/Not a valid ticket list query/);
    expect(() => ticketListHref({ createdFrom: "yesterday" })).toThrow();
    expect(ticketListHref({})).toBe("/tickets");
  });
});

describe("GET /api/dashboard/*", () => {
  /** key null = no credentials. */
  const get = (handler: typeof backlogRoute.GET, path: string, key: string | null = agent1.key) => call(handler, { path, key: key ?? undefined });

  it("answers agents with the same figures as the library", async () => {
    const a = await get(agentsRoute.GET, `/api/dashboard/agents?from=${RANGE.from}&to=${RANGE.to}`);
    expect(a.status).toBe(200);
    expect(a.body.agents.find((x: { id: string }) => x.id === agent1.id).resolved.n).toBe(2);
    const c = await get(csatRoute.GET, `/api/dashboard/csat?from=${RANGE.from}&to=${RANGE.to}`);
    expect(c.body.all.total).toBe(3);
    const s = await get(summaryRoute.GET, `/api/dashboard/summary?from=${RANGE.from}&to=${RANGE.to}`);
    expect(s.body.figures.created.current).toBe(5);
    const b = await get(backlogRoute.GET, "/api/dashboard/backlog");
    expect(b.status).toBe(200);
    expect(b.body.total.n).toBe(6);
  });

  it("rejects a bad range with 400, parameters on the backlog with 400, requesters with 403 and strangers with 401", async () => {
    for (const [h, p] of [
      [summaryRoute.GET, "summary"],
      [agentsRoute.GET, "agents"],
      [csatRoute.GET, "csat"],
    ] as const) {
      const after = await get(h, `/api/dashboard/${p}?from=2026-03-10&to=2026-03-01`);
      expect(after.status).toBe(400);
      expect(after.body.error.code).toBeTypeOf("string");
      expect((await get(h, `/api/dashboard/${p}?from=2020-01-01&to=2026-03-01`)).status).toBe(400);
      expect((await get(h, `/api/dashboard/${p}?from=March`)).status).toBe(400);
      expect((await get(h, `/api/dashboard/${p}`, requester.key)).status).toBe(403);
      expect((await get(h, `/api/dashboard/${p}`, null)).status).toBe(401);
    }
    expect((await get(backlogRoute.GET, "/api/dashboard/backlog?team=x")).status).toBe(400);
    expect((await get(backlogRoute.GET, "/api/dashboard/backlog", requester.key)).status).toBe(403);
  });

  it("is described in the OpenAPI document", () => {
    const paths = openApiDocument().paths as Record<string, { get?: { parameters?: { name: string }[] } }>;
    for (const p of ["backlog", "agents", "csat", "summary"]) expect(paths[`/api/dashboard/${p}`]?.get).toBeDefined();
    expect(paths["/api/dashboard/summary"].get?.parameters?.map((x) => x.name)).toEqual(["from", "to"]);
  });
});
