import { describe, expect, it, beforeAll } from "vitest";
import { parse } from "csv-parse/sync";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import {
  AUDIT_EVENTS_CSV_COLUMNS,
  TRIAGE_DECISIONS_CSV_COLUMNS,
  exportAuditEventsCsv,
  exportTriageDecisionsCsv,
  listAuditEvents,
  listTriageDecisions,
} from "@/lib/audit/admin/queries";
import { AuditEventsQuerySchema, TriageDecisionsQuerySchema, changeSummary, utcDayBound } from "@/lib/audit/admin/schemas";
import { createTicket } from "@/lib/tickets/create-ticket";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { GET as eventsRoute } from "@/app/api/admin/audit/route";
import { GET as decisionsRoute } from "@/app/api/admin/audit/decisions/route";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * The admin audit queries, CSV exports and routes over real rows: tickets filed through
 * createTicket (ticket.created + a triage decision), status and category changed through
 * updateTicket (the lifecycle's ticket.status_changed, ticket.category_changed, and the
 * decision marked corrected by an agent). Runs on PGlite, and on PostgreSQL with DATABASE_URL.
 */

const t = useTestDb();

const EVIL = '=HYPERLINK("http://evil.example/x","click me")';
let admin: Actor, agent: Actor, requester: Actor;
let adminP: Principal, agentP: Principal;
let plainKey: string, evilKey: string;
let startedAt: string;

function principalOf(a: Actor, role: Principal["role"], label: string): Principal {
  return { kind: "user", id: a.id, role, userId: a.id, email: a.email, label };
}

const events = (q: Record<string, unknown> = {}) => listAuditEvents(t.db, adminP, AuditEventsQuerySchema.parse({ limit: 200, ...q }));
const decisions = (q: Record<string, unknown> = {}) => listTriageDecisions(t.db, adminP, TriageDecisionsQuerySchema.parse({ limit: 200, ...q }));
const csvRows = (csv: string) => parse(csv.replace(/^\uFEFF/, ""), { relax_column_count: false }) as string[][];

beforeAll(async () => {
  admin = await makeActor(t.db, "au-admin@corp.test", "admin");
  agent = await makeActor(t.db, "au-agent@corp.test", "agent", { teamSlug: "service-desk" });
  requester = await makeActor(t.db, "au-req@corp.test", "requester");
  adminP = principalOf(admin, "admin", "Audit Admin");
  agentP = principalOf(agent, "agent", "Audit Agent");
  startedAt = new Date(Date.now() - 1000).toISOString();
  const plain = await createTicket(
    t.db,
    { title: "Laptop screen flickers", description: "My laptop screen flickers when I plug in the dock", email: "au-req@corp.test" },
    { principal: null, defaultSource: "api" },
  );
  const evil = await createTicket(t.db, { title: EVIL, description: "Please open the link in the title, it shows the error", email: "au-req@corp.test" }, { principal: null, defaultSource: "api" });
  plainKey = plain.ticket.key;
  evilKey = evil.ticket.key;
  // Status through the lifecycle (updateTicket → transitionTicket), and an agent correction.
  await updateTicket(t.db, plainKey, { status: "in_progress" }, agentP);
  const other = plain.ticket.category === "storage" ? "hardware" : "storage";
  await updateTicket(t.db, plainKey, { category: other }, agentP);
  await updateTicket(t.db, plainKey, { assignee: agent.id }, agentP);
}, 120_000);

