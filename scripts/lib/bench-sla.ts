/**
 * The "SLA breach sweep" measurement of `npm run bench` (issue #10 §6), on PostgreSQL only.
 *
 * Data, after the 1,000,000 tickets are loaded (clocks that exist already, e.g. of tickets filed
 * over HTTP before, get their next check 30–60 days out first):
 * - the newest 100,000 tickets become open (status `open`, no first response) with a ticket_slas
 *   row under the seeded default policy of their priority (bulk INSERT … SELECT);
 * - `2 × SWEEPS × DUE` of them are arranged to come due, exactly DUE in each one-minute window
 *   after a fixed base time: P1/P2 rows cross their first-response warning (a warning is
 *   recorded), P3/P4 rows their due time as well (a breach is recorded; their default policies
 *   have no escalation, so nothing re-plans their clocks mid-run);
 * - every other row's next check is between 1 h and 7 days after the base.
 * Measured: SWEEPS sweeps at 100,000 ticket_slas rows (windows 1…SWEEPS), then 900,000 more rows
 * are added (the rest of the tickets, next checks 30–60 days out: a million entries in the
 * partial index) and SWEEPS sweeps run on the next windows. A sweep is what the `sla.sweep` task
 * does each minute: `runSlaSweep(db, now, {limit: SWEEP_BATCH})` until a batch comes back short.
 * Idle sweeps (nothing due) are timed at both sizes, and EXPLAIN ANALYZE of the sweep's
 * candidate query (lib/sla/sweep.ts selectDue) shows the partial index.
 *
 * Env: BENCH_SLA_DUE (100: tickets coming due per sweep), BENCH_SLA_SWEEPS (10), BENCH_SLA_OPEN (100000).
 */
import type postgres from "postgres";
import type { Db } from "../../db/client";

const DUE = Number(process.env.BENCH_SLA_DUE ?? 100);
const SWEEPS = Number(process.env.BENCH_SLA_SWEEPS ?? 10);
const OPEN = Number(process.env.BENCH_SLA_OPEN ?? 100_000);
const MIN_MS = 60_000;

export interface SlaSweepBench {
  due: number;
  sweeps: number;
  /** Per size: ticket_slas rows, sweep p50/p95/max ms, idle sweep p50 ms, tickets checked per sweep. */
  sizes: { rows: number; p50Ms: number; p95Ms: number; maxMs: number; idleP50Ms: number; checked: number[]; warnings: number; breaches: number }[];
  /** p50 at the large size ÷ p50 at the small size. */
  ratio: number;
  explain: string[];
  usesPartialIndex: boolean;
  loadS: number;
}

const q = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];

/**
 * Load the SLA data set into the bench database (`sql`) and time sweeps through the app's own
 * code on `db` (the same database). Needs the seeded default policies (seedReferenceData).
 * @throws Error when runSlaSweep is missing or a sweep handles a different number of tickets than arranged.
 */
