import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { odataRecords, odataRuns, odataSources } from "@/db/schema";
import { resetSecretKeys } from "@/lib/crypto/secrets";
import { resetEnvForTests } from "@/lib/env";
import { runEventJob } from "@/lib/jobs/run-job";
import { odataReportJob } from "@/lib/odata/jobs";
import { applyRecord, pullDueSources, pullSource } from "@/lib/odata/pull";
import { cleanRecords } from "@/lib/odata/records";
import { odataErrorBody, startODataFake, type ODataFake } from "../fakes/odata-server";
import { basicCredentials } from "../fakes/push-fake-base";
import { useTestDb } from "../helpers/db";
import { insertSource, MAPPING, noSleep, odataTickets, sourceRow } from "./helpers";

const t = useTestDb();
let db: Db;
const originalKey = process.env.ENCRYPTION_KEY;
const fakes: ODataFake[] = [];

beforeAll(() => {
  process.env.ENCRYPTION_KEY = crypto.randomBytes(32).toString("base64");
  resetEnvForTests();
  resetSecretKeys();
  db = t.db;
});
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  if (originalKey === undefined) delete process.env.ENCRYPTION_KEY;
  else process.env.ENCRYPTION_KEY = originalKey;
  resetEnvForTests();
  resetSecretKeys();
});

async function fake(version: "v2" | "v4", pages: Record<string, unknown>[][]): Promise<ODataFake> {
  const f = await startODataFake(version, pages);
  fakes.push(f);
  return f;
}

const at = (iso: string) => `/Date(${Date.parse(iso)})/`;
const NOW = new Date("2026-03-02T08:00:00Z");

/** V2 notifications: page 1 has an open one, a closed one and one more; page 2 a new one and a later copy of the first. */
function v2Pages(): Record<string, unknown>[][] {
  return [
    [
      { NotificationId: "10000001", ShortText: "  Pump P-101 vibration above limit  ", LongText: "Vibration 12 mm/s on the drive end.\n", Priority: "1", Status: "OPEN", ChangedAt: at("2026-03-01T09:00:00Z") },
      { NotificationId: "10000002", ShortText: "Old leak fixed", LongText: "Done.", Priority: "3", Status: "CLOSED", ChangedAt: at("2026-03-01T09:30:00Z") },
      { NotificationId: "10000003", ShortText: "Conveyor C-7 belt wear", LongText: "Belt worn at the splice.", Priority: "3", Status: "OPEN", ChangedAt: "/Date(1772359200000+0100)/" },
    ],
    [
      { NotificationId: "10000004", ShortText: "Compressor K-2 oil pressure low", LongText: "", Priority: "2", Status: "OPEN", ChangedAt: at("2026-03-01T10:15:00Z") },
      // The same notification again (served twice across pages): the later copy wins.
      { NotificationId: "10000001", ShortText: "Pump P-101 vibration above limit (rising)", LongText: "Vibration 14 mm/s on the drive end.", Priority: "1", Status: "OPEN", ChangedAt: at("2026-03-01T11:00:00Z") },
    ],
  ];
}

async function reportEventOf(runId: string): Promise<number> {
  const [e] = await rows<{ id: number }>(db, sql`SELECT id::float8 AS id FROM domain_events WHERE type = 'odata.run_finished' AND payload->>'runId' = ${runId}`);
  return Number(e.id);
}

