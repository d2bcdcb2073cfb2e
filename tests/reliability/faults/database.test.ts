import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import {
  createAppApiKey,
  createAppUser,
  createScratchDatabase,
  startApp,
  tailFile,
  type AppProcess,
  type DataTarget,
  type ScratchDatabase,
} from "../../../scripts/lib/app-instance";
import { TcpProxy } from "../../helpers/tcp-proxy";

/*
 * Database faults against the production build (`next start`), with clients hammering it:
 *
 * 1. PostgreSQL stopped for 10 s under load. The instance reaches a scratch database through a
 *    loopback TCP proxy; taking the proxy down is what the app sees when PostgreSQL stops (new
 *    connections refused, open ones cut) without stopping the shared server. Eight clients
 *    create and list tickets throughout. While it is down every answer must be a 503
 *    `unavailable` (never another 5xx, never a hung request: each request has a 20 s client
 *    timeout and a timeout fails the test); readiness answers 503; after it returns the app
 *    recovers by itself (readiness 200, creates 201 again). Then, in the database: every 201
 *    has its ticket with triage decision, `ticket.created` audit event and domain event (no
 *    partial ticket), no ticket exists twice. Creates carry an Idempotency-Key; each create
 *    answered with an error is retried with its key after recovery, as a client would: a create
 *    that committed behind its error reply (a cut between COMMIT and its answer) must be
 *    replayed, not made twice, and every retry ends in 201.
 * 2. The embedded default (PGlite) killed with SIGKILL during writes. Eight clients create
 *    tickets; the process is killed mid-stream; it is started again on the same DATA_DIR. The
 *    folder must open (readiness 200), every ticket answered 201 must be there with its triage
 *    decision, audit event and domain event, and none twice.
 *
 * Both run on every `npm run test:faults` (the first needs the PostgreSQL server, which CI and
 * `.ci/run` always have: TEST_ADMIN_DATABASE_URL, DATABASE_URL or the local default).
 */

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const CLIENTS = 8;
const workDirs: string[] = [];
const apps: AppProcess[] = [];
let failed = false;

afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  if (failed) for (const a of apps) console.log(`[faults/database] instance ${a.name} log (${a.logFile}):\n${tailFile(a.logFile)}`);
  else for (const d of workDirs) fs.rmSync(d, { recursive: true, force: true });
});

function workDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `switchboard-${prefix}-`));
  workDirs.push(d);
  return d;
}

interface Outcome {
  op: "create" | "list";
  status: number; // 0: network error or client timeout
  error: string;
  token: string;
  key: string | null;
  phase: string;
}

/** The create request body for a run token (the same on a retry, as Idempotency-Key needs). */
const createBody = (token: string) =>
  JSON.stringify({ title: `Printer on floor 3 jams ${token}`, description: `The printer jams on every job since this morning (${token}).`, email: "fault-requester@corp.test" });

/**
 * Run CLIENTS closed-loop clients against `app` until `stop()`: each alternates a ticket create
 * (title carrying a unique token) and a list. Records every outcome with the `phase()` it
 * started in.
 */
function hammer(app: AppProcess, apiKey: string, phase: () => string) {
  const outcomes: Outcome[] = [];
  let running = true;
  let n = 0;
  const runId = crypto.randomBytes(3).toString("hex");
  const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const client = async () => {
    while (running) {
      const token = `F${runId}n${++n}`;
      const op: Outcome["op"] = n % 2 === 0 ? "list" : "create";
      const at = phase();
      const o: Outcome = { op, status: 0, error: "", token, key: null, phase: at };
      try {
        const res =
          op === "create"
            ? await fetch(`${app.url}/api/tickets`, {
                method: "POST",
                headers: { ...headers, "idempotency-key": token },
                body: createBody(token),
                signal: AbortSignal.timeout(20_000),
              })
            : await fetch(`${app.url}/api/tickets?limit=10`, { headers, signal: AbortSignal.timeout(20_000) });
        const body = await res.text(); // a kill can cut the body after a 201 header: that is a cut request
        o.status = res.status;
        if (res.status === 201) o.key = (JSON.parse(body) as { ticket: { key: string } }).ticket.key;
        else if (res.status !== 200) o.error = body.slice(0, 300);
      } catch (err) {
        o.error = String(err);
        await new Promise((r) => setTimeout(r, 100)); // a dead server refuses at once: do not spin
      }
      outcomes.push(o);
    }
  };
  const done = Promise.all(Array.from({ length: CLIENTS }, client));
  return {
    outcomes,
    stop: async () => {
      running = false;
      await done;
      return outcomes;
    },
  };
}

