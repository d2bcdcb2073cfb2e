import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { employees, teams, users } from "@/db/schema";
import { mailBaseUrl } from "@/lib/mail/config";
import { queueMail } from "@/lib/mail/queue";
import { renderMail } from "@/lib/mail/render";
import { issueUserToken, tokenPath } from "@/lib/users/admin/tokens";
import { env } from "@/lib/env";
import { setUserRole } from "@/lib/users/session-version";
import { embedEmployeeProfile } from "./profile";

type EmployeeRow = typeof employees.$inferSelect;
export type EmployeeValues = Omit<typeof employees.$inferInsert, "id" | "createdAt" | "updatedAt" | "embedding" | "embeddingModel" | "userId">;

/** The `mail_outbox.handler` of invitation mails to people added as agents by an employee import or an admin. */
export const INVITATION_MAIL_HANDLER = "employees.invitation";

/** What linking an employee to a user did. */
export type UserLink = "invited" | "linked" | "promoted" | "kept";

/**
 * Insert or update one employee (by `id` when given, else by e-mail) with a fresh embedding of
 * its profile, then link it to a user ({@link linkEmployeeUser}). Runs in the caller's
 * transaction; the caller writes the audit event.
 * @returns the row after the change, whether it was created, and what happened to the user
 */
export async function saveEmployee(
  tx: DbOrTx,
  values: EmployeeValues,
  existing: EmployeeRow | null,
): Promise<{ row: EmployeeRow; created: boolean; user: UserLink }> {
  const merged = { ...(existing ?? {}), ...values };
  const { model, vector } = embedEmployeeProfile({
    department: merged.department ?? "",
    skills: merged.skills ?? [],
    seniority: merged.seniority,
  });
  const embedding = { embedding: Array.from(vector), embeddingModel: model };
  let row: EmployeeRow;
  if (existing) {
    [row] = await tx
      .update(employees)
      .set({ ...values, ...embedding, updatedAt: new Date() })
      .where(eq(employees.id, existing.id))
      .returning();
  } else {
    [row] = await tx.insert(employees).values({ ...values, ...embedding }).returning();
  }
  const user = await linkEmployeeUser(tx, row);
  if (user.userId !== row.userId) {
    [row] = await tx.update(employees).set({ userId: user.userId }).where(eq(employees.id, row.id)).returning();
  }
  return { row, created: !existing, user: user.link };
}

/**
 * The user an employee is assigned as:
 * - a user with the employee's e-mail is linked (a requester becomes an agent, ending their
 *   sessions so the role applies; agents and admins keep their role; their team is set when
 *   they have none). Another employee linked to that user is unlinked.
 * - else a user already linked (an admin changed the e-mail) is kept;
 * - else an agent user is created without a password ("invited") and an invitation mail (kind
 *   `invitation`) with a one-time set-password link (an `invite` token, INVITE_TTL_HOURS) is
 *   queued in this transaction. The account stays active, so single sign-on works without
 *   the link; an admin re-sends an expired link from People (invitePerson).
 */
export async function linkEmployeeUser(tx: DbOrTx, e: EmployeeRow): Promise<{ userId: string; link: UserLink }> {
  const [u] = await tx.select().from(users).where(eq(users.email, e.email)).limit(1);
  if (u) {
    let link: UserLink = e.userId === u.id ? "kept" : "linked";
    if (u.role === "requester") {
      await setUserRole(tx, u.id, "agent");
      link = "promoted";
    }
    if (!u.teamSlug && e.teamSlug) await tx.update(users).set({ teamSlug: e.teamSlug }).where(eq(users.id, u.id));
    if (e.userId !== u.id) await tx.update(employees).set({ userId: null }).where(and(eq(employees.userId, u.id), ne(employees.id, e.id)));
    return { userId: u.id, link };
  }
  if (e.userId) return { userId: e.userId, link: "kept" };
  const [created] = await tx
    .insert(users)
    .values({ email: e.email, name: e.name, role: "agent", teamSlug: e.teamSlug, passwordHash: null })
    .returning({ id: users.id });
  await writeInvitation(tx, e, created.id);
  return { userId: created.id, link: "invited" };
}

/** The invitation mail: they were added as an agent; the link sets their first password. */
async function writeInvitation(tx: DbOrTx, e: EmployeeRow, userId: string): Promise<void> {
  const [t] = e.teamSlug ? await tx.select({ name: teams.name }).from(teams).where(eq(teams.slug, e.teamSlug)).limit(1) : [];
  const { token } = await issueUserToken(tx, { userId, purpose: "invite", createdById: null });
  const deskUrl = mailBaseUrl();
  const data = { name: e.name, teamName: t?.name ?? null, deskUrl, setPasswordUrl: `${deskUrl}${tokenPath("invite", token)}`, ttlHours: env().INVITE_TTL_HOURS };
  await queueMail(tx, { eventId: null, handler: INVITATION_MAIL_HANDLER, kind: "invitation", ticketId: null, to: e.email, render: (ctx) => renderMail("invitation", data, ctx) });
}
