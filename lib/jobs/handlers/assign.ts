import "server-only";
import { mailOutbox } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { env } from "@/lib/env";
import { autoAssign, type Assigned } from "@/lib/routing/assign/auto-assign";
import type { DomainEvent } from "../events";
import type { JobHandler } from "../registry";

/**
 * Events older than this are not acted on: a backlog (a backdated import or demo seed, or a
 * worker down for more than a day) is left to agents instead of being dealt out at once.
 */
export const ASSIGN_MAX_EVENT_AGE_MS = 24 * 3600_000;

/** Milliseconds since the event was written; NaN when its time cannot be read. */
function eventAgeMs(e: DomainEvent): number {
  // PostgreSQL text: "2026-12-01 21:10:00.123456+00" → ISO 8601.
  return Date.now() - Date.parse(e.createdAt.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
}

/**
 * `ticket.created` with a team, or `ticket.updated` whose team changed to one while no assignee
 * was set; written within {@link ASSIGN_MAX_EVENT_AGE_MS}.
 */
function wantsAssignee(e: DomainEvent): boolean {
  if (eventAgeMs(e) > ASSIGN_MAX_EVENT_AGE_MS) return false;
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
 * Events older than a day are skipped (see {@link ASSIGN_MAX_EVENT_AGE_MS}): the demo seed's
 * backdated tickets and any old backlog stay with the agents.
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
