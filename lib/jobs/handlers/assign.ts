import "server-only";
import { mailOutbox } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { env } from "@/lib/env";
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

/** The "assigned to you" mail, written into the outbox in the assignment's transaction. */
async function assignedMail(tx: DbOrTx, eventId: number, r: Assigned): Promise<void> {
  const base = (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  await tx
    .insert(mailOutbox)
    .values({
      eventId,
      handler: assignTicketJob.name,
      ticketId: r.ticketId,
      toAddress: r.assignee.email,
      subject: `[${r.key}] Assigned to you: ${r.title}`.slice(0, 300),
      textBody: [
        `Hello ${r.assignee.name},`,
        ``,
        `${r.key} was assigned to you${r.mode === "round_robin" ? " (round robin)" : ""}: ${r.title}`,
        `Why you: ${r.reason}`,
        ``,
        `Open it here: ${base}/tickets/${r.key}`,
      ].join("\n"),
    })
    .onConflictDoNothing();
}

/**
 * Assignee matching as a job (issue #8 §4): for a ticket that lands on a team without an
 * assignee, {@link autoAssign} picks the person by the team's mode (auto / round robin /
 * manual); when it assigns someone, the "assigned to you" mail to the assignee goes into
 * `mail_outbox` in the assignment's transaction. Subject `[T-12] Assigned to you: <title>`,
 * body with the reason and the ticket link.
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
    await autoAssign(tx, event.ticketId, { onAssigned: (t, r) => assignedMail(t, event.id, r) });
  },
};
