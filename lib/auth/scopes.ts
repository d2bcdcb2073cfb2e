/**
 * API key scopes: what an integration's key may do. Each route declares the one scope it needs
 * in its `route()` config (`scope`); a key without it gets 403 `insufficient_scope`. The key's
 * role still caps what it can reach (a requester key with `admin` scope is still a requester).
 * Sessions (people signed in) are governed by their role alone.
 */
export const API_SCOPES = ["tickets:read", "tickets:write", "files:write", "webhook", "admin"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** What a route asks of an API key: one scope, or `none` for public routes that need no key. */
export type RouteScope = ApiScope | "none";

/** Rate-limit classes; each has its own per-minute limit (env `RATE_LIMIT_<CLASS>_PER_MIN`). */
export const RATE_CLASSES = ["read", "write", "classify", "auth"] as const;
export type RateClass = (typeof RATE_CLASSES)[number];
