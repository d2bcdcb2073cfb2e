/**
 * `npm run bench`: performance benchmark (not a test). Prints a table; the LAST line is one
 * JSON object {"ingestRps","ingestP99Ms","healthRps","ratio","statsP50Ms","searchP50Ms","viewCountsP50Ms",
 * "typoSearchP50Ms","slaSweepP50Ms","slaSweepP95Ms","slaSweepRatio","tickets"}.
 *
 * 1. Builds if needed, starts the production server (`next start`) on a fresh PostgreSQL
 *    database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/switchboard_bench,
 *    dropped and recreated).
 * 2. Throughput, same run: 50 concurrent clients for 15 s each on GET /api/health and on
 *    POST /api/tickets (the full pipeline: API-key auth, zod, triage, one-statement write),
 *    health measured before and after ingest and averaged; ratio = ingest / health req/s.
 * 3. Loads 1,000,000 tickets (texts from db/seed-data, spread evenly over the last 365 days and
 *    inserted in time order, as a desk receives them; realistic statuses and durations),
 *    rebuilds the stats rollups and the search vocabulary (both triggers off during the load), VACUUM ANALYZE.
 * 4. Latency, one client, p50 over the runs: the stats service (dashboard default range) and a
 *    two-word full-text search (20 queries × 5), measured (a) as the service call on the
 *    database pool (the code the route handler runs; these are the JSON's statsP50Ms and
 *    searchP50Ms) and (b) end to end over HTTP, next to an empty GET /api/health for the
 *    fixed HTTP cost of this machine. The HTTP timings run first; the server is then stopped,
 *    so the service-level steps (4, 4b, 5) share the database with no job workers and no
 *    every-minute SLA sweep of the server's own.
 * 4b. Agent workspace (scripts/lib/bench-workspace.ts): view counts (`countViews`) p50 and a
 *    typo-tolerant two-word search p50 at the service level (the JSON's viewCountsP50Ms and
 *    typoSearchP50Ms), and the search vocabulary trigger's cost per ticket INSERT.
 * 5. SLA breach sweep (scripts/lib/bench-sla.ts): 100,000 of the tickets open under the default
 *    policies, a fixed number coming due per one-minute sweep; sweep p50/p95 at 100,000 and at
 *    1,000,000 ticket_slas rows, and EXPLAIN of the sweep's candidate query (the JSON's
 *    slaSweepP50Ms, slaSweepP95Ms, slaSweepRatio). Runs last: it opens tickets without the stats
 *    rollup trigger.
 * `npm run bench -- --sla-only`: steps 1 (database only, no build or server), 3 and 5.
 * `npm run bench -- --workspace-only`: steps 1 (database only), 3 and 4b; with `--reuse`, 4b
 * alone on the database an earlier `--workspace-only` run loaded.
 * Env: BENCH_CLIENTS (50), BENCH_SECONDS (15), BENCH_TICKETS (1000000), BENCH_PORT (3300),
 * BENCH_SLA_DUE (100), BENCH_SLA_SWEEPS (10), BENCH_SLA_OPEN (100000).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { parse } from "csv-parse/sync";
import postgres from "postgres";
// @ts-expect-error plain ESM helper without type declarations
import { ensureProductionBuild } from "./lib/build.mjs";
import { benchSlaSweep, formatSlaSweep } from "./lib/bench-sla";
import { benchWorkspace, formatWorkspace } from "./lib/bench-workspace";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const DB_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/switchboard_bench";
const BASE = `http://127.0.0.1:${PORT}`;
const root = process.cwd();
const nextBin = path.join(root, "node_modules", ".bin", "next");

const log = (...a: unknown[]) => console.error("[bench]", ...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

async function recreateDatabase(): Promise<void> {
  const u = new URL(DB_URL);
  const name = u.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe bench database name ${name}`);
  u.pathname = "/postgres";
  const admin = postgres(u.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
}

function ensureBuild(): void {
  ensureProductionBuild(root, { force: process.env.BENCH_BUILD === "1", log: (m: string) => log(m) });
}

async function startServer(): Promise<ChildProcess> {
  const child = spawn(nextBin, ["start", "-p", String(PORT)], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: DB_URL,
      DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? "20",
      LOG_LEVEL: "warn",
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret",
      NEXTAUTH_URL: BASE,
      NEXT_TELEMETRY_DISABLED: "1",
      // One bench key drives thousands of requests a minute: the route-class limits stay on
      // (their counter write is part of each request's cost) but high enough not to refuse.
      RATE_LIMIT_READ_PER_MIN: "1000000",
      RATE_LIMIT_WRITE_PER_MIN: "1000000",
      RATE_LIMIT_CLASSIFY_PER_MIN: "1000000",
    },
  });
  for (let i = 0; i < 240; i++) {
    try {
      const r = await fetch(`${BASE}/api/health`);
      if (r.ok) return child;
    } catch {
      /* not up yet */
    }
    await sleep(500);
  }
  child.kill("SIGTERM");
  throw new Error("server did not become healthy");
}