describe("audit events", () => {
  it("lists real events newest first, with actor, ticket key and a before → after summary", async () => {
    const { items } = await events({ ticket: plainKey });
    const actions = items.map((e) => e.action);
    expect(actions).toContain("ticket.created");
    expect(actions).toContain("ticket.status_changed");
    expect(actions).toContain("ticket.category_changed");
    expect(items.every((e) => e.ticketKey === plainKey)).toBe(true);
    expect(items.map((e) => e.id)).toEqual([...items.map((e) => e.id)].sort((a, b) => b - a));
    const status = items.find((e) => e.action === "ticket.status_changed")!;
    expect(status.actor).toBe("Audit Agent");
    expect(status.actorEmail).toBe("au-agent@corp.test");
    expect(status.summary).toContain("status: new → in_progress");
    // A user id in the change is shown as the user's name; the raw after keeps the id.
    const assigned = items.find((e) => e.action === "ticket.assignee_changed")!;
    expect(assigned.summary).toBe("assignee: – → au-agent");
    expect(assigned.after).toMatchObject({ assignee: agent.id });
  });

  it("filters by ticket, actor (e-mail, id, label), action (exact or entity) and time", async () => {
    expect((await events({ ticket: evilKey })).items.every((e) => e.ticketKey === evilKey)).toBe(true);
    expect((await events({ ticket: "T-999999" })).items).toEqual([]);

    const byMail = await events({ actor: "au-agent@corp" });
    expect(byMail.items.length).toBeGreaterThanOrEqual(2);
    expect(byMail.items.every((e) => e.actorId === agent.id)).toBe(true);
    expect((await events({ actor: agent.id })).items.map((e) => e.id)).toEqual(byMail.items.map((e) => e.id));
    expect((await events({ actor: "audit agent" })).items.map((e) => e.id)).toEqual(byMail.items.map((e) => e.id));
    expect((await events({ actor: "nobody-at-all" })).items).toEqual([]);

    const created = await events({ action: "ticket.created" });
    expect(created.items.map((e) => e.ticketKey).sort()).toEqual([plainKey, evilKey].sort());
    const ticketAll = await events({ action: "ticket", ticket: plainKey });
    expect(ticketAll.items.length).toBe((await events({ ticket: plainKey })).items.length);
    expect((await events({ action: "mailbox" })).items).toEqual([]);

    // Instants with an offset: the same moment, written in +02:00.
    const future = new Date(Date.now() + 3_600_000);
    const plus2 = (d: Date) => new Date(d.getTime() + 2 * 3_600_000).toISOString().replace("Z", "+02:00");
    expect((await events({ from: plus2(future) })).items).toEqual([]);
    expect((await events({ to: startedAt })).items.filter((e) => e.ticketKey)).toEqual([]);
    const inRange = await events({ from: plus2(new Date(startedAt)), to: plus2(future), ticket: plainKey });
    expect(inRange.items.length).toBe((await events({ ticket: plainKey })).items.length);
  });

  it("pages by cursor without gaps or repeats", async () => {
    const all = (await events()).items.map((e) => e.id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents(t.db, adminP, AuditEventsQuerySchema.parse({ limit: 2, cursor }));
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("refuses non-admins", async () => {
    const err = await listAuditEvents(t.db, agentP, AuditEventsQuerySchema.parse({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(403);
  });
});

describe("triage decisions", () => {
  it("lists each ticket's decision with provider, model, confidence, tokens, cost and the agent's correction", async () => {
    const { items } = await decisions();
    expect(items.map((d) => d.ticketKey).sort()).toEqual([plainKey, evilKey].sort());
    const plain = items.find((d) => d.ticketKey === plainKey)!;
    expect(plain.provider).toBeTruthy();
    expect(plain.model).toBeTruthy();
    expect(plain.confidence).toBeGreaterThanOrEqual(0);
    expect(plain.confidence).toBeLessThanOrEqual(1);
    expect(typeof plain.costUsd).toBe("number");
    expect(plain.corrected).toBe(true);
    expect(plain.overriddenBy).toBe("agent");
    expect(plain.finalCategory).not.toBe(plain.category);
    expect(items.find((d) => d.ticketKey === evilKey)!.corrected).toBe(false);
  });

  it("filters by ticket, provider, corrected and time", async () => {
    expect((await decisions({ ticket: evilKey })).items.map((d) => d.ticketKey)).toEqual([evilKey]);
    expect((await decisions({ corrected: "true" })).items.map((d) => d.ticketKey)).toEqual([plainKey]);
    expect((await decisions({ corrected: "false" })).items.map((d) => d.ticketKey)).toEqual([evilKey]);
    const provider = (await decisions()).items[0].provider;
    expect((await decisions({ provider })).items.length).toBe(2);
    expect((await decisions({ provider: "no-such-provider" })).items).toEqual([]);
    expect((await decisions({ from: new Date(Date.now() + 3_600_000).toISOString() })).items).toEqual([]);
    expect((await decisions({ to: startedAt })).items).toEqual([]);
  });
});

describe("CSV export", () => {
  it("audit events: header, one row per event, filters applied, formula cells neutralised", async () => {
    const all = await exportAuditEventsCsv(t.db, adminP, AuditEventsQuerySchema.parse({ ticket: evilKey }));
    expect(all.csv.startsWith("\uFEFF")).toBe(true);
    expect(all.csv).toContain("\r\n");
    const rows = csvRows(all.csv);
    expect(rows[0]).toEqual([...AUDIT_EVENTS_CSV_COLUMNS]);
    expect(rows.length - 1).toBe(all.rows);
    expect(all.truncated).toBe(false);
    expect(rows.slice(1).every((r) => r[7] === evilKey)).toBe(true);
    const title = rows[1][AUDIT_EVENTS_CSV_COLUMNS.indexOf("ticket_title")];
    expect(title).toBe(`'${EVIL}`);
    // No cell of the file starts with a formula character.
    for (const r of rows.slice(1)) for (const c of r) expect(c).not.toMatch(/^[=+\-@\t\r]/);

    const filtered = csvRows((await exportAuditEventsCsv(t.db, adminP, AuditEventsQuerySchema.parse({ action: "ticket.status_changed" }))).csv);
    expect(filtered.length).toBe(2);
    const assigned = csvRows((await exportAuditEventsCsv(t.db, adminP, AuditEventsQuerySchema.parse({ action: "ticket.assignee_changed" }))).csv);
    expect(assigned[1][AUDIT_EVENTS_CSV_COLUMNS.indexOf("changes")]).toBe("assignee: – → au-agent");
    expect(assigned[1][AUDIT_EVENTS_CSV_COLUMNS.indexOf("after")]).toContain(agent.id);
    expect(filtered[1][AUDIT_EVENTS_CSV_COLUMNS.indexOf("ticket")]).toBe(plainKey);
    expect(filtered[1][AUDIT_EVENTS_CSV_COLUMNS.indexOf("changes")]).toContain("status: new → in_progress");
  });

  it("triage decisions: header, filters, formula cells neutralised", async () => {
    const out = await exportTriageDecisionsCsv(t.db, adminP, TriageDecisionsQuerySchema.parse({ ticket: evilKey }));
    const rows = csvRows(out.csv);
    expect(rows[0]).toEqual([...TRIAGE_DECISIONS_CSV_COLUMNS]);
    expect(rows.length).toBe(2);
    expect(rows[1][1]).toBe(evilKey);
    expect(rows[1][2]).toBe(`'${EVIL}`);
    const corrected = csvRows((await exportTriageDecisionsCsv(t.db, adminP, TriageDecisionsQuerySchema.parse({ corrected: "true" }))).csv);
    expect(corrected.map((r) => r[1])).toEqual(["ticket", plainKey]);
    expect(corrected[1][TRIAGE_DECISIONS_CSV_COLUMNS.indexOf("corrected_by_agent")]).toBe("true");
  });
});

describe("routes", () => {
  it("serve JSON pages and CSV downloads to admins", async () => {
    const res = await call(eventsRoute, { path: `/api/admin/audit?ticket=${plainKey}&limit=2`, key: admin.key });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.nextCursor).toMatch(/^\d+$/);
    const next = await call(eventsRoute, { path: `/api/admin/audit?ticket=${plainKey}&limit=2&cursor=${res.body.nextCursor}`, key: admin.key });
    expect(next.status).toBe(200);
    expect(next.body.items[0].id).toBeLessThan(res.body.items[1].id);

    const csv = await call(eventsRoute, { path: `/api/admin/audit?format=csv&ticket=${evilKey}`, key: admin.key });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="audit-events-\d{4}-\d\d-\d\d\.csv"/);
    expect(csv.headers.get("x-truncated")).toBe("false");
    expect(String(csv.body)).toContain(`'${EVIL.replace(/"/g, '""')}`);

    const dec = await call(decisionsRoute, { path: `/api/admin/audit/decisions?ticket=${plainKey}`, key: admin.key });
    expect(dec.status).toBe(200);
    expect(dec.body.items).toHaveLength(1);
    expect(dec.body.items[0]).toMatchObject({ ticketKey: plainKey, corrected: true });
    const decCsv = await call(decisionsRoute, { path: `/api/admin/audit/decisions?format=csv&corrected=true`, key: admin.key });
    expect(decCsv.status).toBe(200);
    expect(String(decCsv.body)).toContain(`"${plainKey}"`);
  });

  it("answer 400 on bad filters", async () => {
    for (const q of ["from=yesterday", "to=2026-12-01", "action=nonsense.thing", "action=DROP%20TABLE", "ticket=12", "cursor=abc", "limit=0", "color=red", "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z"]) {
      const res = await call(eventsRoute, { path: `/api/admin/audit?${q}`, key: admin.key });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toBe("validation_error");
    }
    for (const q of ["corrected=maybe", "from=2026-13-01T00:00:00Z", "actor=x"]) {
      const res = await call(decisionsRoute, { path: `/api/admin/audit/decisions?${q}`, key: admin.key });
      expect(res.status, q).toBe(400);
    }
  });

  it("refuse anonymous callers (401), requesters and agents (403)", async () => {
    for (const handler of [eventsRoute, decisionsRoute]) {
      for (const format of ["json", "csv"]) {
        const path = `/api/admin/audit?format=${format}`;
        expect((await call(handler, { path })).status).toBe(401);
        expect((await call(handler, { path, key: requester.key })).status).toBe(403);
        expect((await call(handler, { path, key: agent.key })).status).toBe(403);
      }
    }
  });
});

describe("helpers", () => {
  it("summarise changes and turn days into instants", () => {
    expect(changeSummary({ status: "open" }, { status: "resolved", cause: "agent" })).toBe("status: open → resolved; cause: agent");
    expect(changeSummary(null, { title: "x" })).toBe("title: x");
    expect(changeSummary({ watcher: "a@b.c" }, null)).toBe("watcher: a@b.c → –");
    expect(changeSummary({ a: 1 }, { a: 1 })).toBe("");
    const id = "333DE680-A40E-48BC-A0B8-D248431810CB";
    expect(changeSummary({ assignee: null }, { assignee: id }, new Map([[id.toLowerCase(), "Sam Agent"]]))).toBe("assignee: – → Sam Agent");
    expect(changeSummary({ assignee: null }, { assignee: id })).toBe(`assignee: – → ${id}`);
    expect(utcDayBound("2026-12-01")).toBe("2026-12-01T00:00:00.000Z");
    expect(utcDayBound("2026-12-31", true)).toBe("2027-01-01T00:00:00.000Z");
    expect(utcDayBound("yesterday")).toBeUndefined();
  });
});
