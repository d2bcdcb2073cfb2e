/**
 * The agent workspace measurements of `npm run bench` (issue 12), on PostgreSQL, after the
 * 1,000,000 tickets are loaded (and before the SLA sweep step changes them):
 *
 * - data: two agents per assignment group (users with the team), every 20th ticket assigned to
 *   one of its team's agents (~50,000 assigned tickets, a realistic "My open");
 * - view counts: `countViews(db, principal)` (lib/workspace/counts.ts, the side bar's live
 *   counts, one query for all views) for one of those agents, p50 over 50 runs (target ≤ 20 ms);
 * - typo-tolerant search: `listTickets` with `q` = two words, each with a typo (20 queries × 5
 *   rounds, 25 per page, highlights included), p50 (target ≤ 50 ms), interleaved with the
 *   exact two-word searches for comparison on a shared machine;
 * - the search vocabulary trigger's ingest cost: single-row ticket INSERTs (the statement the
 *   ingest pipeline's write grows by), alternating rounds with the trigger `tickets_search_terms`
 *   on and off, sequential and on 8 concurrent connections (to expose lock waits on shared words).
 */
import type postgres from "postgres";
import type { Db } from "../../db/client";
import type { Principal } from "../../lib/auth/principal";

/** Two words, each with a typo (swap, drop, double or wrong letter), from the bench's search list. */
export const TYPO_SEARCHES = [
  "pasword resett", "lapotp batery", "acess reqest", "priner tonner", "vpnn conection", "mailbx fulll",
  "neww laptpo", "shred foldr", "admn rigths", "purchse ordr", "moniter cabel", "sofware instalation",
  "acount lockd", "meetng rooom", "timesheat eror", "projcet acces", "dsik spcae", "lisence renewl",
  "outlok calender", "wfii netwrok",
];

const ROUNDS = 5;
const COUNT_RUNS = 50;
const INSERTS = Number(process.env.BENCH_TRIGGER_INSERTS ?? 1000);
const PARALLEL = 8;
/** A seeded category (db/seed.ts) for the inserted tickets. */
const CATEGORY = "hardware";

export interface Timing {
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
  runs: number;
}

export interface WorkspaceBench {
  viewCounts: Timing & { counts: { name: string; count: number | null }[] };
  typoSearch: Timing & { perQuery: { q: string; hits: number; corrections: Record<string, string[]> }[] };
  /** The same agent's exact two-word searches (the bench's SEARCHES), interleaved with the typo searches: the same machine noise. */
  exactSearch: Timing;
  /** Mean ms per single-row INSERT with the vocabulary trigger off / on, sequential and concurrent. */
  trigger: { offMs: number; onMs: number; parallelOffRps: number; parallelOnRps: number; inserts: number };
  vocabulary: { terms: number; rebuildS: number };
  explain: string[];
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const timing = (ms: number[]): Timing => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50Ms: quantile(s, 0.5), p90Ms: quantile(s, 0.9), maxMs: s[s.length - 1], runs: s.length };
};

