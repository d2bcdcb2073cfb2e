/**
 * Load run (issue 15 §1): `npm run test:load`.
 *
 * 1. Builds the app when the build is stale; makes a scratch PostgreSQL database on
 *    DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test), an admin and an
 *    admin API key; starts TWO production instances (`next start`) on it with the same secret,
 *    both running job workers, public e-mail submissions on, SMTP to a real SMTP server on
 *    loopback (the smtp-server package) and a webhook push target per team pointing at a
 *    loopback receiver that records every delivery. The instances run as compose runs them
 *    behind its compressing proxy, with HTTP_COMPRESSION=off (no proxy in this run;
 *    LOAD_COMPRESSION=on makes them gzip every answer themselves). LOAD_WORKERS=split runs
 *    the scale-out layout of docs/DEPLOYMENT.md instead: A and B web-only (JOBS_WORKERS=0) and a
 *    third instance W, sent no traffic, running every job at nice 10 (on this shared 2-core
 *    machine, the stand-in for workers on their own cores; W's PostgreSQL sessions keep
 *    normal priority).
 * 2. Open-loop load for LOAD_SECONDS (default 60) at LOAD_RPS (default 220) requests/s, spread
 *    over both instances: create (POST /api/tickets), list, search (GET /api/tickets?q=),
 *    classify, stats, comment (POST /api/tickets/{key}/comments) and inbound e-mail
 *    (POST /api/inbound/email). At most LOAD_MAX_IN_FLIGHT (default 64) requests are in flight;
 *    a request the generator could not start on time is counted as `late`, not hidden. It stops
 *    by itself.
 * 3. Waits until every domain event is dispatched and every job it caused has finished
 *    (LOAD_DRAIN_S, default 300), then checks:
 *    - every 201 ticket (API and e-mail) has its row, its `ticket.created` audit event, triage
 *      decision and domain event, exactly once; no ticket exists that was not answered 201;
 *    - every 201 comment has its row;
 *    - every event job is completed, has its receipt, and was inserted once; no job failed or
 *      is dead-lettered;
 *    - every ticket got exactly one `ticket.created` webhook delivery, and no delivery id
 *      arrived twice; every sent mail arrived at the SMTP server exactly once;
 *    - zero 5xx and zero network errors.
 * 4. Prints per-route p50/p99 and the checks, writes docs/reliability/load-latest.md (not with
 *    LOAD_WRITE_REPORT=0) and, as its last line, one JSON object. Exit code 1 when a check fails
 *    or the achieved rate is below 200 req/s.
 *
 * Timings are measurements, not assertions (a noisy 2-core machine): only the 200 req/s floor,
 * which the issue sets, fails the run.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import postgres from "postgres";
import { postgresJsTarget } from "../db/connection-url";
import { startSmtpSink, type SmtpSink } from "../tests/helpers/smtp-sink";
import { createAppApiKey, createAppUser, createScratchDatabase, startApp, tailFile, type AppProcess, type DataTarget } from "./lib/app-instance";
// @ts-expect-error plain ESM helper without type declarations
import { ensureProductionBuild } from "./lib/build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RPS = Number(process.env.LOAD_RPS ?? 220);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const MAX_IN_FLIGHT = Number(process.env.LOAD_MAX_IN_FLIGHT ?? 64);
const DRAIN_S = Number(process.env.LOAD_DRAIN_S ?? 300);
/** LOAD_WORKERS=split: A and B web-only, jobs on a third instance W at nice 10 (see the header). */
const SPLIT_WORKERS = process.env.LOAD_WORKERS === "split";
const BASE_DB = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REPORT = path.join(root, "docs", "reliability", "load-latest.md");
const REQUIRED_RPS = 200;

const log = (m: string) => console.log(`[load] ${m}`);

/**
 * The request mix: route → share of requests (sums to 1). Reads dominate, as on a desk where
 * agents and portals list, search and refresh far more often than tickets arrive; every write
 * kind is there, with its jobs (confirmation and notification mail over SMTP, a webhook push).
 */
const MIX = [
  ["create", 0.1],
  ["list", 0.3],
  ["search", 0.2],
  ["classify", 0.1],
  ["stats", 0.15],
  ["comment", 0.1],
  ["inbound", 0.05],
] as const;
type Op = (typeof MIX)[number][0];

