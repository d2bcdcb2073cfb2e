import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { getServerSession } from "next-auth";
import { getDb } from "@/db/client";
import { principalFromApiKey } from "./api-keys";
import { getAuthOptions } from "./options";
import { authSecret } from "./secret";
import type { Principal } from "./principal";
import { principalFromSession, principalFromValidatedSession } from "./session-state";

/**
 * Who sent this request: `Authorization: Bearer sb_…` (API key) first, else the next-auth
 * session cookie, checked against the user's current session version and active flag (so a
 * cookie copied before sign-out everywhere, a password/role change or deactivation is refused).
 * Returns null for anonymous callers, stale sessions and unknown/revoked keys.
 */
export async function principalFromRequest(req: NextRequest): Promise<Principal | null> {
  const auth = req.headers.get("authorization");
  if (auth) {
    const [scheme, key] = auth.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !key) return null;
    return principalFromApiKey(await getDb(), key.trim());
  }
  const token = await getToken({ req, secret: authSecret() }).catch(() => null);
  if (!token?.sub) return null;
  return principalFromSession(token.sub, token.sv);
}

/**
 * The signed-in user in server components and server actions, or null. next-auth's jwt callback
 * has already refused a stale session (lib/auth/options.ts); the principal is built from the
 * current user row.
 */
export async function currentPrincipal(): Promise<Principal | null> {
  const session = await getServerSession(getAuthOptions());
  if (!session?.user?.id) return null;
  return principalFromValidatedSession(session.user.id);
}
