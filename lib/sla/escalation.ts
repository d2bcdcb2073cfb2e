import "server-only";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { employees, teams, users } from "@/db/schema";
import { PRIORITIES, type Priority } from "@/db/schema/enums";
import type { SlaEscalation } from "@/db/schema/sla";
import { writeTicketChanges, type ChangeActor, type Field } from "@/lib/tickets/update-ticket";

/** The actor of SLA escalations in audit and domain events. */
export const SLA_ACTOR: ChangeActor = { actorType: "system", actorId: null, actorLabel: "SLA escalation" };

/** A team's lead: the person an escalation reassigns to and who hears of warnings and breaches. */
export interface TeamLead {
  userId: string;
  name: string;
  email: string;
}

/**
 * The lead of a team: the active employee profile of `teamSlug` with seniority `lead` linked to
 * an active agent/admin user; with several, the lowest name (then user id). Null when none.
 */
export async function teamLead(db: DbOrTx, teamSlug: string | null): Promise<TeamLead | null> {
  if (!teamSlug) return null;
  const [lead] = await db
    .select({ userId: users.id, name: employees.name, email: users.email })
    .from(employees)
    .innerJoin(users, eq(users.id, employees.userId))
    .where(
      and(
        eq(employees.teamSlug, teamSlug),
        eq(employees.active, true),
        eq(employees.seniority, "lead"),
        isNotNull(employees.userId),
        eq(users.active, true),
        inArray(users.role, ["agent", "admin"]),
      ),
    )
    .orderBy(asc(employees.name), asc(users.id))
    .limit(1);
  return lead ?? null;
}

/** One step up (P4→P3 … P2→P1); P1 stays P1 (null: nothing to raise). */
export function raisedPriority(p: Priority): Priority | null {
  const i = PRIORITIES.indexOf(p);
  return i > 0 ? PRIORITIES[i - 1] : null;
}

/**
 * What an escalation did, stored in `sla_breaches.actions` and the breach event's payload:
 * `raisedPriority {from, to}`, `reassigned {to: "lead", userId, name}` or
 * `{to: "team", team, from}`, and `skipped` (why a configured step did nothing).
 */
export interface EscalationActions {
  raisedPriority?: { from: Priority; to: Priority };
  reassigned?: { to: "lead"; userId: string; name: string } | { to: "team"; team: string; from: string | null };
  skipped?: string[];
}

/** The ticket as the sweep locked it. */
export interface EscalatedTicket {
  id: number;
  key: string;
  priority: Priority;
  teamSlug: string | null;
  assigneeId: string | null;
}

/**
 * Apply a policy's escalation to a ticket the caller has locked, in the caller's transaction,
 * through the agents' write path (writeTicketChanges): one UPDATE, one `ticket.updated` domain
 * event, an audit event per changed field (`ticket.priority_changed`, `ticket.assignee_changed`,
 * `ticket.team_changed`) with actor system "SLA escalation", and a ticket_assignments row when
 * the team or assignee changed (reason "SLA escalation: <why>"). The SLA clock is NOT recomputed
 * here (`deferSla`): the caller does it (lib/sla/sweep.ts, after the pass).
 * - `raisePriority`: one step up (nothing at P1).
 * - `reassignTo: "lead"`: the team's lead ({@link teamLead}); nothing when there is none or
 *   they are already the assignee.
 * - `reassignTo: "team"`: to `teamSlug`, unassigned; nothing when the team does not exist or
 *   the ticket is already there.
 * @returns what was done (empty object: nothing).
 */
export async function escalateTicket(tx: DbOrTx, t: EscalatedTicket, esc: SlaEscalation, why: string): Promise<EscalationActions> {
  const actions: EscalationActions = {};
  const skipped: string[] = [];
  const before: Partial<Record<Field, unknown>> = {};
  const after: Partial<Record<Field, unknown>> = {};
  const set: Record<string, unknown> = {};
  if (esc.raisePriority) {
    const to = raisedPriority(t.priority);
    if (to) {
      before.priority = t.priority;
      after.priority = to;
      set.priority = to;
      actions.raisedPriority = { from: t.priority, to };
    } else skipped.push("priority is already P1");
  }
  if (esc.reassignTo === "lead") {
    const lead = await teamLead(tx, t.teamSlug);
    if (!lead) skipped.push(`team ${t.teamSlug ?? "(none)"} has no lead`);
    else if (lead.userId === t.assigneeId) skipped.push("the lead is already the assignee");
    else {
      before.assignee = t.assigneeId;
      after.assignee = lead.userId;
      set.assigneeId = lead.userId;
      actions.reassigned = { to: "lead", userId: lead.userId, name: lead.name };
    }
  } else if (esc.reassignTo === "team") {
    const slug = esc.teamSlug ?? null;
    const [team] = slug ? await tx.select({ slug: teams.slug }).from(teams).where(eq(teams.slug, slug)).limit(1) : [];
    if (!team) skipped.push(`escalation team ${slug ?? "(not set)"} does not exist`);
    else if (team.slug === t.teamSlug) skipped.push(`the ticket is already on team ${team.slug}`);
    else {
      before.team = t.teamSlug;
      after.team = team.slug;
      set.teamSlug = team.slug;
      if (t.assigneeId) {
        before.assignee = t.assigneeId;
        after.assignee = null;
        set.assigneeId = null;
      }
      actions.reassigned = { to: "team", team: team.slug, from: t.teamSlug };
    }
  }
  if (skipped.length) actions.skipped = skipped;
  // deferSla: the sweep recomputes the clock itself, at its own now, after recording every level of the pass.
  await writeTicketChanges(tx, t, { set, before, after, actor: SLA_ACTOR, assignment: { assignedById: null, reason: `SLA escalation: ${why}` }, deferSla: true });
  return actions;
}

/** The escalation's actions as lines for people (mail, Slack): "priority P3 → P2", "reassigned to Lee (team lead)". */
export function describeActions(a: EscalationActions | Record<string, unknown> | null | undefined): string[] {
  const x = (a ?? {}) as EscalationActions;
  const out: string[] = [];
  if (x.raisedPriority) out.push(`priority raised ${x.raisedPriority.from} → ${x.raisedPriority.to}`);
  if (x.reassigned?.to === "lead") out.push(`reassigned to ${x.reassigned.name} (team lead)`);
  if (x.reassigned?.to === "team") out.push(`moved to team ${x.reassigned.team}, unassigned`);
  return out;
}