const ROUTE: Record<Op, string> = {
  create: "POST /api/tickets",
  list: "GET /api/tickets",
  search: "GET /api/tickets?q=",
  classify: "POST /api/tickets/classify",
  stats: "GET /api/tickets/stats",
  comment: "POST /api/tickets/{key}/comments",
  inbound: "POST /api/inbound/email",
};

interface RouteStats {
  latencies: number[];
  statuses: Map<number, number>;
  networkErrors: number;
  firstError: string;
}

const sample = (parse(fs.readFileSync(path.join(root, "db", "seed-data", "it-tickets-sample.csv")), { columns: true }) as { text: string }[])
  .map((r) => r.text.trim())
  // Valid descriptions only (3–5000 characters, lib/tickets schemas): a 400 would be the generator's fault.
  .filter((t) => t.length >= 30 && t.length <= 5000);
const words = [...new Set(sample.flatMap((t) => t.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length >= 5))];
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

/**
 * Insert `n` agent API keys (all agent scopes) the way lib/auth/api-keys.ts stores them
 * (sha256 of the key, its first 10 characters as the prefix); returns the keys.
 */
async function insertAgentKeys(sql: postgres.Sql, n: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = `sb_${crypto.randomBytes(30).toString("base64url")}`;
    const hash = crypto.createHash("sha256").update(key).digest("hex");
    await sql`INSERT INTO api_keys (name, role, prefix, key_hash, scopes)
              VALUES (${`load-${i}`}, 'agent', ${key.slice(0, 10)}, ${hash}, '{tickets:read,tickets:write,files:write,webhook}')`;
    keys.push(key);
  }
  return keys;
}