export async function benchSlaSweep(sql: postgres.Sql, db: Db, log: (...a: unknown[]) => void): Promise<SlaSweepBench> {
  const { runSlaSweep, selectDue, SWEEP_BATCH } = await import("../../lib/sla/sweep");
  const base = new Date(Math.floor(Date.now() / MIN_MS) * MIN_MS);
  const arranged = 2 * SWEEPS * DUE;
  if (arranged > OPEN) throw new Error(`BENCH_SLA_OPEN (${OPEN}) must be at least 2 × sweeps × due (${arranged})`);
  const t0 = Date.now();
  log(`SLA: opening the newest ${OPEN} tickets with SLA clocks …`);
  await sql`DROP TABLE IF EXISTS bench_sla_open`;
  await sql`CREATE UNLOGGED TABLE bench_sla_open AS SELECT id, row_number() OVER (ORDER BY id DESC)::int AS i FROM tickets ORDER BY id DESC LIMIT ${OPEN}`;
  // Clocks that exist already (in the full bench: the tickets filed over HTTP by its ingest step,
  // whose real policies bring P1 first responses due 15 min later) move out of the measured
  // windows, 30–60 days out like the filler rows below; otherwise they come due among the
  // arranged tickets (one run: 113 due in a window where 100 were arranged).
  await sql`UPDATE ticket_slas SET next_check_at = ${base}::timestamptz + interval '30 days' + random() * interval '30 days' WHERE next_check_at IS NOT NULL`;
  await sql`ALTER TABLE tickets DISABLE TRIGGER tickets_rollup_upd`;
  // created a minute before the base, so a clock recomputed by the app lands after the measured windows
  await sql`UPDATE tickets t SET status = 'open', waiting_reason = NULL, first_response_at = NULL, resolved_at = NULL, closed_at = NULL,
              created_at = ${new Date(base.getTime() - MIN_MS)}, updated_at = ${new Date(base.getTime() - MIN_MS)}
            FROM bench_sla_open o WHERE t.id = o.id`;
  await sql`ALTER TABLE tickets ENABLE TRIGGER tickets_rollup_upd`;
  // window k (1-based) = (base + (k-1) min, base + k min]; the first `arranged` rows are spread over 2 × SWEEPS windows, DUE each
  await sql`
    INSERT INTO ticket_slas (ticket_id, policy_id, policy_name, calendar_id, at_risk_pct, first_response_target_s, resolution_target_s,
                             next_response_target_s, first_response_due_at, first_response_warn_at, resolution_due_at, resolution_warn_at, next_check_at)
    SELECT o.id, p.id, p.name, p.calendar_id, p.at_risk_pct, p.first_response_s, p.resolution_s, p.next_response_s,
           x.warn + CASE WHEN o.i <= ${arranged} AND t.priority IN ('P3', 'P4') THEN interval '10 seconds' ELSE interval '2 hours' END,
           x.warn, ${base}::timestamptz + interval '4 days', ${base}::timestamptz + interval '3 days', x.warn
    FROM bench_sla_open o
    JOIN tickets t ON t.id = o.id
    JOIN sla_policies p ON p.priority = t.priority AND p.category_slug IS NULL AND p.team_slug IS NULL AND p.org_domain IS NULL
    CROSS JOIN LATERAL (SELECT CASE WHEN o.i <= ${arranged}
                                    THEN ${base}::timestamptz + make_interval(mins => (o.i - 1) / ${DUE}, secs => 30)
                                    ELSE ${base}::timestamptz + interval '1 hour' + (o.i::float8 / ${OPEN}) * interval '7 days' END AS warn) x`;
  await sql.unsafe("ANALYZE tickets");
  await sql.unsafe("ANALYZE ticket_slas");
  let loadS = (Date.now() - t0) / 1000;

  const sweep = async (now: Date) => {
    const r = { checked: 0, warnings: 0, breaches: 0 };
    for (;;) {
      const b = await runSlaSweep(db, now, { limit: SWEEP_BATCH });
      r.checked += b.checked;
      r.warnings += b.warnings;
      r.breaches += b.breaches;
      if (b.checked < SWEEP_BATCH) return r;
    }
  };
  const timed = async <T,>(fn: () => Promise<T>): Promise<[number, T]> => {
    const s = performance.now();
    const v = await fn();
    return [performance.now() - s, v];
  };
  const measure = async (firstWindow: number) => {
    const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ticket_slas`;
    const times: number[] = [];
    const checked: number[] = [];
    let warnings = 0;
    let breaches = 0;
    for (let k = firstWindow; k < firstWindow + SWEEPS; k++) {
      const [ms, r] = await timed(() => sweep(new Date(base.getTime() + k * MIN_MS)));
      if (r.checked !== DUE) throw new Error(`sweep ${k} checked ${r.checked} tickets, ${DUE} were arranged`);
      times.push(ms);
      checked.push(r.checked);
      warnings += r.warnings;
      breaches += r.breaches;
    }
    const idle: number[] = [];
    const idleAt = new Date(base.getTime() + (firstWindow + SWEEPS - 1) * MIN_MS);
    for (let i = 0; i < 20; i++) idle.push((await timed(() => sweep(idleAt)))[0]);
    times.sort((a, b) => a - b);
    idle.sort((a, b) => a - b);
    log(`SLA: ${n} rows: sweep p50 ${q(times, 0.5).toFixed(1)} ms, idle ${q(idle, 0.5).toFixed(1)} ms`);
    return { rows: n, p50Ms: q(times, 0.5), p95Ms: q(times, 0.95), maxMs: times[times.length - 1], idleP50Ms: q(idle, 0.5), checked, warnings, breaches };
  };

  await sweep(base); // warm-up: nothing is due at the base itself
  const small = await measure(1);

  log(`SLA: adding ${"the other tickets"} (next checks 30–60 days out) …`);
  const t1 = Date.now();
  await sql`
    INSERT INTO ticket_slas (ticket_id, policy_id, policy_name, calendar_id, at_risk_pct, first_response_target_s, resolution_target_s,
                             next_response_target_s, first_response_due_at, first_response_warn_at, resolution_due_at, resolution_warn_at, next_check_at)
    SELECT t.id, p.id, p.name, p.calendar_id, p.at_risk_pct, p.first_response_s, p.resolution_s, p.next_response_s,
           x.warn + interval '2 hours', x.warn, x.warn + interval '4 days', x.warn + interval '3 days', x.warn
    FROM tickets t
    JOIN sla_policies p ON p.priority = t.priority AND p.category_slug IS NULL AND p.team_slug IS NULL AND p.org_domain IS NULL
    CROSS JOIN LATERAL (SELECT ${base}::timestamptz + interval '30 days' + (random() * interval '30 days') AS warn) x
    WHERE NOT EXISTS (SELECT 1 FROM ticket_slas s WHERE s.ticket_id = t.id)`;
  await sql.unsafe("VACUUM ANALYZE ticket_slas");
  loadS += (Date.now() - t1) / 1000;

  const { sql: text, params } = selectDue(db, new Date(base.getTime() + (SWEEPS + 1) * MIN_MS), SWEEP_BATCH).toSQL();
  const plan = await sql.unsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${text}`, params as postgres.ParameterOrJSON<never>[]);
  const explain = plan.map((r) => r["QUERY PLAN"]);
  const large = await measure(SWEEPS + 1);

  await sql`DROP TABLE IF EXISTS bench_sla_open`;
  return {
    due: DUE,
    sweeps: SWEEPS,
    sizes: [small, large],
    ratio: large.p50Ms / small.p50Ms,
    explain,
    usesPartialIndex: explain.some((l) => l.includes("ticket_slas_next_check_idx")),
    loadS,
  };
}

