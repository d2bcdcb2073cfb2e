import type { Role } from "@/db/schema";
import type { ApiScope } from "./scopes";

/**
 * Who is calling: a signed-in user (session) or an API key. `userId`/`email` are null for
 * agent/admin API keys, which act as an integration rather than a person.
 */
export interface Principal {
  kind: "user" | "api_key";
  /** User id for sessions, key id for API keys. */
  id: string;
  role: Role;
  userId: string | null;
  email: string | null;
  /** Display label for audit trails: user name or `api-key:<name>`. */
  label: string;
  /** API keys only: the key's configured requester e-mail for tickets filed by assistant commands. */
  defaultEmail?: string | null;
  /** API keys only: the scopes granted (lib/auth/scopes.ts); each route needs its declared one. */
  scopes?: readonly ApiScope[];
}

const RANK: Record<Role, number> = { requester: 0, agent: 1, admin: 2 };

/** True when the principal's role is at least `role` (requester < agent < admin). */
export function hasRole(p: Principal | null, role: Role): boolean {
  return !!p && RANK[p.role] >= RANK[role];
}

/** True for agents and admins: people who work tickets. */
export function isStaff(p: Principal | null): boolean {
  return hasRole(p, "agent");
}