describe("OData V2 pull (SAP Gateway)", () => {
  let f: ODataFake;
  let sourceId: string;

  beforeAll(async () => {
    f = await fake("v2", v2Pages());
    sourceId = await insertSource(db, {
      name: "PM notifications V2",
      version: "v2",
      baseUrl: f.root,
      filter: "NotificationType eq 'M2'",
      select: "NotificationId,ShortText,LongText,Priority,Status,ChangedAt",
      sapClient: "100",
      sapLanguage: "EN",
      auth: { kind: "basic", username: "SB_RFC", secret: "s3cret-pass" },
      reportTo: ["plant.manager@corp.test", "maintenance@corp.test"],
    });
  });

  it("follows __next with $skiptoken, cleans, dedupes and drops closed records, and creates one ticket per record with source odata", async () => {
    const run = await pullSource(db, sourceId, { trigger: "schedule", now: NOW, fetch: noSleep() });
    expect(run).toMatchObject({ status: "succeeded", fetched: 5, created: 3, updated: 0, skipped: 2, errors: [] });
    const made = await odataTickets(db, sourceId);
    expect(made.map((x) => [x.external_id, x.title, x.priority, x.source])).toEqual([
      ["10000001", "Pump P-101 vibration above limit (rising)", "P1", "odata"],
      ["10000003", "Conveyor C-7 belt wear", "P3", "odata"],
      ["10000004", "Compressor K-2 oil pressure low", "P2", "odata"],
    ]);
    const [first] = await rows<{ description: string; team: string | null }>(db, sql`SELECT description, team_slug AS team FROM tickets WHERE id = ${made[0].id}`);
    expect(first.description).toContain("Vibration 14 mm/s on the drive end.");
    expect(first.team).toBe("service-desk");

    // What we sent: $filter, $select, $format=json, sap-client, sap-language, basic auth, Accept JSON.
    const [p1, p2] = f.pageRequests();
    expect(p1.url.searchParams.get("$filter")).toBe("NotificationType eq 'M2'");
    expect(p1.url.searchParams.get("$select")).toBe("NotificationId,ShortText,LongText,Priority,Status,ChangedAt");
    expect(p1.url.searchParams.get("$format")).toBe("json");
    expect(p1.url.searchParams.get("sap-client")).toBe("100");
    expect(p1.url.searchParams.get("sap-language")).toBe("EN");
    expect(basicCredentials(p1.headers)).toBe("SB_RFC:s3cret-pass");
    expect(p1.headers.accept).toBe("application/json");
    // The relative __next was resolved against the service root, and sap-client kept.
    expect(p2.url.searchParams.get("$skiptoken")).toBe("1");
    expect(p2.url.searchParams.get("sap-client")).toBe("100");
    expect(f.pageRequests()).toHaveLength(2);

    // The delta cursor is the highest changed-at seen (the closed record's is not a ticket's).
    expect((await sourceRow(db, sourceId)).deltaCursor).toBe("2026-03-01T11:00:00.000Z");
    expect((await sourceRow(db, sourceId)).nextRunAt.toISOString()).toBe("2026-03-02T08:15:00.000Z");
  });

  it("a second run creates nothing, sends the delta filter, and skips unchanged records", async () => {
    const before = f.pageRequests().length;
    const run = await pullSource(db, sourceId, { trigger: "schedule", now: new Date(NOW.getTime() + 15 * 60_000), fetch: noSleep() });
    expect(run).toMatchObject({ status: "succeeded", fetched: 5, created: 0, updated: 0, skipped: 5 });
    expect(await odataTickets(db, sourceId)).toHaveLength(3);
    const second = f.pageRequests()[before];
    expect(second.url.searchParams.get("$filter")).toBe("(NotificationType eq 'M2') and ChangedAt ge datetime'2026-03-01T11:00:00'");
  });

  it("a record that changed later adds an internal note listing the changed fields to its ticket", async () => {
    const pages = v2Pages();
    pages[0][2] = { ...pages[0][2], ShortText: "Conveyor C-7 belt torn", Priority: "2", ChangedAt: at("2026-03-02T07:00:00Z") };
    f.pages = pages;
    const run = await pullSource(db, sourceId, { trigger: "manual", now: new Date(NOW.getTime() + 30 * 60_000), fetch: noSleep() });
    expect(run).toMatchObject({ status: "succeeded", created: 0, updated: 1, skipped: 4 });
    const made = await odataTickets(db, sourceId);
    expect(made.map((x) => x.notes)).toEqual([0, 1, 0]);
    const [note] = await rows<{ body: string; internal: boolean }>(db, sql`SELECT body, internal FROM ticket_comments WHERE ticket_id = ${made[1].id}`);
    expect(note.internal).toBe(true);
    expect(note.body).toContain("Title: Conveyor C-7 belt torn");
    expect(note.body).toContain("Priority: P2 (the ticket has P3)");
    expect(note.body).not.toContain("Description");
    // The same change served again is skipped (the new hash is stored).
    const again = await pullSource(db, sourceId, { trigger: "manual", now: new Date(NOW.getTime() + 45 * 60_000), fetch: noSleep() });
    expect(again).toMatchObject({ created: 0, updated: 0, skipped: 5 });
    expect((await odataTickets(db, sourceId)).map((x) => x.notes)).toEqual([0, 1, 0]);
  });

  it("mails each run's report to reportTo (kind odata_report), once per event", async () => {
    const [run] = await db.select().from(odataRuns).where(eq(odataRuns.sourceId, sourceId)).orderBy(asc(odataRuns.startedAt)).limit(1);
    const runId = run.id;
    const eventId = await reportEventOf(runId);
    expect(await runEventJob(db, odataReportJob, { eventId })).toBe("done");
    expect(await runEventJob(db, odataReportJob, { eventId })).toBe("skipped");
    const mails = await rows<{ to_address: string; kind: string; subject: string; text_body: string }>(
      db,
      sql`SELECT to_address, kind, subject, text_body FROM mail_outbox WHERE event_id = ${eventId} ORDER BY to_address`,
    );
    expect(mails.map((m) => [m.to_address, m.kind])).toEqual([
      ["maintenance@corp.test", "odata_report"],
      ["plant.manager@corp.test", "odata_report"],
    ]);
    expect(mails[0].subject).toBe("OData PM notifications V2: 3 created, 0 updated, 0 errors");
    expect(mails[0].text_body).toContain("5 fetched, 3 tickets created, 0 updated, 2 skipped");
  });
});

