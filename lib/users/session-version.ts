import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users, type Role } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { forgetSessionUser } from "@/lib/auth/session-state";

/*
 * Changes to a user that must end their existing sessions: each bumps users.session_version in
 * the same UPDATE, so every token minted before is refused (at once in this process, within
 * 10 s in others: lib/auth/session-state.ts).
 */

/** The user after the change; null when no user has that id. */
export interface UpdatedUser {
  id: string;
  email: string;
  role: Role;
  active: boolean;
  sessionVersion: number;
}

const returning = { id: users.id, email: users.email, role: users.role, active: users.active, sessionVersion: users.sessionVersion };
const bump = sql`${users.sessionVersion} + 1`;

async function update(db: DbOrTx, userId: string, set: Partial<typeof users.$inferInsert>): Promise<UpdatedUser | null> {
  const [u] = await db
    .update(users)
    .set({ ...set, sessionVersion: bump })
    .where(eq(users.id, userId))
    .returning(returning);
  forgetSessionUser(userId);
  return u ?? null;
}

/** End every session of the user (sign out everywhere). */
export function signOutEverywhere(db: DbOrTx, userId: string): Promise<UpdatedUser | null> {
  return update(db, userId, {});
}

/** Change the user's role; their sessions end so the new role applies from the next sign-in. */
export function setUserRole(db: DbOrTx, userId: string, role: Role): Promise<UpdatedUser | null> {
  return update(db, userId, { role });
}

/** Deactivate the user: they cannot sign in and their sessions end. */
export function deactivateUser(db: DbOrTx, userId: string): Promise<UpdatedUser | null> {
  return update(db, userId, { active: false });
}

/** Set a new password (bcrypt) and end the user's other sessions. */
export async function changePassword(db: DbOrTx, userId: string, newPassword: string): Promise<UpdatedUser | null> {
  return update(db, userId, { passwordHash: await hashPassword(newPassword) });
}

/**
 * Create a user with a password, or update the existing user with that e-mail (name, role,
 * team, password, active again): an update ends the user's sessions.
 */
export async function upsertUserWithPassword(
  db: DbOrTx,
  input: { email: string; name: string; role: Role; teamSlug?: string | null; password: string },
): Promise<UpdatedUser> {
  const passwordHash = await hashPassword(input.password);
  const values = { name: input.name, role: input.role, teamSlug: input.teamSlug ?? null, passwordHash };
  const [u] = await db
    .insert(users)
    .values({ email: input.email, ...values })
    .onConflictDoUpdate({ target: users.email, set: { ...values, active: true, sessionVersion: bump } })
    .returning(returning);
  forgetSessionUser(u.id);
  return u;
}
