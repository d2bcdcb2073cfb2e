import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { teams, tickets } from "@/db/schema";
import { mailBaseUrl } from "@/lib/mail/config";
import { mailTeamOfUnassignedTicket } from "@/lib/mail/notify/team";
import { queueMail } from "@/lib/mail/queue";
import { renderMail } from "@/lib/mail/render";
import { autoAssign, type Assigned } from "@/lib/routing/assign/auto-assign";
import type { DomainEvent } from "../events";
import type { JobHandler } from "../registry";

/**
 * `ticket.created` with a team, or `ticket.updated` whose team changed to one while no assignee
 * was set. (Seeded demo history causes no jobs at all: lib/demo/seed.ts marks its events
 * dispatched. A backlog after an outage is still dealt out: the capacity and hours filters
 * keep it from landing on one person.)
 */
function wantsAssignee(e: DomainEvent): boolean {
  if (e.type === "ticket.created") return typeof e.payload.team === "string" && e.payload.team !== "";
  const changes = e.payload.changes as Record<string, { from: unknown; to: unknown }> | undefined;
  if (!changes?.team || typeof changes.team.to !== "string") return false;
  return !changes.assignee || changes.assignee.to === null;
}

/**
 * The "assigned to you" mail (kind `assigned`, lib/mail/templates/assigned.tsx) with the reason
 * and the desk link, queued in the assignment's transaction.
 */
async function assignedMail(tx: DbOrTx, eventId: number, r: Assigned): Promise<void> {
  const data = {
    ticket: { key: r.key, title: r.title, url: `${mailBaseUrl()}/tickets/${r.key}` },
    assigneeName: r.assignee.name,
    reason: r.reason,
    by: null,
    roundRobin: r.mode === "round_robin",
  };
  await queueMail(tx, { eventId, handler: assignTicketJob.name, kind: "assigned", ticketId: r.ticketId, to: r.assignee.email, render: (ctx) => renderMail("assigned", data, ctx) });
}

/**
 * Assignee matching as a job (issue #8 §4): for a ticket that lands on a team without an
 * assignee, {@link autoAssign} picks the person by the team's mode (auto / round robin /
 * manual); when it assigns someone, the "assigned to you" mail to the assignee (kind `assigned`)
 * is queued in the assignment's transaction. Subject `[T-12] Assigned to you: <title>`, body
 * with the reason and the ticket link. When it assigns nobody in an `auto` or `round_robin`
 * team (nobody eligible, or no employee profiles yet), the team's members get
 * `team_new_ticket` instead (mail.notify does that for `manual` teams).
 *
 * Mode `long`: the LLM rerank (seconds) runs outside any transaction, and autoAssign opens its
 * own short one for the decision. Restartable: a run repeated after a crash finds the ticket
 * assigned and does nothing (the mail committed with the assignment; the outbox is also unique
 * per handler, event and recipient).
 */
export const assignTicketJob: JobHandler = {
  name: "routing.assign",
  mode: "long",
  events: ["ticket.created", "ticket.updated"],
  filter: wantsAssignee,
  async run(event, { tx }) {
    if (event.ticketId === null) return;
    const ticketId = event.ticketId;
    const result = await autoAssign(tx, ticketId, { onAssigned: (t, r) => assignedMail(t, event.id, r) });
    if (result.status === "assigned") return;
    await tx.transaction(async (t) => {
      // Only teams that deal out automatically; mailTeamOfUnassignedTicket re-checks that nobody is assigned.
      const [row] = await t.select({ mode: teams.assignmentMode }).from(teams).innerJoin(tickets, eq(tickets.teamSlug, teams.slug)).where(eq(tickets.id, ticketId)).limit(1);
      if (!row || row.mode === "manual") return;
      await mailTeamOfUnassignedTicket(t, { eventId: event.id, handler: assignTicketJob.name, ticketId, exceptUserId: event.actor?.type === "user" ? event.actor.id : null });
    });
  },
};