describe("OData V4 pull (S/4HANA)", () => {
  it("follows @odata.nextLink, reads value, parses ISO dates, sends a bearer token and a V4 delta literal", async () => {
    const f = await fake("v4", [
      [
        { NotificationId: "A-1", ShortText: "Boiler B-1 pressure alarm", LongText: "Alarm at 09:12.", Priority: "2", Status: "OPEN", ChangedAt: "2026-03-01T09:12:00+01:00" },
        { NotificationId: "A-2", ShortText: "Chiller offline", LongText: "", Priority: "9", Status: "NOCO", ChangedAt: "2026-03-01T09:13:00Z" },
      ],
      [{ NotificationId: "A-3", ShortText: "Valve V-3 stuck", LongText: "Stuck half open.", Priority: null, Status: "OPEN", ChangedAt: "2026-03-01T10:00:00Z" }],
    ]);
    const sourceId = await insertSource(db, { name: "PM notifications V4", version: "v4", baseUrl: `${f.root}/`, auth: { kind: "bearer", secret: "tok-v4-abc" } });
    const run = await pullSource(db, sourceId, { trigger: "schedule", now: NOW, fetch: noSleep() });
    expect(run).toMatchObject({ status: "succeeded", fetched: 3, created: 2, skipped: 1 });
    const made = await odataTickets(db, sourceId);
    expect(made.map((x) => [x.external_id, x.priority, x.source])).toEqual([
      ["A-1", "P2", "odata"],
      ["A-3", "P3", "odata"],
    ]);
    const reqs = f.pageRequests();
    expect(reqs).toHaveLength(2);
    expect(reqs[0].headers.authorization).toBe("Bearer tok-v4-abc");
    expect(reqs[0].url.searchParams.has("$format")).toBe(false);
    expect(reqs[1].url.searchParams.get("$skiptoken")).toBe("1");
    expect((await sourceRow(db, sourceId)).deltaCursor).toBe("2026-03-01T10:00:00.000Z");

    await pullSource(db, sourceId, { trigger: "schedule", now: new Date(NOW.getTime() + 60_000), fetch: noSleep() });
    expect(f.pageRequests()[2].url.searchParams.get("$filter")).toBe("ChangedAt ge 2026-03-01T10:00:00Z");
    expect(await odataTickets(db, sourceId)).toHaveLength(2);
  });
});

