import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users, type Role } from "@/db/schema";
import type { Principal } from "./principal";
import { isUuid } from "@/lib/ids";

/*
 * Per-user session version: a session token carries `sv` = users.session_version at sign-in.
 * Every request compares it with the database value (cached per process for at most
 * SESSION_STATE_TTL_MS); a mismatch or an inactive user means "signed out". The version is
 * bumped by sign-out everywhere, password change, role change and deactivation (lib/users/).
 */

/** A user row as far as sessions care. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  sessionVersion: number;
}

/** How long a user's session state is reused per process, in ms (revocations reach other processes within this). */
export const SESSION_STATE_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

const globalForSessions = globalThis as unknown as {
  __switchboardSessionUsers?: Map<string, { user: Promise<SessionUser | null>; expiresAt: number }>;
};
const cache = (globalForSessions.__switchboardSessionUsers ??= new Map());

/** The user behind a session (cached ≤ 10 s), or null when the id is malformed or unknown. */
export function sessionUser(userId: string): Promise<SessionUser | null> {
  const now = Date.now();
  const hit = cache.get(userId);
  if (hit && hit.expiresAt > now) return hit.user;
  if (!isUuid(userId)) return Promise.resolve(null);
  const user = (async () => {
    const db = await getDb();
    const [u] = await db
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, active: users.active, sessionVersion: users.sessionVersion })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1);
    return u ?? null;
  })();
  user.catch(() => cache.delete(userId));
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(userId, { user, expiresAt: now + SESSION_STATE_TTL_MS });
  return user;
}

/** Forget one user's cached state (after bumping their session version in this process), or everyone's. */
export function forgetSessionUser(userId?: string): void {
  if (userId) cache.delete(userId);
  else cache.clear();
}

/**
 * The principal for a session token's subject and version, or null when the token is stale
 * (older `sv` than the user's, or no `sv` at all), the user is inactive or unknown.
 */
export async function principalFromSession(userId: string | undefined, sv: unknown): Promise<Principal | null> {
  if (!userId || typeof sv !== "number") return null;
  const u = await sessionUser(userId);
  if (!u || !u.active || u.sessionVersion !== sv) return null;
  return principalOf(u);
}

/**
 * The principal for a session next-auth has already validated (its jwt callback checks the
 * version: lib/auth/options.ts), or null when the user is now inactive or unknown.
 */
export async function principalFromValidatedSession(userId: string): Promise<Principal | null> {
  const u = await sessionUser(userId);
  return u?.active ? principalOf(u) : null;
}

function principalOf(u: SessionUser): Principal {
  return { kind: "user", id: u.id, role: u.role, userId: u.id, email: u.email, label: u.name };
}
