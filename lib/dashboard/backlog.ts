import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { AGE_BUCKETS, ageBucketBounds, ticketListHref, UNSOLVED, type AgeBucket, type UnsolvedStatus } from "./links";

/** A count with the ticket list filtered to exactly those tickets. */
export interface LinkedCount {
  n: number;
  href: string;
}

/** One row of a backlog breakdown: a total and its split by age bucket. */
export interface BacklogRow {
  key: string;
  total: LinkedCount;
  byAge: Record<AgeBucket, LinkedCount>;
}

/** Unsolved tickets now (statuses new, open, in progress, waiting), whenever they were created. */
export interface Backlog {
  /** The instant ages are measured from (ISO-8601); age buckets' links are bounded from it. */
  now: string;
  total: LinkedCount;
  byAge: Record<AgeBucket, LinkedCount>;
  /** Per status (all four, zeros included), split by age. */
  byStatus: Record<UnsolvedStatus, BacklogRow>;
  /** Per assignment group (key = team slug, `none` = no team), largest first; only teams with tickets. */
  byTeam: BacklogRow[];
}

const UNSOLVED_SQL = sql.raw(UNSOLVED.map((s) => `'${s}'`).join(", "));

/** SQL bucket index (0…4, AGE_BUCKETS order) of created_at at `now`; same bounds as {@link ageBucketBounds}. */
function ageBucketSql(now: Date) {
  const ts = now.toISOString();
  const edges = AGE_BUCKETS.slice(0, -1).map(
    (b, i) => sql`WHEN created_at >= ${ts}::timestamptz - ${`${b.maxDays} days`}::interval THEN ${sql.raw(String(i))}`,
  );
  return sql`CASE ${sql.join(edges, sql` `)} ELSE ${sql.raw(String(AGE_BUCKETS.length - 1))} END`;
}

/**
 * The current backlog: unsolved tickets by status, by assignment group and by age bucket
 * (age = `now` − created_at; buckets < 1 day, 1–3, 3–7, 7–30, > 30 days), each count with its
 * drill-down link. Two aggregate queries in one read-only snapshot, both answered from
 * indexes (team × age from the partial index tickets_unsolved_idx; status × age from
 * tickets_status_created_idx), so the cost follows the backlog's size, not the desk's.
 * @param now the instant ages are measured from (normally the current time).
 */
export async function getBacklog(db: Db, now: Date): Promise<Backlog> {
  const age = ageBucketSql(now);
  const [teamRows, statusRows] = await db.transaction(
    async (tx) =>
      Promise.all([
        rows<{ team: string; age: number; n: number }>(
          tx,
          sql`SELECT coalesce(team_slug, 'none') AS team, ${age} AS age, count(*)::int AS n
              FROM tickets WHERE status IN (${UNSOLVED_SQL}) GROUP BY 1, 2`,
        ),
        rows<{ status: UnsolvedStatus; age: number; n: number }>(
          tx,
          sql`SELECT status::text AS status, ${age} AS age, count(*)::int AS n
              FROM tickets WHERE status IN (${UNSOLVED_SQL}) GROUP BY 1, 2`,
        ),
      ]),
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );

  const row = (key: string, filters: { status: readonly string[]; team?: string }): BacklogRow => ({
    key,
    total: { n: 0, href: ticketListHref(filters) },
    byAge: Object.fromEntries(AGE_BUCKETS.map((b) => [b.key, { n: 0, href: ticketListHref({ ...filters, ...ageBucketBounds(b.key, now) }) }])) as Record<
      AgeBucket,
      LinkedCount
    >,
  });
  const add = (r: BacklogRow, ageIndex: number, n: number) => {
    r.total.n += n;
    r.byAge[AGE_BUCKETS[ageIndex].key].n += n;
  };

  const all = row("all", { status: UNSOLVED });
  const byStatus = Object.fromEntries(UNSOLVED.map((s) => [s, row(s, { status: [s] })])) as Record<UnsolvedStatus, BacklogRow>;
  for (const r of statusRows) {
    add(byStatus[r.status], Number(r.age), Number(r.n));
    add(all, Number(r.age), Number(r.n));
  }
  const teams = new Map<string, BacklogRow>();
  for (const r of teamRows) {
    const t = teams.get(r.team) ?? row(r.team, { status: UNSOLVED, team: r.team });
    teams.set(r.team, t);
    add(t, Number(r.age), Number(r.n));
  }
  const byTeam = [...teams.values()].sort((a, b) => b.total.n - a.total.n || a.key.localeCompare(b.key));
  return { now: now.toISOString(), total: all.total, byAge: all.byAge, byStatus, byTeam };
}