/** The measurement as markdown lines (docs/PERFORMANCE.md layout). */
export function formatSlaSweep(r: SlaSweepBench): string[] {
  const f = (x: number) => x.toFixed(1);
  return [
    `\n| SLA breach sweep, ${r.due} tickets due per sweep (${r.sweeps} sweeps) | p50 ms | p95 ms | max ms | idle sweep p50 ms | warnings | breaches |`,
    "|---|---:|---:|---:|---:|---:|---:|",
    ...r.sizes.map((s) => `| ${s.rows.toLocaleString("en-US")} ticket_slas rows | ${f(s.p50Ms)} | ${f(s.p95Ms)} | ${f(s.maxMs)} | ${f(s.idleP50Ms)} | ${s.warnings} | ${s.breaches} |`),
    `\nsweep p50 at ${r.sizes[1].rows.toLocaleString("en-US")} ÷ at ${r.sizes[0].rows.toLocaleString("en-US")} rows = ${r.ratio.toFixed(2)} (target p50 ≤ 200 ms); partial index used: ${r.usesPartialIndex ? "yes" : "NO"}; SLA data load ${r.loadS.toFixed(0)} s`,
    "EXPLAIN ANALYZE of the sweep's candidate query at the large size:",
    ...r.explain.map((l) => `    ${l}`),
  ];
}
