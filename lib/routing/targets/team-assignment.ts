import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, teams, users } from "@/db/schema";
import type { AssignmentMode } from "@/db/schema/routing";
import type { Principal } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { invalidateReferenceData } from "@/lib/reference/cache";
import { actorOf } from "@/lib/tickets/access";
import type { UpdateTeamAssignmentInput } from "./schemas";

/** A team with how its tickets get a person. */
export interface TeamAssignmentDTO {
  slug: string;
  name: string;
  description: string;
  email: string | null;
  /** auto (skill matching), round_robin (least recently assigned member) or manual. */
  assignmentMode: AssignmentMode;
}

const toDTO = (t: typeof teams.$inferSelect): TeamAssignmentDTO => ({
  slug: t.slug,
  name: t.name,
  description: t.description,
  email: t.email,
  assignmentMode: t.assignmentMode as AssignmentMode,
});

/** Every team's assignment mode, by slug. */
export async function teamAssignmentModes(db: DbOrTx): Promise<Record<string, AssignmentMode>> {
  const rows = await db.select({ slug: teams.slug, mode: teams.assignmentMode }).from(teams);
  return Object.fromEntries(rows.map((r) => [r.slug, r.mode as AssignmentMode]));
}

/** One team with its assignment mode (agents and admins). @throws ApiError 404. */
export async function getTeamAssignment(db: DbOrTx, slug: string): Promise<TeamAssignmentDTO> {
  const [t] = await db.select().from(teams).where(eq(teams.slug, slug)).limit(1);
  if (!t) throw new ApiError("not_found", `Team '${slug}' not found`);
  return toDTO(t);
}

/** True when the principal may switch the team's assignment mode: admins, and agents of that team. */
export async function canSetAssignmentMode(db: DbOrTx, actor: Principal, slug: string): Promise<boolean> {
  if (hasRole(actor, "admin")) return true;
  if (!hasRole(actor, "agent") || !actor.userId) return false;
  const [u] = await db.select({ team: users.teamSlug, active: users.active }).from(users).where(eq(users.id, actor.userId)).limit(1);
  return !!u && u.active && u.team === slug;
}

/**
 * Switch how tickets landing on a team get a person (admins, and agents of that team).
 * Writes `team.assignment_mode_changed` in the same transaction; unchanged mode writes nothing.
 * @throws ApiError 403 (not an admin nor an agent of the team), 404 (no such team).
 */
export async function setTeamAssignmentMode(db: DbOrTx, slug: string, input: UpdateTeamAssignmentInput, actor: Principal): Promise<TeamAssignmentDTO> {
  const row = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(teams).where(eq(teams.slug, slug)).for("update").limit(1);
    if (!before) throw new ApiError("not_found", `Team '${slug}' not found`);
    if (!(await canSetAssignmentMode(tx, actor, slug))) {
      throw new ApiError("forbidden", "Only admins and the team's own agents can change how its tickets are assigned");
    }
    if (before.assignmentMode === input.assignmentMode) return before;
    const [after] = await tx.update(teams).set({ assignmentMode: input.assignmentMode }).where(eq(teams.slug, slug)).returning();
    await tx.insert(auditEvents).values({
      entityType: "team",
      entityId: slug,
      ...actorOf(actor),
      action: "team.assignment_mode_changed",
      before: { assignmentMode: before.assignmentMode },
      after: { assignmentMode: after.assignmentMode },
    });
    return after;
  });
  invalidateReferenceData();
  return toDTO(row);
}
