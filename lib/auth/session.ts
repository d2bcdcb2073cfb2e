import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { getServerSession } from "next-auth";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { principalFromApiKey } from "./api-keys";
import { getAuthOptions } from "./options";
import { authSecret } from "./secret";
import type { Principal } from "./principal";

interface CachedUser {
  principal: Principal | null;
  expiresAt: number;
}
/** User rows behind sessions are re-read at most every 10 s, so deactivation and role changes apply quickly. */
const USER_TTL_MS = 10_000;
const globalForUsers = globalThis as unknown as { __switchboardUserCache?: Map<string, CachedUser> };
const userCache = (globalForUsers.__switchboardUserCache ??= new Map());

/** Forget cached user lookups (after a role change, and in tests). */
export function clearUserCache(): void {
  userCache.clear();
}

async function principalFromUserId(userId: string): Promise<Principal | null> {
  const now = Date.now();
  const hit = userCache.get(userId);
  if (hit && hit.expiresAt > now) return hit.principal;
  const db = await getDb();
  const [u] = /^[0-9a-f-]{36}$/i.test(userId)
    ? await db.select().from(users).where(eq(users.id, userId)).limit(1)
    : [];
  const principal: Principal | null =
    u && u.active ? { kind: "user", id: u.id, role: u.role, userId: u.id, email: u.email, label: u.name } : null;
  if (userCache.size > 10_000) userCache.clear();
  userCache.set(userId, { principal, expiresAt: now + USER_TTL_MS });
  return principal;
}

/**
 * Who sent this request: `Authorization: Bearer sb_…` (API key) first, else the next-auth
 * session cookie. Returns null for anonymous callers and for unknown/revoked keys.
 */
export async function principalFromRequest(req: NextRequest): Promise<Principal | null> {
  const auth = req.headers.get("authorization");
  if (auth) {
    const [scheme, key] = auth.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !key) return null;
    return principalFromApiKey(await getDb(), key.trim());
  }
  const token = await getToken({ req, secret: authSecret() });
  if (!token?.sub) return null;
  return principalFromUserId(token.sub);
}

/** The signed-in user in server components and server actions, or null. */
export async function currentPrincipal(): Promise<Principal | null> {
  const session = await getServerSession(getAuthOptions());
  if (!session?.user?.id) return null;
  return principalFromUserId(session.user.id);
}