/** For these ticket keys and run tokens: what the database holds. */
async function audit(sql: postgres.Sql, tokenLike: string) {
  return sql<{ key: string; title: string; decisions: number; audits: number; events: number }[]>`
    SELECT t.key, t.title,
      (SELECT count(*)::int FROM triage_decisions d WHERE d.ticket_id = t.id) AS decisions,
      (SELECT count(*)::int FROM audit_events a WHERE a.ticket_id = t.id AND a.action = 'ticket.created') AS audits,
      (SELECT count(*)::int FROM domain_events e WHERE e.ticket_id = t.id AND e.type = 'ticket.created') AS events
    FROM tickets t WHERE t.title LIKE ${`%${tokenLike}%`}`;
}

const tokenOf = (title: string) => /F[0-9a-f]{6}n\d+/.exec(title)?.[0] ?? "";

async function readyStatus(app: AppProcess): Promise<number> {
  try {
    return (await fetch(`${app.url}/api/health/ready`, { signal: AbortSignal.timeout(10_000) })).status;
  } catch {
    return 0;
  }
}

describe("PostgreSQL stopped for 10 s under load", () => {
  let db: ScratchDatabase | null = null;
  let proxy: TcpProxy | null = null;
  afterAll(async () => {
    await Promise.all(apps.filter((a) => a.name === "pg").map((a) => a.stop()));
    await proxy?.down();
    await db?.drop();
  });

  it("answers 503 while it is down, recovers by itself, and leaves no partial or lost ticket", async () => {
    failed = true;
    const dir = workDir("faults-pg");
    db = await createScratchDatabase(ADMIN_URL, "faults_pg");
    const direct: DataTarget = { databaseUrl: db.url, dataDir: path.join(dir, "cli") };
    createAppUser(direct, { email: "fault-admin@corp.test", name: "Fault Admin", role: "admin", password: crypto.randomBytes(12).toString("base64url") });
    const key = createAppApiKey(direct, { name: "faults", role: "agent" });
    const u = new URL(db.url);
    proxy = new TcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    await proxy.up();
    const viaProxy = new URL(db.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const app = await startApp({
      name: "pg",
      target: { databaseUrl: viaProxy.toString(), dataDir: path.join(dir, "data") },
      logDir: dir,
      env: { RATE_LIMIT_READ_PER_MIN: "100000", RATE_LIMIT_WRITE_PER_MIN: "100000", JOBS_WORKERS: "1" },
    });
    apps.push(app);
    await app.waitFor("/api/health/ready");

    let phase = "before";
    const load = hammer(app, key, () => phase);
    await new Promise((r) => setTimeout(r, 5_000));
    phase = "down";
    await proxy.down();
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 2_000));
    const readyWhileDown = await readyStatus(app);
    await new Promise((r) => setTimeout(r, 10_000 - (Date.now() - downAt)));
    phase = "returning";
    await proxy.up();
    const upAt = Date.now();
    // Recovery by itself: readiness 200 again, polled (bounded wait, not a timing assertion).
    await app.waitFor("/api/health/ready", 60_000);
    const recoveredAfterMs = Date.now() - upAt;
    phase = "after";
    await new Promise((r) => setTimeout(r, 5_000));
    const outcomes = await load.stop();

    const count = (p: (o: Outcome) => boolean) => outcomes.filter(p).length;
    const down = outcomes.filter((o) => o.phase === "down");
    const summary = {
      requests: outcomes.length,
      before201: count((o) => o.phase === "before" && o.status === 201),
      down: down.length,
      down503: count((o) => o.phase === "down" && o.status === 503),
      other5xx: count((o) => o.status >= 500 && o.status !== 503),
      networkErrors: count((o) => o.status === 0),
      after201: count((o) => o.phase === "after" && o.status === 201),
      readyWhileDown,
      recoveredAfterMs,
    };
    console.log(`[faults/database] PostgreSQL down 10 s: ${JSON.stringify(summary)}`);
    expect(summary.other5xx, JSON.stringify(outcomes.filter((o) => o.status >= 500 && o.status !== 503).slice(0, 3))).toBe(0);
    expect(summary.networkErrors, JSON.stringify(outcomes.filter((o) => o.status === 0).slice(0, 3))).toBe(0);
    expect(readyWhileDown).toBe(503);
    expect(summary.down503).toBeGreaterThan(0);
    // While it is down every answer is 503 unavailable (a request that began just before the
    // cut may still have finished normally).
    for (const o of outcomes.filter((x) => x.phase === "down" && x.status !== 201 && x.status !== 200)) {
      expect(o.status).toBe(503);
      expect(JSON.parse(o.error)).toMatchObject({ error: { code: "unavailable" } });
    }
    expect(summary.before201).toBeGreaterThan(0);
    expect(summary.after201).toBeGreaterThan(0);

    // A create whose answer was an error may still have committed: the cut can fall between
    // COMMIT and its reply, and no server can tell the client then. Clients retry with the
    // same Idempotency-Key, as docs/INTEGRATIONS.md says; the retry must give exactly one ticket.
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const before = await audit(sql, "F");
      const storedTokens = new Set(before.map((r) => tokenOf(r.title)));
      const failedCreates = outcomes.filter((o) => o.op === "create" && o.status !== 201);
      const storedBehindError = failedCreates.filter((o) => storedTokens.has(o.token));
      const retried: { token: string; status: number; replayed: boolean; key: string | null }[] = [];
      for (const o of failedCreates) {
        const res = await fetch(`${app.url}/api/tickets`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": o.token },
          body: createBody(o.token),
        });
        const body = (await res.json()) as { ticket?: { key: string } };
        retried.push({ token: o.token, status: res.status, replayed: res.headers.get("idempotent-replayed") === "true", key: body.ticket?.key ?? null });
      }
      const rowsInDb = await audit(sql, "F");
      const byToken = new Map<string, number>();
      for (const r of rowsInDb) byToken.set(tokenOf(r.title), (byToken.get(tokenOf(r.title)) ?? 0) + 1);
      const answered = [...outcomes.filter((o) => o.status === 201), ...retried.filter((r) => r.status === 201)];
      const lost = answered.filter((o) => !rowsInDb.some((r) => r.key === o.key));
      const partial = rowsInDb.filter((r) => r.decisions !== 1 || r.audits !== 1 || r.events !== 1);
      const dup = [...byToken.values()].filter((n) => n > 1).length;
      console.log(
        `[faults/database] PostgreSQL down 10 s, database: ${answered.length} × 201 (${retried.length} retried with their Idempotency-Key, ${retried.filter((r) => r.replayed).length} of them replayed), ${rowsInDb.length} tickets, lost ${lost.length}, partial ${partial.length}, duplicates ${dup}, committed behind an error reply ${storedBehindError.length}`,
      );
      expect(retried.filter((r) => r.status !== 201)).toEqual([]);
      // A create that committed behind its error reply is replayed (same ticket), not made twice.
      for (const o of storedBehindError) expect(retried.find((r) => r.token === o.token)?.replayed).toBe(true);
      expect(lost).toEqual([]);
      expect(partial).toEqual([]);
      expect(dup).toBe(0);
      expect(rowsInDb.length).toBe(answered.length);
    } finally {
      await sql.end({ timeout: 5 });
    }
    failed = false;
  });
});

