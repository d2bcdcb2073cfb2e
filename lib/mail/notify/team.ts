import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { teams, tickets, users } from "@/db/schema";
import { mailBaseUrl } from "../config";
import { queueMail } from "../queue";
import { renderMail } from "../render";

/**
 * The `team_new_ticket` mail: every active agent/admin whose team is the ticket's gets one,
 * when the ticket has a team, no assignee and is not resolved/closed (checked here, in the
 * caller's transaction). Used by `mail.notify` for teams that assign manually, and by
 * `routing.assign` when auto-assignment placed nobody. `exceptUserId`: the person who caused
 * the event (an agent filing or re-routing the ticket needs no mail about it).
 *
 * @returns the addresses mailed (rows written; a redelivery writes none: unique per handler, event, recipient).
 */
export async function mailTeamOfUnassignedTicket(
  tx: DbOrTx,
  req: { eventId: number; handler: string; ticketId: number; exceptUserId?: string | null },
): Promise<string[]> {
  const [t] = await tx
    .select({
      key: tickets.key,
      title: tickets.title,
      description: tickets.description,
      priority: tickets.priority,
      requesterEmail: tickets.requesterEmail,
      status: tickets.status,
      teamSlug: tickets.teamSlug,
      assigneeId: tickets.assigneeId,
      teamName: teams.name,
    })
    .from(tickets)
    .leftJoin(teams, eq(teams.slug, tickets.teamSlug))
    .where(eq(tickets.id, req.ticketId))
    .limit(1);
  if (!t || !t.teamSlug || t.assigneeId || t.status === "resolved" || t.status === "closed") return [];
  const members = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.teamSlug, t.teamSlug), eq(users.active, true), inArray(users.role, ["agent", "admin"])));
  const mailed: string[] = [];
  const data = {
    ticket: { key: t.key, title: t.title, url: `${mailBaseUrl()}/tickets/${t.key}` },
    teamName: t.teamName ?? t.teamSlug,
    requester: t.requesterEmail,
    priority: String(t.priority),
    description: t.description,
  };
  for (const m of members) {
    if (m.id === req.exceptUserId) continue;
    const r = await queueMail(tx, {
      eventId: req.eventId,
      handler: req.handler,
      kind: "team_new_ticket",
      ticketId: req.ticketId,
      to: m.email,
      render: (ctx) => renderMail("team_new_ticket", data, ctx),
    });
    if (r) mailed.push(m.email);
  }
  return mailed;
}
