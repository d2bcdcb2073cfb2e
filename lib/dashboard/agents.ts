import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { listAgents } from "@/lib/users/list-agents";
import type { LinkedCount } from "./backlog";
import { ticketListHref, UNSOLVED } from "./links";
import { rangeInstants, type DayRange } from "./range";

/** One agent's workload: what they hold now and what they resolved in the range. */
export interface AgentWorkload {
  /** User id, or `none` for the unassigned row. */
  id: string;
  name: string;
  teamSlug: string | null;
  /** Unsolved tickets assigned to them now. */
  open: LinkedCount;
  /** Tickets assigned to them with resolved_at in the range (resolved or closed since). */
  resolved: LinkedCount;
  /** Medians (nearest rank) over those resolved tickets, seconds; null when none has the time. */
  firstResponseP50S: number | null;
  resolutionP50S: number | null;
}

export interface AgentsWorkload {
  /** Inclusive UTC days of the resolved counts. */
  range: DayRange;
  /** Active agents and admins by name, then an `Unassigned` row (open only; resolved is always 0 there). */
  agents: AgentWorkload[];
}

const UNSOLVED_SQL = sql.raw(UNSOLVED.map((s) => `'${s}'`).join(", "));

/**
 * Per-agent workload: unsolved tickets assigned now (from the partial index
 * tickets_unsolved_idx) and tickets resolved in the range (tickets_solved_resolved_at_idx), with the
 * median first response and resolution times of those resolved tickets. Agents who no longer
 * work tickets (inactive) but still hold or resolved some appear too. Each count links to the
 * ticket list filtered to exactly those tickets.
 */
export async function getAgentsWorkload(db: Db, range: DayRange): Promise<AgentsWorkload> {
  const { from, to } = rangeInstants(range);
  const [agents, openRows, resolvedRows] = await Promise.all([
    listAgents(db),
    rows<{ assignee: string | null; n: number }>(
      db,
      sql`SELECT assignee_id::text AS assignee, count(*)::int AS n FROM tickets WHERE status IN (${UNSOLVED_SQL}) GROUP BY 1`,
    ),
    rows<{ assignee: string; name: string; team: string | null; n: number; fr: number | null; res: number | null }>(
      db,
      sql`SELECT t.assignee_id::text AS assignee, min(u.name) AS name, min(u.team_slug) AS team, count(*)::int AS n,
                 percentile_disc(0.5) WITHIN GROUP (ORDER BY t.first_response_s) AS fr,
                 percentile_disc(0.5) WITHIN GROUP (ORDER BY t.resolution_s) AS res
          FROM tickets t JOIN users u ON u.id = t.assignee_id
          WHERE t.status IN ('resolved', 'closed') -- implied by resolved_at; matches tickets_solved_resolved_at_idx
            AND t.resolved_at >= ${from.toISOString()}::timestamptz AND t.resolved_at < ${to.toISOString()}::timestamptz
          GROUP BY t.assignee_id`,
    ),
  ]);
  const resolvedFrom = from.toISOString();
  const resolvedTo = to.toISOString();
  const make = (id: string, name: string, teamSlug: string | null): AgentWorkload => ({
    id,
    name,
    teamSlug,
    open: { n: 0, href: ticketListHref({ status: UNSOLVED, assignee: id }) },
    resolved: { n: 0, href: ticketListHref({ assignee: id, resolvedFrom, resolvedTo }) },
    firstResponseP50S: null,
    resolutionP50S: null,
  });
  const byId = new Map<string, AgentWorkload>(agents.map((a) => [a.id, make(a.id, a.name, a.teamSlug)]));
  for (const r of resolvedRows) {
    const a = byId.get(r.assignee) ?? make(r.assignee, r.name, r.team);
    byId.set(r.assignee, a);
    a.resolved.n = Number(r.n);
    a.firstResponseP50S = r.fr === null ? null : Number(r.fr);
    a.resolutionP50S = r.res === null ? null : Number(r.res);
  }
  const unassigned = make("none", "Unassigned", null);
  const missing = openRows.filter((r) => r.assignee !== null && !byId.has(r.assignee)).map((r) => r.assignee as string);
  if (missing.length) {
    const names = await rows<{ id: string; name: string; team: string | null }>(
      db,
      sql`SELECT id::text AS id, name, team_slug AS team FROM users WHERE id::text IN (${sql.join(missing.map((m) => sql`${m}`), sql`, `)})`,
    );
    for (const u of names) byId.set(u.id, make(u.id, u.name, u.team));
  }
  for (const r of openRows) {
    const a = r.assignee === null ? unassigned : byId.get(r.assignee);
    if (a) a.open.n = Number(r.n);
  }
  const list = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { range, agents: [...list, unassigned] };
}