interface Load {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
}

async function load(opts: autocannon.Options): Promise<Load> {
  const r = await autocannon({ connections: CLIENTS, duration: SECONDS, ...opts });
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    total: r.requests.total,
  };
}

const samplePath = path.join(root, "db", "seed-data", "it-tickets-sample.csv");
const sample = (parse(fs.readFileSync(samplePath), { columns: true }) as { text: string; label: string }[]).map((r) => ({
  title: r.text.split(" ").slice(0, 8).join(" ").replace(/^./, (c) => c.toUpperCase()).slice(0, 200),
  description: r.text.length >= 10 ? r.text.slice(0, 5000) : `${r.text} (no details)`,
}));

/** Load `n` tickets; @returns the seconds the search vocabulary rebuild took. */
async function loadTickets(sql: postgres.Sql, n: number): Promise<number> {
  await sql`CREATE TEMP TABLE bench_texts (i int PRIMARY KEY, title text NOT NULL, description text NOT NULL)`;
  const rowsToInsert = sample.map((s, i) => ({ i, title: s.title, description: s.description }));
  for (let i = 0; i < rowsToInsert.length; i += 500) await sql`INSERT INTO bench_texts ${sql(rowsToInsert.slice(i, i + 500))}`;
  const m = sample.length;
  await sql`ALTER TABLE tickets DISABLE TRIGGER tickets_rollup_ins_del`;
  await sql`ALTER TABLE tickets DISABLE TRIGGER tickets_rollup_upd`;
  await sql`ALTER TABLE tickets DISABLE TRIGGER tickets_search_terms`;
  const chunk = 100_000;
  for (let done = 0; done < n; done += chunk) {
    const size = Math.min(chunk, n - done);
    const t0 = Date.now();
    await sql.unsafe(
      `
      WITH g AS (
        SELECT s, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
               now() - interval '365 days' + ((s - 1)::float8 / ${n}) * interval '365 days' AS created
        FROM generate_series(${done + 1}, ${done + size}) s
      ), c AS (SELECT array_agg(slug ORDER BY slug) AS slugs, array_agg(team_slug ORDER BY slug) AS teams FROM categories),
      x AS (
        SELECT g.*, t.title, t.description,
               (1 + floor(g.r1 * 8))::int AS ci,
               (ARRAY['P1','P2','P3','P3','P3','P4','P4','P4'])[1 + floor(g.r2 * 8)::int] AS prio,
               g.created + make_interval(secs => 60 + exp(ln(3 * 3600) + (g.r3 - 0.5) * 4)) AS fr,
               g.created + make_interval(secs => 600 + exp(ln(2 * 86400) + (g.r4 - 0.5) * 5)) AS res
        FROM g JOIN bench_texts t ON t.i = g.s % ${m}
      )
      INSERT INTO tickets (title, description, requester_email, category_slug, priority, status, waiting_reason, source, team_slug,
                           created_at, updated_at, first_response_at, resolved_at, closed_at)
      SELECT x.title, x.description, 'user' || (x.s % 20000) || '@bench.example', c.slugs[x.ci], x.prio::ticket_priority,
             CASE WHEN x.res < now() - interval '3 days' THEN 'closed'
                  WHEN x.res < now() THEN 'resolved'
                  WHEN x.fr < now() THEN (ARRAY['open','in_progress','waiting'])[1 + (x.s % 3)]
                  ELSE 'new' END::ticket_status,
             CASE WHEN NOT (x.res < now()) AND x.fr < now() AND x.s % 3 = 2 THEN 'requester' END::waiting_reason,
             (ARRAY['web','api','email'])[1 + (x.s % 3)]::ticket_source,
             c.teams[x.ci], x.created, x.created,
             CASE WHEN x.fr < now() THEN x.fr END,
             CASE WHEN x.res < now() THEN x.res END,
             CASE WHEN x.res < now() - interval '3 days' THEN x.res + interval '3 days' END
      FROM x, c ORDER BY x.s`,
    );
    log(`loaded ${done + size} tickets (${((Date.now() - t0) / 1000).toFixed(1)} s for ${size})`);
  }
  await sql`ALTER TABLE tickets ENABLE TRIGGER tickets_rollup_ins_del`;
  await sql`ALTER TABLE tickets ENABLE TRIGGER tickets_rollup_upd`;
  await sql`ALTER TABLE tickets ENABLE TRIGGER tickets_search_terms`;
  log("rebuilding stats rollups …");
  await sql`SELECT sb_rebuild_stats_rollups()`;
  log("rebuilding the search vocabulary …");
  const v0 = Date.now();
  await sql`SELECT sb_rebuild_search_terms()`;
  const vocabularyS = (Date.now() - v0) / 1000;
  log(`vocabulary rebuilt in ${vocabularyS.toFixed(0)} s`);
  log("VACUUM ANALYZE …");
  await sql.unsafe("VACUUM ANALYZE tickets");
  await sql.unsafe("VACUUM ANALYZE ticket_daily_counts");
  await sql.unsafe("VACUUM ANALYZE ticket_duration_rollup");
  await sql.unsafe("VACUUM ANALYZE search_terms");
  return vocabularyS;
}

