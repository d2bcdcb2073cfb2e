/**
 * API key scopes: what an integration's key may do. Each route declares the one scope it needs
 * in its `route()` config (`scope`); a key without it gets 403 `insufficient_scope`. The key's
 * role still caps what it can reach (a requester key with `admin` scope is still a requester).
 * Sessions (people signed in) are governed by their role alone.
 */
export const API_SCOPES = ["tickets:read", "tickets:write", "files:write", "webhook", "admin"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * The scopes a key of each role may hold (and gets by default): requesters file and follow
 * their tickets and upload attachments; agents also post integration webhooks; admins hold all.
 */
const ROLE_SCOPES: Record<"requester" | "agent" | "admin", readonly ApiScope[]> = {
  requester: ["tickets:read", "tickets:write", "files:write"],
  agent: ["tickets:read", "tickets:write", "files:write", "webhook"],
  admin: API_SCOPES,
};

/** Every scope a key acting with `role` may carry (also the default for new keys). */
export function scopesForRole(role: "requester" | "agent" | "admin"): readonly ApiScope[] {
  return ROLE_SCOPES[role];
}

/** What a route asks of an API key: one scope, or `none` for public routes that need no key. */
export type RouteScope = ApiScope | "none";

/** Rate-limit classes; each has its own per-minute limit (env `RATE_LIMIT_<CLASS>_PER_MIN`). */
export const RATE_CLASSES = ["read", "write", "classify", "auth"] as const;
export type RateClass = (typeof RATE_CLASSES)[number];
