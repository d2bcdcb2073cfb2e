import "server-only";
import { redirect } from "next/navigation";
import type { Principal } from "@/lib/auth/principal";
import { hasRole, isStaff } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/session";

export { safeCallbackPath } from "@/lib/auth/callback";

/** `/signin?callbackUrl=<path>`: where signed-out visitors of a protected page go. */
export function signInUrl(callbackPath: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

/** Rebuild `path?query` from a page's searchParams, for callback URLs. */
export function pathWithQuery(path: string, searchParams?: Record<string, string | string[] | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams ?? {})) {
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, x));
    else if (v !== undefined) qs.append(k, v);
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * The signed-in agent or admin. Signed-out visitors are sent to sign in (and back here after);
 * requesters are sent to their own requests.
 */
export async function requireStaff(callbackPath: string): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(signInUrl(callbackPath));
  if (!isStaff(principal)) redirect("/requests");
  return principal;
}

/** Any signed-in user; signed-out visitors are sent to sign in. */
export async function requireSignedIn(callbackPath: string): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(signInUrl(callbackPath));
  return principal;
}

/**
 * The signed-in admin. Signed-out visitors are sent to sign in (and back here after); agents
 * are sent to the ticket list and requesters to their own requests.
 */
export async function requireAdmin(callbackPath: string): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(signInUrl(callbackPath));
  if (!hasRole(principal, "admin")) redirect(isStaff(principal) ? "/tickets" : "/requests");
  return principal;
}
