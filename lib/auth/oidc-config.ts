import type { Role } from "@/db/schema";
import { env, type Env } from "@/lib/env";

/*
 * Single sign-on with one generic OpenID Connect provider (Keycloak, Microsoft Entra ID,
 * Google, …), configured by the OIDC_* environment variables (docs/SSO.md). This module is
 * pure: configuration, claim lookup and the role mapping. Linking a sign-in to a user row is
 * lib/auth/oidc-link.ts.
 */

/** next-auth provider id; the redirect URI to register at the provider is `{NEXTAUTH_URL}/api/auth/callback/oidc`. */
export const OIDC_PROVIDER_ID = "oidc";

/** The SSO settings, parsed from OIDC_*. */
export interface OidcConfig {
  /** Issuer URL without a trailing slash. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Button label: "Sign in with <name>". */
  name: string;
  /** Space-separated scopes. */
  scopes: string;
  /** Claim (dotted path allowed) holding roles or groups; null: roles are not taken from the provider. */
  roleClaim: string | null;
  adminValues: string[];
  agentValues: string[];
  /** Lower-case e-mail domains allowed; empty: any. */
  allowedDomains: string[];
  /** Create a user on their first SSO sign-in. */
  autoCreate: boolean;
}

/** ID-token (or userinfo) claims as the provider sends them. */
export type OidcClaims = Record<string, unknown>;

const commaList = (s: string): string[] =>
  s
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/**
 * The SSO configuration, or null when SSO is off (it is on only when OIDC_ISSUER,
 * OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set). Read at run time.
 * @param e the parsed environment (default: {@link env}()).
 */
export function oidcConfig(e: Env = env()): OidcConfig | null {
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return null;
  return {
    issuer: e.OIDC_ISSUER.replace(/\/+$/, ""),
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    name: e.OIDC_NAME,
    scopes: e.OIDC_SCOPES.trim().split(/\s+/).join(" "),
    roleClaim: e.OIDC_ROLE_CLAIM?.trim() || null,
    adminValues: commaList(e.OIDC_ADMIN_VALUES),
    agentValues: commaList(e.OIDC_AGENT_VALUES),
    allowedDomains: commaList(e.OIDC_ALLOWED_DOMAINS).map((d) => d.replace(/^@/, "").toLowerCase()),
    autoCreate: e.OIDC_AUTO_CREATE,
  };
}

/**
 * The value of a claim by name or dotted path: an exact key first (claim names may contain
 * dots, e.g. `https://example.com/roles`), then `a.b.c` through nested objects
 * (Keycloak's `realm_access.roles`, `resource_access.<client>.roles`).
 * @returns undefined when the claim (or a step of the path) is missing.
 */
export function claimAt(claims: OidcClaims, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(claims, path)) return claims[path];
  let cur: unknown = claims;
  for (const step of path.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, step)) return undefined;
    cur = (cur as Record<string, unknown>)[step];
  }
  return cur;
}

/** A claim value as a list of strings: an array's string/number items, or one string/number; anything else: []. */
export function claimValues(value: unknown): string[] {
  const one = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);
  if (Array.isArray(value)) return value.map(one).filter((v): v is string => v !== null);
  const v = one(value);
  return v === null ? [] : [v];
}

/**
 * The role the provider's claims grant: admin when a value of the role claim is in
 * OIDC_ADMIN_VALUES, else agent when one is in OIDC_AGENT_VALUES, else requester (also when the
 * claim is missing). Values compare exactly (case-sensitive: Entra group ids, Keycloak roles).
 * @returns null when no role claim is configured (roles are then managed in Switchboard only).
 */
export function mapRole(claims: OidcClaims, cfg: Pick<OidcConfig, "roleClaim" | "adminValues" | "agentValues">): Role | null {
  if (!cfg.roleClaim) return null;
  const values = new Set(claimValues(claimAt(claims, cfg.roleClaim)));
  if (cfg.adminValues.some((v) => values.has(v))) return "admin";
  if (cfg.agentValues.some((v) => values.has(v))) return "agent";
  return "requester";
}

/** Whether the e-mail's domain may sign in (always true when OIDC_ALLOWED_DOMAINS is empty; false for no e-mail then). */
export function emailDomainAllowed(email: string | null, cfg: Pick<OidcConfig, "allowedDomains">): boolean {
  if (cfg.allowedDomains.length === 0) return true;
  if (!email) return false;
  const at = email.lastIndexOf("@");
  return at > 0 && cfg.allowedDomains.includes(email.slice(at + 1).toLowerCase());
}

/**
 * Whether the provider vouches for the e-mail: `email_verified` true (or "true"), or the claim
 * absent. Absent counts as verified because Microsoft Entra ID never sends it, and the issuer
 * is one the operator configured and trusts; an explicit false (Keycloak, Google for
 * unverified addresses) is refused.
 */
export function emailVerified(claims: OidcClaims): boolean {
  const v = claims.email_verified;
  if (v === undefined || v === null) return true;
  return v === true || v === "true";
}

/** The lower-cased `email` claim when it looks like an address, else null. */
export function claimEmail(claims: OidcClaims): string | null {
  const e = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  return e.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(e) ? e : null;
}

/** A display name from `name`, else given + family name, else `preferred_username`, else the e-mail's local part (≤ 120 characters). */
export function claimName(claims: OidcClaims, email: string | null): string {
  const s = (v: unknown) => (typeof v === "string" ? v.trim() : "");
  const name =
    s(claims.name) || [s(claims.given_name), s(claims.family_name)].filter(Boolean).join(" ") || s(claims.preferred_username) || (email ? email.split("@")[0] : "") || "SSO user";
  return name.slice(0, 120);
}