describe("the embedded default (PGlite) killed with SIGKILL during writes", () => {
  it("opens its folder cleanly after restart and keeps every ticket answered 201, once", async () => {
    failed = true;
    const dir = workDir("faults-pglite");
    const target: DataTarget = { dataDir: path.join(dir, "data") };
    createAppUser(target, { email: "fault-admin@corp.test", name: "Fault Admin", role: "admin", password: crypto.randomBytes(12).toString("base64url") });
    const key = createAppApiKey(target, { name: "faults", role: "agent" });
    const app = await startApp({
      name: "pglite",
      target,
      logDir: dir,
      env: { RATE_LIMIT_READ_PER_MIN: "100000", RATE_LIMIT_WRITE_PER_MIN: "100000" },
    });
    apps.push(app);
    await app.waitFor("/api/health/ready");

    const load = hammer(app, key, () => "run");
    // Kill once writes are flowing: at least 20 tickets answered.
    const deadline = Date.now() + 60_000;
    while (load.outcomes.filter((o) => o.status === 201).length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await app.kill("SIGKILL");
    const outcomes = await load.stop();
    const answered = outcomes.filter((o) => o.status === 201);
    const cut = outcomes.filter((o) => o.status === 0).length;
    expect(answered.length).toBeGreaterThanOrEqual(20);

    await app.restart();
    await app.waitFor("/api/health/ready", 120_000);
    // Read back through the restarted app: each ticket answered 201 is there.
    const headers = { authorization: `Bearer ${key}` };
    const missing: string[] = [];
    for (const o of answered) {
      const res = await fetch(`${app.url}/api/tickets/${o.key}`, { headers });
      if (res.status !== 200) missing.push(`${o.key}: ${res.status}`);
    }
    // The app still takes writes on the reopened folder.
    const after = await fetch(`${app.url}/api/tickets`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ title: "Monitor flickers after restart Fpglite0n0", description: "The second monitor flickers every few seconds.", email: "fault-requester@corp.test" }),
    });
    expect(after.status).toBe(201);
    await app.stop();

    // Then the folder itself, opened directly: complete rows, nothing twice.
    const { PGlite } = await import("@electric-sql/pglite");
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    const pg = new PGlite(path.join(target.dataDir, "pglite"), { extensions: { pg_trgm } });
    try {
      const res = await pg.query<{ key: string; title: string; decisions: number; audits: number; events: number }>(
        `SELECT t.key, t.title,
           (SELECT count(*)::int FROM triage_decisions d WHERE d.ticket_id = t.id) AS decisions,
           (SELECT count(*)::int FROM audit_events a WHERE a.ticket_id = t.id AND a.action = 'ticket.created') AS audits,
           (SELECT count(*)::int FROM domain_events e WHERE e.ticket_id = t.id AND e.type = 'ticket.created') AS events
         FROM tickets t`,
      );
      const rowsInDb = res.rows;
      const byToken = new Map<string, number>();
      for (const r of rowsInDb) byToken.set(tokenOf(r.title), (byToken.get(tokenOf(r.title)) ?? 0) + 1);
      const partial = rowsInDb.filter((r) => r.decisions !== 1 || r.audits !== 1 || r.events !== 1);
      const dup = [...byToken.entries()].filter(([t, n]) => t && n > 1).length;
      const lost = answered.filter((o) => !rowsInDb.some((r) => r.key === o.key));
      console.log(
        `[faults/database] PGlite SIGKILL: ${answered.length} × 201 before the kill, ${cut} requests cut, ${rowsInDb.length} tickets after restart (+1 written after), lost ${lost.length}, partial ${partial.length}, duplicates ${dup}`,
      );
      expect(missing).toEqual([]);
      expect(lost).toEqual([]);
      expect(partial).toEqual([]);
      expect(dup).toBe(0);
      // Requests cut by the kill may or may not have committed; nothing beyond them exists.
      expect(rowsInDb.length).toBeLessThanOrEqual(answered.length + cut + 1);
    } finally {
      await pg.close();
    }
    failed = false;
  });
});
