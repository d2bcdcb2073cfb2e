import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { employees, teams, users } from "@/db/schema";
import type { AssignmentMode, Seniority } from "@/db/schema/routing";
import { createTicket } from "@/lib/tickets/create-ticket";

/** Shared set-up of the tests/routing/assign-*.test.ts files: employees linked to agent users, tickets. */
export interface PersonSpec {
  email: string;
  team: string;
  skills: string[];
  name?: string;
  seniority?: Seniority;
  max?: number;
  timeZone?: string;
  /** [start, end] minutes after local midnight; default whole day (start = end) every day. */
  hours?: [number, number];
  days?: number[];
  active?: boolean;
  userActive?: boolean;
}

/** Insert an agent user and the employee profile linked to it (no embedding: ranking computes it). */
export async function addPerson(db: Db, p: PersonSpec): Promise<{ userId: string; employeeId: string }> {
  const [u] = await db
    .insert(users)
    .values({ email: p.email, name: p.name ?? p.email.split("@")[0], role: "agent", teamSlug: p.team, active: p.userActive ?? true })
    .returning({ id: users.id });
  const [e] = await db
    .insert(employees)
    .values({
      email: p.email,
      name: p.name ?? p.email.split("@")[0],
      teamSlug: p.team,
      department: p.team,
      skills: p.skills,
      seniority: p.seniority ?? "mid",
      maxOpenTickets: p.max ?? 10,
      timeZone: p.timeZone ?? "UTC",
      workStartMin: p.hours?.[0] ?? 0,
      workEndMin: p.hours?.[1] ?? 0,
      workDays: p.days ?? [1, 2, 3, 4, 5, 6, 7],
      active: p.active ?? true,
      userId: u.id,
    })
    .returning({ id: employees.id });
  return { userId: u.id, employeeId: e.id };
}

/** File a ticket on a team (as the API would, triaged by the local model); returns id and key. */
export async function fileTicket(db: Db, title: string, description: string, team: string): Promise<{ id: number; key: string }> {
  const { ticket } = await createTicket(db, { title, description, email: "requester@corp.test", team }, { principal: null, defaultSource: "api" });
  return { id: Number(ticket.key.slice(2)), key: ticket.key };
}

/** Give a user `n` open tickets on a team (load). */
export async function giveLoad(db: Db, userId: string, team: string, n: number, status: "new" | "open" | "in_progress" | "waiting" = "open"): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t = await fileTicket(db, `Existing work ${i}`, `Some earlier request number ${i} that is still being worked on`, team);
    await db.execute(
      sql`UPDATE tickets SET assignee_id = ${userId}, status = ${status}::ticket_status,
          waiting_reason = ${status === "waiting" ? sql`'requester'::waiting_reason` : sql`NULL`} WHERE id = ${t.id}`,
    );
  }
}

export async function setTeamMode(db: Db, team: string, mode: AssignmentMode): Promise<void> {
  await db.update(teams).set({ assignmentMode: mode }).where(eq(teams.slug, team));
}

/** The ticket's assignee e-mail, or null. */
export async function assigneeOf(db: Db, ticketId: number): Promise<string | null> {
  const [r] = await rows<{ email: string | null }>(db, sql`SELECT u.email FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = ${ticketId}`);
  return r?.email ?? null;
}
