import "server-only";
import { mailOutbox } from "@/db/schema";
import { env } from "@/lib/env";
import { autoAssign } from "@/lib/routing/assign/auto-assign";
import type { DomainEvent } from "../events";
import type { JobHandler } from "../registry";

/** `ticket.created` with a team, or `ticket.updated` whose team changed to one while no assignee was set. */
function wantsAssignee(e: DomainEvent): boolean {
  if (e.type === "ticket.created") return typeof e.payload.team === "string" && e.payload.team !== "";
  const changes = e.payload.changes as Record<string, { from: unknown; to: unknown }> | undefined;
  if (!changes?.team || typeof changes.team.to !== "string") return false;
  return !changes.assignee || changes.assignee.to === null;
}

/**
 * Assignee matching as a job (issue #8 §4): for a ticket that lands on a team without an
 * assignee, {@link autoAssign} picks the person by the team's mode (auto / round robin /
 * manual), in the job's transaction; when it assigns someone, the "assigned to you" mail to
 * the assignee goes into `mail_outbox` in the same transaction (one per event and recipient:
 * the outbox's unique (handler, event, recipient) and the job receipt make redelivery a no-op).
 * Subject `[T-12] Assigned to you: <title>`, body with the reason and the ticket link.
 */
export const assignTicketJob: JobHandler = {
  name: "routing.assign",
  events: ["ticket.created", "ticket.updated"],
  filter: wantsAssignee,
  async run(event, { tx }) {
    if (event.ticketId === null) return;
    const r = await autoAssign(tx, event.ticketId);
    if (r.status !== "assigned") return;
    const base = (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
    await tx
      .insert(mailOutbox)
      .values({
        eventId: event.id,
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
  },
};