describe("retries and errors", () => {
  it("a transient 503 is retried with backoff, reported, and the pull succeeds", async () => {
    const f = await fake("v4", [[{ NotificationId: "R-1", ShortText: "Transient test record", Priority: "4", Status: "OPEN" }]]);
    f.failNext({ status: 503, body: odataErrorBody("v4", "Service temporarily unavailable") });
    const sourceId = await insertSource(db, { name: "Flaky", version: "v4", baseUrl: f.root });
    const delays: number[] = [];
    const run = await pullSource(db, sourceId, { trigger: "schedule", now: NOW, fetch: noSleep(delays) });
    expect(run).toMatchObject({ status: "succeeded", fetched: 1, created: 1 });
    expect(run!.errors).toEqual([expect.objectContaining({ status: 503, attempt: 1, message: "Service temporarily unavailable" })]);
    expect(delays).toEqual([500]);
  });

  it("5xx on every attempt: retried 3 times (0.5 s, 1 s, 2 s), then the run fails with each attempt reported", async () => {
    const f = await fake("v2", [[]]);
    for (let i = 0; i < 4; i++) f.failNext({ status: 500, body: odataErrorBody("v2", `Gateway dump ${i + 1}`) });
    const sourceId = await insertSource(db, { name: "Down", version: "v2", baseUrl: f.root });
    const delays: number[] = [];
    const run = await pullSource(db, sourceId, { trigger: "schedule", now: NOW, fetch: noSleep(delays) });
    expect(run!.status).toBe("failed");
    expect(delays).toEqual([500, 1000, 2000]);
    expect(run!.errors.map((e) => [e.attempt, e.status, e.message])).toEqual([
      [1, 500, "Gateway dump 1"],
      [2, 500, "Gateway dump 2"],
      [3, 500, "Gateway dump 3"],
      [4, 500, "Gateway dump 4"],
    ]);
  });

  it("a 401 is retried once, then reported with the OData error message as served; the cursor stays", async () => {
    const f = await fake("v2", [[{ NotificationId: "X-1", ShortText: "Never read", Priority: "1", Status: "OPEN" }]]);
    const message = "Logon failed: user SB_RFC is locked (client 100)";
    f.failNext({ status: 401, body: odataErrorBody("v2", message) }, { status: 401, body: odataErrorBody("v2", message) });
    const sourceId = await insertSource(db, { name: "Locked user", version: "v2", baseUrl: f.root, auth: { kind: "basic", username: "SB_RFC", secret: "x" } });
    await db.update(odataSources).set({ deltaCursor: "2026-02-01T00:00:00.000Z" }).where(eq(odataSources.id, sourceId));
    const delays: number[] = [];
    const run = await pullSource(db, sourceId, { trigger: "schedule", now: NOW, fetch: noSleep(delays) });
    expect(run).toMatchObject({ status: "failed", fetched: 0, created: 0 });
    expect(run!.errors).toEqual([expect.objectContaining({ status: 401, attempt: 1, message }), expect.objectContaining({ status: 401, attempt: 2, message })]);
    expect(delays).toEqual([500]);
    expect((await sourceRow(db, sourceId)).deltaCursor).toBe("2026-02-01T00:00:00.000Z");
    expect((await sourceRow(db, sourceId)).nextRunAt.toISOString()).toBe("2026-03-02T08:15:00.000Z");
    expect(await odataTickets(db, sourceId)).toHaveLength(0);
    // The V4 error body form is read too.
    const v4 = await fake("v4", [[]]);
    v4.failNext({ status: 403, body: odataErrorBody("v4", "No authorization for entity set NotificationSet") });
    const id4 = await insertSource(db, { name: "Forbidden V4", version: "v4", baseUrl: v4.root });
    const run4 = await pullSource(db, id4, { trigger: "schedule", now: NOW, fetch: noSleep() });
    expect(run4!.errors).toEqual([expect.objectContaining({ status: 403, message: "No authorization for entity set NotificationSet" })]);
  });
  it("a source deleted while it is being pulled: the pull ends without a run or an event", async () => {
    const f = await fake("v4", [[{ NotificationId: "Z-1", ShortText: "Deleted meanwhile", Priority: "3", Status: "OPEN" }]]);
    const sourceId = await insertSource(db, { name: "Deleted meanwhile", version: "v4", baseUrl: f.root });
    const fetchThenDelete = (async (url: string | URL | Request, init?: RequestInit) => {
      await db.delete(odataSources).where(eq(odataSources.id, sourceId));
      return fetch(url, init);
    }) as typeof fetch;
    expect(await pullSource(db, sourceId, { trigger: "schedule", now: NOW, fetch: { ...noSleep(), fetch: fetchThenDelete } })).toBeNull();
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM domain_events WHERE type = 'odata.run_finished' AND payload->>'sourceId' = ${sourceId}`);
    expect(n.n).toBe(0);
  });
});

describe("scheduling and concurrency", () => {
  it("pullDueSources pulls active sources that are due and moves their next run", async () => {
    await db.update(odataSources).set({ active: false });
    const f = await fake("v4", [[{ NotificationId: "D-1", ShortText: "Due source record", Priority: "3", Status: "OPEN" }]]);
    const due = await insertSource(db, { name: "Due", version: "v4", baseUrl: f.root });
    const later = await insertSource(db, { name: "Later", version: "v4", baseUrl: f.root });
    const off = await insertSource(db, { name: "Off", version: "v4", baseUrl: f.root });
    await db.update(odataSources).set({ nextRunAt: new Date(NOW.getTime() - 60_000) }).where(eq(odataSources.id, due));
    await db.update(odataSources).set({ nextRunAt: new Date(NOW.getTime() + 60_000) }).where(eq(odataSources.id, later));
    await db.update(odataSources).set({ nextRunAt: new Date(NOW.getTime() - 60_000), active: false }).where(eq(odataSources.id, off));
    const runs = await pullDueSources(db, NOW, { fetch: noSleep() });
    expect(runs.map((r) => r.sourceId)).toEqual([due]);
    expect((await sourceRow(db, due)).nextRunAt.toISOString()).toBe("2026-03-02T08:15:00.000Z");
    expect(await pullDueSources(db, NOW, { fetch: noSleep() })).toEqual([]);
  });

  it("two concurrent pulls of one source: one runs, the other stands back; one ticket per record", async () => {
    const f = await fake("v4", [Array.from({ length: 6 }, (_, i) => ({ NotificationId: `C-${i}`, ShortText: `Concurrent record ${i}`, Priority: "3", Status: "OPEN" }))]);
    const sourceId = await insertSource(db, { name: "Concurrent", version: "v4", baseUrl: f.root });
    const [a, b] = await Promise.all([
      pullSource(db, sourceId, { trigger: "schedule", now: NOW, fetch: noSleep() }),
      pullSource(db, sourceId, { trigger: "manual", now: NOW, fetch: noSleep() }),
    ]);
    expect([a, b].filter((r) => r !== null)).toHaveLength(1);
    expect(await odataTickets(db, sourceId)).toHaveLength(6);
  });

  it("the same record applied by two instances at once makes one ticket (the odata_records key)", async () => {
    const f = await fake("v4", [[]]);
    const sourceId = await insertSource(db, { name: "Race", version: "v4", baseUrl: f.root });
    const source = await sourceRow(db, sourceId);
    const recs = cleanRecords(MAPPING as never, Array.from({ length: 5 }, (_, i) => ({ NotificationId: `R-${i}`, ShortText: `Raced record ${i}`, Priority: "2", Status: "OPEN" }))).records;
    const outcomes = await Promise.all(recs.flatMap((r) => [applyRecord(db, source, r, NOW), applyRecord(db, source, r, NOW)]));
    expect(outcomes.filter((o) => o === "created")).toHaveLength(5);
    expect(outcomes.filter((o) => o === "skipped")).toHaveLength(5);
    expect(await odataTickets(db, sourceId)).toHaveLength(5);
    const claims = await db.select().from(odataRecords).where(eq(odataRecords.sourceId, sourceId));
    expect(claims.every((c) => c.ticketId !== null)).toBe(true);
  });
});