/** Agents per team and every 20th ticket assigned to one of its team's agents; @returns one agent's principal. */
async function prepareAgents(sql: postgres.Sql): Promise<Principal> {
  await sql`INSERT INTO users (email, name, role, team_slug)
            SELECT 'agent' || n || '.' || slug || '@bench.example', 'Agent ' || n || ' ' || name, 'agent', slug
            FROM teams, generate_series(1, 2) n ON CONFLICT DO NOTHING`;
  await sql`ALTER TABLE tickets DISABLE TRIGGER tickets_rollup_upd`;
  await sql`UPDATE tickets t SET assignee_id = u.id FROM users u
            WHERE t.id % 20 = 0 AND u.email = 'agent' || (1 + (t.id / 20) % 2) || '.' || t.team_slug || '@bench.example'`;
  await sql`ALTER TABLE tickets ENABLE TRIGGER tickets_rollup_upd`;
  await sql.unsafe("VACUUM ANALYZE tickets");
  const [a] = await sql<{ id: string; email: string; name: string }[]>`
    SELECT u.id, u.email, u.name FROM users u WHERE u.email LIKE 'agent1.%@bench.example' ORDER BY u.email LIMIT 1`;
  return { kind: "user", id: a.id, role: "agent", userId: a.id, email: a.email, label: a.name };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export interface BenchText {
  title: string;
  description: string;
}

/** Mean ms per single-row ticket INSERT over `n` statements on `conns` connections (cycling through `texts`). */
async function timeInserts(conns: postgres.Sql[], texts: BenchText[], n: number, offset: number): Promise<number> {
  const per = Math.ceil(n / conns.length);
  const t0 = performance.now();
  await Promise.all(
    conns.map(async (c, k) => {
      for (let i = 0; i < per; i++) {
        const s = offset + k * per + i;
        const t = texts[s % texts.length];
        await c`INSERT INTO tickets (title, description, requester_email, category_slug, priority, status, source)
                VALUES (${t.title}, ${t.description}, ${`ingest${s % 5000}@bench.example`}, ${CATEGORY}, 'P3', 'new', 'api')`;
      }
    }),
  );
  return (performance.now() - t0) / (per * conns.length);
}

/** The vocabulary trigger's cost: alternating rounds off/on, sequential and on {@link PARALLEL} connections. */
async function benchTrigger(sql: postgres.Sql, url: string, texts: BenchText[]): Promise<WorkspaceBench["trigger"]> {
  const { default: postgresLib } = await import("postgres");
  const seq = [postgresLib(url, { max: 1, onnotice: () => {} })];
  const par = Array.from({ length: PARALLEL }, () => postgresLib(url, { max: 1, onnotice: () => {} }));
  const setTrigger = (on: boolean) => sql.unsafe(`ALTER TABLE tickets ${on ? "ENABLE" : "DISABLE"} TRIGGER tickets_search_terms`);
  const off: number[] = [];
  const on: number[] = [];
  const pOff: number[] = [];
  const pOn: number[] = [];
  let offset = 0;
  try {
    for (let round = 0; round < 2; round++) {
      for (const enabled of round === 0 ? [false, true] : [true, false]) {
        await setTrigger(enabled);
        (enabled ? on : off).push(await timeInserts(seq, texts, INSERTS, (offset += INSERTS)));
        (enabled ? pOn : pOff).push(await timeInserts(par, texts, INSERTS, (offset += INSERTS)));
      }
    }
  } finally {
    await setTrigger(true);
    await Promise.all([...seq, ...par].map((c) => c.end({ timeout: 5 })));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // Concurrent: mean ms per insert over all connections → statements per second.
  return { offMs: mean(off), onMs: mean(on), parallelOffRps: 1000 / mean(pOff), parallelOnRps: 1000 / mean(pOn), inserts: INSERTS };
}

/**
 * Run the workspace measurements on the loaded bench database (`sql` and `db` are the same
 * database; `url` opens the extra connections of the trigger measurement; `texts` are the
 * ticket texts the trigger measurement inserts; `rebuildS` how long the load's vocabulary
 * rebuild took).
 */
export async function benchWorkspace(
  sql: postgres.Sql,
  db: Db,
  opts: { url: string; texts: BenchText[]; rebuildS: number; exactSearches: string[]; log: (...a: unknown[]) => void },
): Promise<WorkspaceBench> {
  const { url, texts, rebuildS, exactSearches, log } = opts;
  const { countViews } = await import("../../lib/workspace/counts");
  const { listTickets } = await import("../../lib/tickets/list-tickets");
  const { ListTicketsQuerySchema } = await import("../../lib/tickets/schemas");
  const { planTicketSearch } = await import("../../lib/search/plan");

  log("workspace: agents and assignments …");
  const agent = await prepareAgents(sql);
  const [{ n: terms }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM search_terms`;

  log("workspace: view counts …");
  for (let i = 0; i < 5; i++) await countViews(db, agent);
  const countMs: number[] = [];
  for (let i = 0; i < COUNT_RUNS; i++) countMs.push(await time(() => countViews(db, agent)));
  const counts = (await countViews(db, agent)).map(({ name, count }) => ({ name, count }));

  log("workspace: typo-tolerant search …");
  const queries = TYPO_SEARCHES.map((q) => ListTicketsQuerySchema.parse({ q, limit: "25" }));
  const perQuery: WorkspaceBench["typoSearch"]["perQuery"] = [];
  for (const q of queries) {
    const page = await listTickets(db, q, agent);
    perQuery.push({ q: q.q!, hits: page.items.length, corrections: (await planTicketSearch(db, q.q!)).corrections });
  }
  const exact = exactSearches.map((q) => ListTicketsQuerySchema.parse({ q, limit: "25" }));
  for (const q of exact) await listTickets(db, q, agent);
  const searchMs: number[] = [];
  const exactMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < Math.max(queries.length, exact.length); i++) {
      if (queries[i]) searchMs.push(await time(() => listTickets(db, queries[i], agent)));
      if (exact[i]) exactMs.push(await time(() => listTickets(db, exact[i], agent)));
    }
  }

  const plan = await planTicketSearch(db, TYPO_SEARCHES[0]);
  const { PgDialect } = await import("drizzle-orm/pg-core");
  const { sql: dsql } = await import("drizzle-orm");
  const compiled = new PgDialect().sqlToQuery(
    dsql`EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM tickets WHERE ${plan.match} ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST LIMIT 26`,
  );
  const explain = (await sql.unsafe(compiled.sql, compiled.params as never[])).map((r) => String(Object.values(r)[0]));

  log("workspace: vocabulary trigger cost …");
  const trigger = await benchTrigger(sql, url, texts);
  return {
    viewCounts: { ...timing(countMs), counts },
    typoSearch: { ...timing(searchMs), perQuery },
    exactSearch: timing(exactMs),
    trigger,
    vocabulary: { terms, rebuildS },
    explain,
  };
}

/** The measurements as markdown lines (tables, then the EXPLAIN of the first typo query's plain form). */
export function formatWorkspace(w: WorkspaceBench, tickets: number): string[] {
  const f = (x: number) => x.toFixed(1);
  const row = (name: string, t: Timing) => `| ${name} | ${f(t.p50Ms)} | ${f(t.p90Ms)} | ${f(t.maxMs)} | ${t.runs} |`;
  return [
    `\n| workspace at ${tickets} tickets (one client, service calls) | p50 ms | p90 ms | max ms | runs |`,
    "|---|---:|---:|---:|---:|",
    row("view counts (countViews, all side-bar views)", w.viewCounts),
    row("typo-tolerant search (two words, each with a typo)", w.typoSearch),
    row("exact two-word search, same agent, interleaved", w.exactSearch),
    `\nview counts: ${w.viewCounts.counts.map((c) => `${c.name} ${c.count ?? "10,000+"}`).join(", ")}`,
    `vocabulary: ${w.vocabulary.terms} terms (rebuild ${w.vocabulary.rebuildS.toFixed(0)} s)`,
    "typo queries (page hits, corrections):",
    ...w.typoSearch.perQuery.map((p) => `  ${p.q} → ${p.hits} ${JSON.stringify(p.corrections)}`),
    `\n| vocabulary trigger, ${w.trigger.inserts} single-row INSERTs per round | trigger off | trigger on | on ÷ off |`,
    "|---|---:|---:|---:|",
    `| sequential, ms per insert | ${w.trigger.offMs.toFixed(2)} | ${w.trigger.onMs.toFixed(2)} | ${(w.trigger.onMs / w.trigger.offMs).toFixed(2)} |`,
    `| ${PARALLEL} connections, inserts/s | ${w.trigger.parallelOffRps.toFixed(0)} | ${w.trigger.parallelOnRps.toFixed(0)} | ${(w.trigger.parallelOnRps / w.trigger.parallelOffRps).toFixed(2)} |`,
    "\nEXPLAIN ANALYZE, first typo query's match condition, newest 26 (unwindowed form):",
    ...w.explain.map((l) => `    ${l}`),
  ];
}
