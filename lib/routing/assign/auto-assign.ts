import "server-only";
import { eq, sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { teams, ticketAssignments } from "@/db/schema";
import type { AssignmentMode } from "@/db/schema/routing";
import { writeTicketChanges, type ChangeActor } from "@/lib/tickets/update-ticket";
import { compareCandidates, compareLastAssigned, rankCandidates, type Candidate, type RankOptions, type Ranking } from "./rank";
import { candidateReason, nobodyReason } from "./reason";
import { RERANK_TOP, type RerankOutcome } from "./rerank";

/** The actor of automatic assignments in audit and domain events. */
export const AUTO_ASSIGN_ACTOR: ChangeActor = { actorType: "system", actorId: null, actorLabel: "auto-assignment" };

/** First key of the per-team advisory lock (the second is hashtext(team slug)). */
const TEAM_LOCK_KEY = 73052002;

export type AutoAssignResult =
  | {
      status: "assigned";
      ticketId: number;
      key: string;
      title: string;
      mode: "auto" | "round_robin";
      assignee: { userId: string; name: string; email: string };
      reason: string;
    }
  /** Nobody eligible: the ticket stays unassigned; a history row (assignee null) says why. */
  | { status: "unassigned"; ticketId: number; key: string; mode: "auto" | "round_robin"; reason: string }
  /** Nothing to do: already assigned, resolved/closed, no team, manual mode, no profiles in the team, or gone. */
  | { status: "skipped"; ticketId: number; reason: string };

interface TicketState extends Record<string, unknown> {
  id: number;
  key: string;
  title: string;
  description: string;
  status: string;
  team_slug: string | null;
  assignee_id: string | null;
}

async function readTicket(db: DbOrTx, ticketId: number, forUpdate: boolean): Promise<TicketState | null> {
  const [t] = await rows<TicketState>(
    db,
    sql`SELECT id::float8 AS id, key, title, description, status::text AS status, team_slug, assignee_id::text AS assignee_id
        FROM tickets WHERE id = ${ticketId}${forUpdate ? sql` FOR UPDATE` : sql``}`,
  );
  return t ? { ...t, id: Number(t.id) } : null;
}

function skipReason(t: TicketState | null): string | null {
  if (!t) return "ticket not found";
  if (t.assignee_id) return "already assigned";
  if (t.status === "resolved" || t.status === "closed") return `ticket is ${t.status}`;
  if (!t.team_slug) return "no team";
  return null;
}

/** Assigned: who, why; passed to `onAssigned` inside the assignment's transaction. */
export type Assigned = Extract<AutoAssignResult, { status: "assigned" }>;

/**
 * Give an unassigned ticket a person of its team, by the team's assignment mode:
 * `auto` (best candidate of {@link rankCandidates}, LLM-reranked when configured),
 * `round_robin` (the eligible member assigned least recently, then the lower load) or
 * `manual` (nothing).
 *
 * Two steps. (1) Outside any transaction of its own (read only): the ticket, the team's mode
 * and, in `auto`, the ranking with the LLM rerank, which may take seconds and must not hold
 * locks or, on the embedded database, its only connection. (2) ONE transaction that decides
 * and writes: a per-team transaction-scoped advisory lock, the ticket row locked and re-checked
 * (still unassigned, open, same team), loads and hours counted afresh under the lock, the first
 * candidate of step 1's order who is still eligible (round robin: least recently assigned) gets
 * the ticket. So capacity holds under concurrency: two tickets of one team are placed one after
 * the other, each seeing the other's committed assignment.
 *
 * The assignment goes through the agents' write path (writeTicketChanges): audit event
 * `ticket.assignee_changed`, `ticket.updated` domain event and a ticket_assignments row whose
 * `reason` is e.g. "matched: vpn, cisco; load 3/8; in hours" and `details` holds the scores,
 * the candidates and the rerank outcome; actor = system "auto-assignment". When nobody is
 * eligible (all out of hours or at capacity) the ticket stays unassigned and a ticket_assignments
 * row with assignee null says why; a team with no active profile linked to an agent is skipped
 * without a record (matching is off until employees are imported).
 *
 * @param db the database (or a caller's transaction: step 2 then runs as a savepoint in it).
 * @param ticketId numeric ticket id.
 * @param opts.now time of the hours check (tests); opts.rerank false skips the LLM;
 *   opts.onAssigned runs in step 2's transaction after the assignment (the job writes its mail).
 * @returns what happened; throws only for database errors (or what onAssigned throws).
 */
export async function autoAssign(
  db: DbOrTx,
  ticketId: number,
  opts: Pick<RankOptions, "now" | "rerank"> & { onAssigned?: (tx: DbOrTx, assigned: Assigned) => Promise<void> } = {},
): Promise<AutoAssignResult> {
  const first = await readTicket(db, ticketId, false);
  const skip = skipReason(first);
  if (skip || !first) return { status: "skipped", ticketId, reason: skip ?? "ticket not found" };
  const team = first.team_slug!;
  const [teamRow] = await db.select({ mode: teams.assignmentMode }).from(teams).where(eq(teams.slug, team)).limit(1);
  const mode = (teamRow?.mode ?? "manual") as AssignmentMode;
  if (mode === "manual") return { status: "skipped", ticketId, reason: "team assigns manually" };
  const ticket = { id: ticketId, title: first.title, description: first.description, teamSlug: team };
  const preferred: Ranking | null = mode === "auto" ? await rankCandidates(db, ticket, { now: opts.now, rerank: opts.rerank }) : null;

  return db.transaction(async (tx): Promise<AutoAssignResult> => {
    await rows(tx, sql`SELECT count(*)::int AS n FROM (SELECT pg_advisory_xact_lock(${TEAM_LOCK_KEY}, hashtext(${team}))) l`);
    const t = await readTicket(tx, ticketId, true);
    const skipNow = skipReason(t);
    if (skipNow || !t) return { status: "skipped", ticketId, reason: skipNow ?? "ticket not found" };
    if (t.team_slug !== team) return { status: "skipped", ticketId, reason: "team changed meanwhile" };

    // Fresh loads and hours, counted under the lock.
    const fresh = await rankCandidates(tx, ticket, { now: opts.now, rerank: false, semantic: mode === "auto", providerEmbeddings: false });
    // A team without active profiles linked to agents does not use matching (e.g. no employee
    // sheet imported yet): nothing to record on every ticket.
    if (fresh.candidates.length === 0 && fresh.excluded.length === 0) return { status: "skipped", ticketId, reason: "no active employee profiles in the team" };
    const eligible = new Map(fresh.candidates.map((c) => [c.userId, c]));
    let chosen: Candidate | undefined;
    if (preferred) {
      // The first of the preferred order still eligible: its scores from that ranking (provider
      // embeddings, if any), its load and hours as counted now.
      const pick = preferred.candidates.find((c) => eligible.has(c.userId));
      chosen = pick ? { ...pick, load: eligible.get(pick.userId)!.load, inHours: eligible.get(pick.userId)!.inHours } : undefined;
      // Someone eligible now who was not when ranked (e.g. a ticket closed meanwhile): fresh order.
      chosen ??= fresh.candidates[0];
    } else {
      chosen = [...fresh.candidates].sort((a, b) => compareLastAssigned(a, b) || a.load - b.load || compareCandidates(a, b))[0];
    }

    const rerank = preferred?.rerank ?? null;
    const details = {
      mode,
      rerank,
      embeddings: preferred?.embeddings ?? null,
      candidates: (preferred ?? fresh).candidates.slice(0, RERANK_TOP).map(summary),
      excluded: fresh.excluded.map((c) => ({ name: c.name, email: c.email, excluded: c.excluded, load: c.load, capacity: c.capacity })),
    };
    if (!chosen) {
      const reason = nobodyReason(fresh.excluded);
      await tx.insert(ticketAssignments).values({ ticketId, teamSlug: team, assigneeId: null, assignedById: null, reason, details: { ...details, outcome: "unassigned" } });
      return { status: "unassigned", ticketId, key: t.key, mode, reason };
    }
    const reason = candidateReason(mode, chosen, { reranked: rerank?.status === "used" && preferred!.candidates[0]?.userId === chosen.userId });
    await writeTicketChanges(tx, { id: ticketId, key: t.key, teamSlug: team, assigneeId: null }, {
      set: { assigneeId: chosen.userId },
      before: { assignee: null },
      after: { assignee: chosen.userId },
      actor: AUTO_ASSIGN_ACTOR,
      assignment: {
        assignedById: null,
        reason,
        details: {
          ...details,
          outcome: "assigned",
          matchedSkills: chosen.matchedSkills,
          lexical: chosen.lexical,
          semantic: chosen.semantic,
          score: chosen.score,
          load: chosen.load,
          capacity: chosen.capacity,
          inHours: chosen.inHours,
        },
      },
    });
    const assigned: Assigned = {
      status: "assigned",
      ticketId,
      key: t.key,
      title: t.title,
      mode,
      assignee: { userId: chosen.userId, name: chosen.name, email: chosen.email },
      reason,
    };
    await opts.onAssigned?.(tx, assigned);
    return assigned;
  });
}

function summary(c: Candidate) {
  return { name: c.name, email: c.email, score: c.score, matchedSkills: c.matchedSkills, lexical: c.lexical, semantic: c.semantic, load: c.load, capacity: c.capacity };
}

/** Rerank outcome as one line for the ticket page, or null when the LLM was not involved. */
export function rerankSummary(r: RerankOutcome | null | undefined): string | null {
  if (!r || r.status === "skipped") return null;
  return r.status === "used" ? `LLM rerank (${r.model}): ${r.reason}` : `LLM rerank failed (${r.reason}); skill order kept`;
}