async function timeRequests(urls: string[], key: string, rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const url of urls) {
      const t0 = performance.now();
      const res = await fetch(`${BASE}${url}`, { headers: { authorization: `Bearer ${key}` } });
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      times.push(ms);
    }
  }
  return times.sort((a, b) => a - b);
}

const SEARCHES = [
  "password reset", "laptop battery", "access request", "printer toner", "vpn connection", "mailbox full",
  "new laptop", "shared folder", "admin rights", "purchase order", "monitor cable", "software installation",
  "account locked", "meeting room", "timesheet error", "project access", "disk space", "license renewal",
  "outlook calendar", "wifi network",
];

/** `--sla-only`: a fresh database, the 1M tickets, and the SLA breach sweep measurement alone. */
async function slaOnly(): Promise<void> {
  await recreateDatabase();
  process.env.DATABASE_URL = DB_URL;
  const { getDb, closeDb } = await import("../db/client");
  const { seedReferenceData } = await import("../db/seed");
  const db = await getDb(); // migrates
  await seedReferenceData(db);
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
    log(`loading ${TICKETS} tickets …`);
    const t0 = Date.now();
    await loadTickets(sql, TICKETS);
    log(`loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const r = await benchSlaSweep(sql, db, log);
    console.log(`\nSwitchboard benchmark (SLA sweep only) — ${new Date().toISOString()} — node ${process.version}, PostgreSQL, ${TICKETS} tickets`);
    for (const line of formatSlaSweep(r)) console.log(line);
    console.log(JSON.stringify({ slaSweepP50Ms: round1(r.sizes[1].p50Ms), slaSweepP95Ms: round1(r.sizes[1].p95Ms), slaSweepRatio: Math.round(r.ratio * 100) / 100, tickets: TICKETS }));
  } finally {
    await sql.end({ timeout: 5 });
    await closeDb();
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** `--workspace-only`: a fresh database, the 1M tickets, and the agent workspace measurements alone. */
async function workspaceOnly(): Promise<void> {
  // --reuse: measure again on the database a previous --workspace-only run loaded.
  const reuse = process.argv.includes("--reuse");
  if (!reuse) await recreateDatabase();
  process.env.DATABASE_URL = DB_URL;
  const { getDb, closeDb } = await import("../db/client");
  const { seedReferenceData } = await import("../db/seed");
  const db = await getDb(); // migrates
  await seedReferenceData(db);
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
    let rebuildS = 0;
    if (!reuse) {
      log(`loading ${TICKETS} tickets …`);
      const t0 = Date.now();
      rebuildS = await loadTickets(sql, TICKETS);
      log(`loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM tickets`;
    const w = await benchWorkspace(sql, db, { url: DB_URL, texts: sample, rebuildS, exactSearches: SEARCHES, log });
    console.log(`\nSwitchboard benchmark (agent workspace only) — ${new Date().toISOString()} — node ${process.version}, PostgreSQL, ${n} tickets`);
    for (const line of formatWorkspace(w, n)) console.log(line);
    console.log(JSON.stringify({ viewCountsP50Ms: round1(w.viewCounts.p50Ms), typoSearchP50Ms: round1(w.typoSearch.p50Ms), tickets: n }));
  } finally {
    await sql.end({ timeout: 5 });
    await closeDb();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--sla-only")) return slaOnly();
  if (process.argv.includes("--workspace-only")) return workspaceOnly();
  ensureBuild();
  await recreateDatabase();
  const server = await startServer();
  const sql = postgres(DB_URL, { max: 2, onnotice: () => {} });
  try {
    // API key for the ingest client (created straight in the database: same hashing as the app)
    const { createHash, randomBytes } = await import("node:crypto");
    const key = `sb_${randomBytes(30).toString("base64url")}`;
    await sql`INSERT INTO api_keys (name, role, prefix, key_hash, scopes) VALUES ('bench', 'agent', ${key.slice(0, 10)}, ${createHash("sha256").update(key).digest("hex")}, '{tickets:read,tickets:write,files:write,webhook}')`;

    log(`warm-up …`);
    await autocannon({ url: `${BASE}/api/health`, connections: 10, duration: 3 });
    let i = 0;
    const ingestRequest: autocannon.Request = {
      method: "POST",
      path: "/api/tickets",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      setupRequest: (req) => {
        const s = sample[i++ % sample.length];
        return { ...req, body: JSON.stringify({ title: s.title, description: s.description, email: `user${i % 5000}@bench.example` }) };
      },
    };
    await autocannon({ url: BASE, connections: 10, duration: 3, requests: [ingestRequest] });

    log(`health: ${CLIENTS} clients × ${SECONDS} s …`);
    const health1 = await load({ url: `${BASE}/api/health` });
    log(`ingest: ${CLIENTS} clients × ${SECONDS} s …`);
    const ingest = await load({ url: BASE, requests: [ingestRequest] });
    log(`health again …`);
    const health2 = await load({ url: `${BASE}/api/health` });
    const healthRps = (health1.rps + health2.rps) / 2;
    if (ingest.non2xx || ingest.errors) log(`WARNING ingest had ${ingest.non2xx} non-2xx and ${ingest.errors} errors`);

    log(`loading ${TICKETS} tickets …`);
    const t0 = Date.now();
    const vocabularyS = await loadTickets(sql, TICKETS);
    const loadS = (Date.now() - t0) / 1000;
    const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM tickets`;

    const today = new Date().toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 364 * 86400_000).toISOString().slice(0, 10);
    await timeRequests(["/api/tickets/stats"], key, 5); // warm
    const stats = await timeRequests(["/api/tickets/stats"], key, 50);
    const statsYear = await timeRequests([`/api/tickets/stats?from=${yearAgo}&to=${today}`], key, 20);
    const searchUrls = SEARCHES.map((q) => `/api/tickets?q=${encodeURIComponent(q)}&limit=25`);
    await timeRequests(searchUrls, key, 1); // warm
    const search = await timeRequests(searchUrls, key, 5);
    const list = await timeRequests(["/api/tickets?limit=25", "/api/tickets?status=open&limit=25"], key, 20);
    const healthOne = await timeRequests(["/api/health"], key, 50);
    // The service-level steps below run with the server stopped, as --sla-only and
    // --workspace-only do: no job workers beside them, and no every-minute SLA sweep of the
    // server's own, which runs at real time and could record the first windows' arranged
    // tickets before the bench's sweep reaches them.
    await stopServer(server);

    // Service-level: the same functions the route handlers call, on a pool to the same database.
    process.env.DATABASE_URL = DB_URL;
    const { getDb, closeDb } = await import("../db/client");
    const { listTickets } = await import("../lib/tickets/list-tickets");
    const { getTicketStats } = await import("../lib/tickets/stats");
    const { ListTicketsQuerySchema } = await import("../lib/tickets/schemas");
    const db = await getDb();
    const agentPrincipal = { kind: "api_key", id: "bench", role: "agent", userId: null, email: null, label: "bench" } as const;
    const timeIt = async (fn: () => Promise<unknown>, runs: number) => {
      const out: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        await fn();
        out.push(performance.now() - t0);
      }
      return out;
    };
    await timeIt(() => getTicketStats(db, {}), 5);
    const statsSvc = (await timeIt(() => getTicketStats(db, {}), 50)).sort((a, b) => a - b);
    const queries = SEARCHES.map((q) => ListTicketsQuerySchema.parse({ q, limit: "25" }));
    for (const q of queries) await listTickets(db, q, agentPrincipal);
    const searchSvc: number[] = [];
    for (let r = 0; r < 5; r++) for (const q of queries) searchSvc.push(...(await timeIt(() => listTickets(db, q, agentPrincipal), 1)));
    searchSvc.sort((a, b) => a - b);
    const workspace = await benchWorkspace(sql, db, { url: DB_URL, texts: sample, rebuildS: vocabularyS, exactSearches: SEARCHES, log });
    const sla = await benchSlaSweep(sql, db, log);
    await closeDb();

    const result = {
      ingestRps: Math.round(ingest.rps),
      ingestP99Ms: ingest.p99Ms,
      healthRps: Math.round(healthRps),
      ratio: Math.round((ingest.rps / healthRps) * 1000) / 1000,
      statsP50Ms: Math.round(quantile(statsSvc, 0.5) * 10) / 10,
      searchP50Ms: Math.round(quantile(searchSvc, 0.5) * 10) / 10,
      viewCountsP50Ms: round1(workspace.viewCounts.p50Ms),
      typoSearchP50Ms: round1(workspace.typoSearch.p50Ms),
      slaSweepP50Ms: round1(sla.sizes[1].p50Ms),
      slaSweepP95Ms: round1(sla.sizes[1].p95Ms),
      slaSweepRatio: Math.round(sla.ratio * 100) / 100,
      tickets: n,
    };
    const f = (x: number) => x.toFixed(1);
    console.log(`\nSwitchboard benchmark — ${new Date().toISOString()} — node ${process.version}, ${CLIENTS} clients × ${SECONDS} s, PostgreSQL`);
    console.log("| measure | req/s | p50 ms | p99 ms | requests | non-2xx |");
    console.log("|---|---:|---:|---:|---:|---:|");
    console.log(`| GET /api/health (before) | ${f(health1.rps)} | ${health1.p50Ms} | ${health1.p99Ms} | ${health1.total} | ${health1.non2xx} |`);
    console.log(`| POST /api/tickets (full pipeline) | ${f(ingest.rps)} | ${ingest.p50Ms} | ${ingest.p99Ms} | ${ingest.total} | ${ingest.non2xx} |`);
    console.log(`| GET /api/health (after) | ${f(health2.rps)} | ${health2.p50Ms} | ${health2.p99Ms} | ${health2.total} | ${health2.non2xx} |`);
    console.log(`\n| at ${n} tickets (one client) | p50 ms | p90 ms | max ms | runs |`);
    console.log("|---|---:|---:|---:|---:|");
    console.log(`| stats service (last 90 days) | ${f(quantile(statsSvc, 0.5))} | ${f(quantile(statsSvc, 0.9))} | ${f(statsSvc[statsSvc.length - 1])} | ${statsSvc.length} |`);
    console.log(`| search service (two words) | ${f(quantile(searchSvc, 0.5))} | ${f(quantile(searchSvc, 0.9))} | ${f(searchSvc[searchSvc.length - 1])} | ${searchSvc.length} |`);
    console.log(`| GET /api/health (HTTP cost alone) | ${f(quantile(healthOne, 0.5))} | ${f(quantile(healthOne, 0.9))} | ${f(healthOne[healthOne.length - 1])} | ${healthOne.length} |`);
    console.log(`| GET /api/tickets/stats (last 90 days) | ${f(quantile(stats, 0.5))} | ${f(quantile(stats, 0.9))} | ${f(stats[stats.length - 1])} | ${stats.length} |`);
    console.log(`| GET /api/tickets/stats (365 days) | ${f(quantile(statsYear, 0.5))} | ${f(quantile(statsYear, 0.9))} | ${f(statsYear[statsYear.length - 1])} | ${statsYear.length} |`);
    console.log(`| GET /api/tickets?q=<two words> | ${f(quantile(search, 0.5))} | ${f(quantile(search, 0.9))} | ${f(search[search.length - 1])} | ${search.length} |`);
    console.log(`| GET /api/tickets (list, filter) | ${f(quantile(list, 0.5))} | ${f(quantile(list, 0.9))} | ${f(list[list.length - 1])} | ${list.length} |`);
    for (const line of formatWorkspace(workspace, n)) console.log(line);
    for (const line of formatSlaSweep(sla)) console.log(line);
    console.log(`\nratio ingest/health = ${result.ratio} (target ≥ 0.6); load of ${TICKETS} tickets took ${loadS.toFixed(0)} s`);
    console.log(JSON.stringify(result));
  } finally {
    await sql.end({ timeout: 5 });
    await stopServer(server);
  }
}

/** SIGTERM the server and wait for it to exit (nothing when it has exited already). */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await exited;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