/** Where the report says PostgreSQL was: the Unix socket's directory, or host:port. */
function dbWhere(url: string): string {
  const socketDir = postgresJsTarget(url).options.host;
  return socketDir?.startsWith("/") ? `the Unix socket in ${socketDir}` : new URL(url).host;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** The loopback webhook receiver: records each delivery (event, delivery id, ticket key). */
async function startReceiver(): Promise<{ url: string; deliveries: { event: string; deliveryId: string; key: string }[]; close(): Promise<void> }> {
  const deliveries: { event: string; deliveryId: string; key: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { event: string; delivery_id: string; ticket: { key: string } };
        deliveries.push({ event: body.event, deliveryId: body.delivery_id, key: body.ticket.key });
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/hook`, deliveries, close: () => new Promise((r) => server.close(() => r())) };
}

async function main(): Promise<void> {
  ensureProductionBuild(root, { force: process.env.LOAD_BUILD === "1", log });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-load-"));
  const db = await createScratchDatabase(BASE_DB, "load");
  const target: DataTarget = { databaseUrl: db.url, dataDir: path.join(workDir, "cli") };
  let sink: SmtpSink | null = null;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | null = null;
  const apps: AppProcess[] = [];
  let workerApp: AppProcess | undefined;
  /** Every instance started: A and B, and W in the split layout. */
  const allApps = (): AppProcess[] => (workerApp ? [...apps, workerApp] : apps);
  const dbTarget = postgresJsTarget(db.url);
  const sql = postgres(dbTarget.url, { max: 4, ...dbTarget.options, onnotice: () => {} });
  let ok = false;
  try {
    log(`database ${db.name}; creating the admin and an API key …`);
    createAppUser(target, { email: "load-admin@example.com", name: "Load Admin", role: "admin", password: crypto.randomBytes(12).toString("base64url") });
    const adminKey = createAppApiKey(target, { name: "load-admin", role: "admin" });
    // The callers: LOAD_KEYS agent API keys (default 50: integrations and agents), used in
    // turn, so per-caller limits (classify: 60 a minute per caller) apply as in production.
    const callerKeys = await insertAgentKeys(sql, Number(process.env.LOAD_KEYS ?? 50));
    sink = await startSmtpSink();
    receiver = await startReceiver();
    const secret = crypto.randomBytes(32).toString("base64url");
    const env = {
      NEXTAUTH_SECRET: secret,
      PUBLIC_SUBMISSIONS: "true",
      DATABASE_POOL_MAX: process.env.LOAD_POOL_MAX ?? "10",
      SMTP_URL: sink.url,
      MAIL_FROM: "Switchboard <desk@load.test>",
      // One API key drives the whole run: the route-class limits stay on (their counter write
      // is part of each request's cost) but high enough not to refuse.
      RATE_LIMIT_READ_PER_MIN: "1000000",
      RATE_LIMIT_WRITE_PER_MIN: "1000000",
      RATE_LIMIT_CLASSIFY_PER_MIN: "1000000",
      WEBHOOK_RATE_LIMIT_PER_MIN: "100000",
      // As compose runs them: its Caddy compresses, the app instances do not (LOAD_COMPRESSION=on
      // measures them gzipping every answer themselves).
      HTTP_COMPRESSION: process.env.LOAD_COMPRESSION === "on" ? "on" : "off",
    };
    const webEnv = SPLIT_WORKERS ? { ...env, JOBS_WORKERS: "0" } : env;
    for (const name of ["A", "B"]) apps.push(await startApp({ name, target: { databaseUrl: db.url, dataDir: path.join(workDir, `data-${name}`) }, logDir: workDir, env: webEnv, nodeArgs: process.env.LOAD_NODE_ARGS?.split(" ").filter(Boolean) }));
    if (SPLIT_WORKERS) workerApp = await startApp({ name: "W", target: { databaseUrl: db.url, dataDir: path.join(workDir, "data-W") }, logDir: workDir, env });
    await Promise.all(allApps().map((a) => a.waitFor("/api/health/ready")));
    if (workerApp) {
      os.setPriority(workerApp.child().pid!, 10);
      log(`worker instance W ${workerApp.url} (no traffic, nice 10); A and B web-only (JOBS_WORKERS=0)`);
    }
    log(`instances up: ${apps.map((a) => `${a.name} ${a.url}`).join(", ")}`);

    const headers = { authorization: `Bearer ${adminKey}`, "content-type": "application/json" };
    const teams = (await sql<{ slug: string }[]>`SELECT slug FROM teams ORDER BY slug`).map((r) => r.slug);
    for (const team of teams) {
      const res = await fetch(`${apps[0].url}/api/routing/targets`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "Load receiver", team, kind: "webhook", url: receiver.url, secret: "load-webhook-secret" }),
      });
      if (res.status !== 201) throw new Error(`creating the webhook target for ${team}: ${res.status} ${await res.text()}`);
    }
    log(`${teams.length} webhook targets (one per team) → ${receiver.url}`);

    const runId = crypto.randomBytes(3).toString("hex");
    const stats = new Map<Op, RouteStats>(MIX.map(([op]) => [op, { latencies: [], statuses: new Map(), networkErrors: 0, firstError: "" }]));
    const created: string[] = []; // ticket keys answered 201 (API and e-mail)
    const comments: number[] = [];
    let seq = 0;
    const today = new Date().toISOString().slice(0, 10);
    const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

    // The generator shares the machine with what it measures, so it sends with node:http over
    // kept-alive sockets (the agent keeps one pool per instance) instead of fetch: fetch (undici)
    // spent about twice the CPU per request here, CPU the instances and PostgreSQL then did not get.
    type Outgoing = { method?: string; headers: Record<string, string>; body?: string };
    const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT, scheduling: "lifo" });
    const send = (url: string, init: Outgoing): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent, timeout: 60_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error("timeout after 60 s")));
        req.on("error", reject);
        req.end(init.body);
      });

    /** One request of kind `op` to `app`; records status and latency (ms). */
    const fire = async (op: Op, app: AppProcess, measure: boolean): Promise<void> => {
      const n = ++seq;
      const token = `L${runId}n${n}`;
      const headers = { authorization: `Bearer ${callerKeys[n % callerKeys.length]}`, "content-type": "application/json" };
      let url = app.url;
      let init: Outgoing;
      switch (op) {
        case "create": {
          const text = pick(sample);
          init = { method: "POST", headers, body: JSON.stringify({ title: `${text.slice(0, 60)} ${token}`, description: text, email: `user${n % 500}@load.test` }) };
          url += "/api/tickets";
          break;
        }
        case "list":
          url += `/api/tickets?limit=25${n % 3 === 0 ? "&status=new" : ""}`;
          init = { headers };
          break;
        case "search":
          url += `/api/tickets?q=${encodeURIComponent(`${pick(words)} ${pick(words)}`)}`;
          init = { headers };
          break;
        case "classify": {
          const text = pick(sample);
          init = { method: "POST", headers, body: JSON.stringify({ description: text }) };
          url += "/api/tickets/classify";
          break;
        }
        case "stats":
          url += `/api/tickets/stats?from=${monthAgo}&to=${today}`;
          init = { headers };
          break;
        case "comment": {
          if (created.length === 0) return fire("create", app, measure);
          url += `/api/tickets/${pick(created.slice(-200))}/comments`;
          init = { method: "POST", headers, body: JSON.stringify({ body: `Load comment ${token}: ${pick(sample).slice(0, 200)}` }) };
          break;
        }
        case "inbound": {
          const text = pick(sample);
          const raw = [
            `From: Load Sender ${n} <sender-${token.toLowerCase()}@mail.load.test>`,
            "To: desk@load.test",
            `Subject: ${text.slice(0, 60)} ${token}`,
            `Message-ID: <${token}@mail.load.test>`,
            `Date: ${new Date().toUTCString()}`,
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "",
            text,
            "",
          ].join("\r\n");
          init = { method: "POST", headers: { authorization: headers.authorization, "content-type": "message/rfc822" }, body: raw };
          url += "/api/inbound/email";
          break;
        }
      }
      const s = stats.get(op)!;
      const t0 = performance.now();
      try {
        const res = await send(url, init);
        const { body } = res;
        const ms = performance.now() - t0;
        if (measure) {
          s.latencies.push(ms);
          s.statuses.set(res.status, (s.statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 400 && !s.firstError) s.firstError = `${res.status} ${body.slice(0, 300)}`;
        }
        if (res.status === 201) {
          const j = JSON.parse(body) as { ticket?: { key: string }; ticketKey?: string; comment?: { id: number } };
          if (op === "create" && j.ticket) {
            created.push(j.ticket.key);
          } else if (op === "inbound" && j.ticketKey) {
            created.push(j.ticketKey);
          } else if (op === "comment" && j.comment) comments.push(Number(j.comment.id));
        }
      } catch (err) {
        if (measure) {
          s.networkErrors++;
          if (!s.firstError) s.firstError = String(err);
        }
      }
    };

    // Warm-up (not measured): every route on both instances, so first-request compilation and
    // model loading are not in the figures.
    log("warm-up …");
    for (let i = 0; i < 3; i++) await Promise.all(apps.flatMap((a) => MIX.map(([op]) => fire(op, a, false))));

    const cumulative = MIX.reduce<number[]>((acc, [, share]) => [...acc, (acc.at(-1) ?? 0) + share], []);
    // LOAD_ONLY=<op> (create, list, search, classify, stats, comment, inbound): one kind only, to
    // find which route limits the mix.
    const only = process.env.LOAD_ONLY as Op | undefined;
    if (only && !MIX.some(([op]) => op === only)) throw new Error(`LOAD_ONLY must be one of ${MIX.map(([op]) => op).join(", ")}`);
    const chooseOp = (): Op => {
      if (only) return only;
      const r = Math.random();
      return MIX[cumulative.findIndex((c) => r < c)]?.[0] ?? "list";
    };
    log(`load: ${RPS} req/s for ${SECONDS} s over ${apps.length} instances (at most ${MAX_IN_FLIGHT} in flight) …`);
    let inFlight = 0;
    let started = 0;
    let late = 0;
    let maxInFlight = 0;
    const pending = new Set<Promise<void>>();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const total = RPS * SECONDS;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const elapsed = (performance.now() - t0) / 1000;
        const due = Math.min(total, Math.floor(elapsed * RPS));
        while (started < due) {
          if (inFlight >= MAX_IN_FLIGHT) {
            late += due - started;
            started = due;
            break;
          }
          const app = apps[started % apps.length];
          started++;
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          const p = fire(chooseOp(), app, true).finally(() => {
            inFlight--;
            pending.delete(p);
          });
          pending.add(p);
        }
        if (started >= total) resolve();
        else setTimeout(tick, 5);
      };
      tick();
    });
    await Promise.all(pending);
    const wallS = (performance.now() - t0) / 1000;
    const answered = [...stats.values()].reduce((n, s) => n + s.latencies.length, 0);
    const achievedRps = answered / wallS;
    const cpu = process.cpuUsage(cpu0);
    // This process's CPU (client, webhook receiver, SMTP server) per answered request, in ms: what
    // the generator took from the machine the instances and PostgreSQL share.
    const generatorCpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, answered);
    log(`done: ${answered} answered in ${wallS.toFixed(1)} s = ${achievedRps.toFixed(1)} req/s; ${late} late; max in flight ${maxInFlight}; generator CPU ${generatorCpuMs.toFixed(2)} ms per answered request`);

    // Drain: every event dispatched, every job of the run finished.
    log("waiting for the jobs to drain …");
    const drainStart = Date.now();
    let open = -1;
    for (;;) {
      const [r] = await sql<{ undispatched: number; open: number }[]>`
        SELECT (SELECT count(*)::int FROM domain_events WHERE dispatched_at IS NULL) AS undispatched,
               (SELECT count(*)::int FROM pgboss.job WHERE state IN ('created', 'retry', 'active')
                  AND name NOT IN (SELECT name FROM pgboss.schedule)) AS open`;
      open = r.undispatched + r.open;
      if (open === 0) break;
      if (Date.now() - drainStart > DRAIN_S * 1000) break;
      await new Promise((res) => setTimeout(res, 1000));
    }
    const drainS = (Date.now() - drainStart) / 1000;
    log(open === 0 ? `drained in ${drainS.toFixed(1)} s` : `NOT drained after ${DRAIN_S} s (${open} open)`);
    // Deliveries answered after the job's commit may still be in flight on the wire: settle.
    await new Promise((res) => setTimeout(res, 2000));

    // Checks.
    const checks: { name: string; value: number | string; pass: boolean }[] = [];
    const check = (name: string, value: number | string, pass: boolean) => checks.push({ name, value, pass });
    const fivexx = [...stats.values()].reduce((n, s) => n + [...s.statuses].filter(([c]) => c >= 500).reduce((m, [, k]) => m + k, 0), 0);
    const netErr = [...stats.values()].reduce((n, s) => n + s.networkErrors, 0);
    check("5xx answers", fivexx, fivexx === 0);
    check("network errors", netErr, netErr === 0);
    check("achieved req/s (≥ 200)", Number(achievedRps.toFixed(1)), achievedRps >= REQUIRED_RPS);
    check("requests the generator could not start on time", late, late === 0);
    check("jobs drained", open === 0 ? `yes, in ${drainS.toFixed(1)} s` : `no: ${open} open`, open === 0);

    const keys = [...new Set(created)];
    check("tickets answered 201 twice (same key)", created.length - keys.length, created.length === keys.length);
    const [t] = await sql<{ n: number; missing: number; no_audit: number; no_triage: number; no_event: number; extra_audit: number; extra_triage: number; extra_event: number }[]>`
      WITH k AS (SELECT unnest(${keys}::text[]) AS key),
      t AS (SELECT k.key, tk.id FROM k LEFT JOIN tickets tk ON tk.key = k.key)
      SELECT count(*)::int AS n,
        count(*) FILTER (WHERE id IS NULL)::int AS missing,
        count(*) FILTER (WHERE id IS NOT NULL AND (SELECT count(*) FROM audit_events a WHERE a.ticket_id = t.id AND a.action = 'ticket.created') = 0)::int AS no_audit,
        count(*) FILTER (WHERE id IS NOT NULL AND (SELECT count(*) FROM triage_decisions d WHERE d.ticket_id = t.id) = 0)::int AS no_triage,
        count(*) FILTER (WHERE id IS NOT NULL AND (SELECT count(*) FROM domain_events e WHERE e.ticket_id = t.id AND e.type = 'ticket.created') = 0)::int AS no_event,
        count(*) FILTER (WHERE (SELECT count(*) FROM audit_events a WHERE a.ticket_id = t.id AND a.action = 'ticket.created') > 1)::int AS extra_audit,
        count(*) FILTER (WHERE (SELECT count(*) FROM triage_decisions d WHERE d.ticket_id = t.id) > 1)::int AS extra_triage,
        count(*) FILTER (WHERE (SELECT count(*) FROM domain_events e WHERE e.ticket_id = t.id AND e.type = 'ticket.created') > 1)::int AS extra_event
      FROM t`;
    check("tickets answered 201", t.n, t.n > 0);
    check("tickets lost (201 without a row)", t.missing, t.missing === 0);
    check("tickets without their audit event / triage decision / domain event", `${t.no_audit} / ${t.no_triage} / ${t.no_event}`, t.no_audit + t.no_triage + t.no_event === 0);
    check("tickets with a second audit event / triage decision / domain event", `${t.extra_audit} / ${t.extra_triage} / ${t.extra_event}`, t.extra_audit + t.extra_triage + t.extra_event === 0);
    // Duplicates and orphans: each run token in at most one ticket; no ticket of the run without a 201.
    const runTickets = await sql<{ title: string; key: string }[]>`SELECT title, key FROM tickets WHERE title LIKE ${`%L${runId}n%`}`;
    const perToken = new Map<string, number>();
    for (const r of runTickets) {
      const tok = /L[0-9a-f]{6}n\d+/.exec(r.title)?.[0] ?? "";
      perToken.set(tok, (perToken.get(tok) ?? 0) + 1);
    }
    const dupTickets = [...perToken.values()].filter((n) => n > 1).length;
    const orphans = runTickets.filter((r) => !keys.includes(r.key));
    check("duplicate tickets (one request, two rows)", dupTickets, dupTickets === 0);
    check("tickets in the database without a 201", orphans.length, orphans.length === 0);
    const [c] = await sql<{ n: number; missing: number }[]>`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE c.id IS NULL)::int AS missing
      FROM unnest(${comments}::bigint[]) AS x(id) LEFT JOIN ticket_comments c ON c.id = x.id`;
    check("comments answered 201 / lost", `${c.n} / ${c.missing}`, c.missing === 0);

    const [j] = await sql<{ event_jobs: number; not_completed: number; no_receipt: number; dup_jobs: number; failed: number; dead: number; retried: number; tasks: number }[]>`
      SELECT
        (SELECT count(*)::int FROM pgboss.job WHERE data ? 'eventId' AND right(name, 6) <> '__dead') AS event_jobs,
        (SELECT count(*)::int FROM pgboss.job WHERE data ? 'eventId' AND right(name, 6) <> '__dead' AND state <> 'completed') AS not_completed,
        (SELECT count(*)::int FROM pgboss.job j WHERE data ? 'eventId' AND right(name, 6) <> '__dead' AND NOT EXISTS
           (SELECT 1 FROM job_receipts r WHERE r.handler = j.name AND r.event_id = (j.data->>'eventId')::bigint)) AS no_receipt,
        (SELECT count(*)::int FROM (SELECT 1 FROM pgboss.job WHERE data ? 'eventId' GROUP BY name, data->>'eventId' HAVING count(*) > 1) d) AS dup_jobs,
        (SELECT count(*)::int FROM pgboss.job WHERE state = 'failed') AS failed,
        (SELECT count(*)::int FROM pgboss.job WHERE right(name, 6) = '__dead') AS dead,
        (SELECT count(*)::int FROM pgboss.job WHERE retry_count > 0 AND name NOT IN (SELECT name FROM pgboss.schedule)) AS retried,
        (SELECT count(*)::int FROM pgboss.job WHERE NOT (data ? 'eventId') AND name NOT IN (SELECT name FROM pgboss.schedule)) AS tasks`;
    check("event jobs (one per handler and event)", j.event_jobs, j.event_jobs > 0);
    check("event jobs not completed / without receipt / inserted twice", `${j.not_completed} / ${j.no_receipt} / ${j.dup_jobs}`, j.not_completed + j.no_receipt + j.dup_jobs === 0);
    check("jobs failed / dead-lettered", `${j.failed} / ${j.dead}`, j.failed + j.dead === 0);
    check("jobs that needed a retry (informational)", j.retried, true);
    check("task jobs (pushes, mail sends)", j.tasks, true);

    const created1 = new Map<string, number>();
    for (const d of receiver.deliveries) if (d.event === "ticket.created") created1.set(d.key, (created1.get(d.key) ?? 0) + 1);
    const noDelivery = keys.filter((k) => !created1.has(k)).length;
    const twice = [...created1.values()].filter((n) => n > 1).length;
    const deliveryIds = new Map<string, number>();
    for (const d of receiver.deliveries) deliveryIds.set(d.deliveryId, (deliveryIds.get(d.deliveryId) ?? 0) + 1);
    const dupDeliveries = [...deliveryIds.values()].filter((n) => n > 1).length;
    check("webhook deliveries received", receiver.deliveries.length, receiver.deliveries.length > 0);
    check("tickets without / with two ticket.created deliveries", `${noDelivery} / ${twice}`, noDelivery + twice === 0);
    check("delivery ids received twice", dupDeliveries, dupDeliveries === 0);

    const sent = await sql<{ message_id: string }[]>`SELECT message_id FROM mail_outbox WHERE status = 'sent' AND message_id IS NOT NULL`;
    const [unsent] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM mail_outbox WHERE status IN ('queued', 'failed')`;
    const atSink = new Map<string, number>();
    for (const m of sink.messages) atSink.set(m.messageId, (atSink.get(m.messageId) ?? 0) + 1);
    const mailMissing = sent.filter((m) => !atSink.has(m.message_id)).length;
    const mailTwice = [...atSink.values()].filter((n) => n > 1).length;
    check("mails sent (SMTP server received)", `${sent.length} (${sink.messages.length})`, sent.length > 0);
    check("mails queued or failed after the drain", unsent.n, unsent.n === 0);
    check("sent mails missing at the SMTP server / received twice", `${mailMissing} / ${mailTwice}`, mailMissing + mailTwice === 0);

    // Report.
    const routeRows = MIX.map(([op]) => {
      const s = stats.get(op)!;
      const sorted = [...s.latencies].sort((a, b) => a - b);
      const codes = [...s.statuses].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`).join(" ");
      return { route: ROUTE[op], n: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? NaN, codes, net: s.networkErrors, firstError: s.firstError };
    });
    const all = [...stats.values()].flatMap((s) => s.latencies).sort((a, b) => a - b);
    const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
    const lines = [
      `# Load run: latest figures`,
      "",
      `Written by \`npm run test:load\` (scripts/load.mts) on ${new Date().toISOString()}: Node ${process.version}, ${os.cpus().length} cores, PostgreSQL at ${dbWhere(BASE_DB)}, two production instances (\`next start\`) on one database, ${SPLIT_WORKERS ? "both web-only, the jobs on a third instance at nice 10 (LOAD_WORKERS=split)" : "each running job workers"}, HTTP_COMPRESSION=${env.HTTP_COMPRESSION}. See [RELIABILITY.md](../RELIABILITY.md#load).`,
      "",
      `Target ${RPS} req/s for ${SECONDS} s, open loop; answered ${answered} requests in ${wallS.toFixed(1)} s = **${achievedRps.toFixed(1)} req/s**; ${late} requests late; at most ${maxInFlight} in flight; the generator's own process (client, webhook receiver, SMTP server, on the same machine) took ${generatorCpuMs.toFixed(2)} ms of CPU per answered request.`,
      "",
      "| route | requests | p50 ms | p99 ms | max ms | statuses | network errors |",
      "|---|---:|---:|---:|---:|---|---:|",
      ...routeRows.map((r) => `| ${r.route} | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${r.codes} | ${r.net} |`),
      `| all | ${all.length} | ${fmt(quantile(all, 0.5))} | ${fmt(quantile(all, 0.99))} | ${fmt(all.at(-1) ?? NaN)} | | ${netErr} |`,
      "",
      "| check after the run | value | ok |",
      "|---|---|---|",
      ...checks.map((c) => `| ${c.name} | ${c.value} | ${c.pass ? "yes" : "**NO**"} |`),
      "",
    ];
    const firstErrors = routeRows.filter((r) => r.firstError).map((r) => `- ${r.route}: \`${r.firstError.replace(/`/g, "'").replace(/\s+/g, " ")}\``);
    if (firstErrors.length) lines.push("First error answer per route:", "", ...firstErrors, "");
    const md = lines.join("\n");
    if (process.env.LOAD_WRITE_REPORT !== "0") {
      fs.mkdirSync(path.dirname(REPORT), { recursive: true });
      fs.writeFileSync(REPORT, md);
    }
    console.log(md);
    ok = checks.every((c) => c.pass);
    console.log(
      JSON.stringify({
        rps: Number(achievedRps.toFixed(1)),
        answered,
        fivexx,
        netErr,
        late,
        tickets: keys.length,
        lost: t.missing,
        duplicates: dupTickets,
        p50: Number(quantile(all, 0.5).toFixed(1)),
        p99: Number(quantile(all, 0.99).toFixed(1)),
        generatorCpuMs: Number(generatorCpuMs.toFixed(2)),
        ok,
      }),
    );
    if (!ok) for (const a of allApps()) log(`instance ${a.name} log tail:\n${tailFile(a.logFile, 3000)}`);
  } finally {
    await Promise.all(allApps().map((a) => a.stop()));
    await sql.end({ timeout: 5 });
    await sink?.close();
    await receiver?.close();
    if (process.env.LOAD_KEEP_DB !== "1") await db.drop();
    if (ok) fs.rmSync(workDir, { recursive: true, force: true });
    else log(`work folder kept: ${workDir}`);
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
