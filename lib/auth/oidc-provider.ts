import type { Account, Profile, User } from "next-auth";
import type { AdapterUser } from "next-auth/adapters";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { getDb } from "@/db/client";
import { logger } from "@/lib/observability/logger";
import { OIDC_PROVIDER_ID, claimAt, claimEmail, claimName, oidcConfig, type OidcClaims } from "./oidc-config";
import { resolveOidcSignIn } from "./oidc-link";

/*
 * The next-auth v4 side of single sign-on: one generic OpenID Connect provider (type "oauth"
 * with discovery, ID token, PKCE and state) and the signIn callback that links the sign-in to a
 * Switchboard user. Configuration: lib/auth/oidc-config.ts; set-up per provider: docs/SSO.md.
 */

/**
 * The SSO provider for next-auth's `providers`, or none when SSO is off. Built per request from
 * the environment (never inlined at build time). The provider's metadata comes from
 * `{OIDC_ISSUER}/.well-known/openid-configuration`; the ID token's signature, issuer, audience
 * and expiry are checked by openid-client, and the authorization code flow uses PKCE and state.
 * `profile()` returns the provider's identity (`id` = `sub`); the signIn callback
 * ({@link oidcSignIn}) replaces it with the Switchboard user.
 */
export function oidcProviders(): OAuthConfig<OidcClaims>[] {
  const cfg = oidcConfig();
  if (!cfg) return [];
  return [
    {
      id: OIDC_PROVIDER_ID,
      name: cfg.name,
      type: "oauth",
      wellKnown: `${cfg.issuer}/.well-known/openid-configuration`,
      clientId: cfg.clientId,
      clientSecret: cfg.clientSecret,
      authorization: { params: { scope: cfg.scopes } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(claims: OidcClaims) {
        const email = claimEmail(claims);
        return {
          id: typeof claims.sub === "string" ? claims.sub : "",
          email: email ?? "",
          name: claimName(claims, email),
          role: "requester",
          sessionVersion: 0,
        };
      },
    },
  ];
}

/**
 * next-auth signIn callback. Credentials sign-ins pass (authorize() has checked them). An SSO
 * sign-in is resolved with {@link resolveOidcSignIn}: on success `user` (the object next-auth
 * then hands to the jwt callback) becomes the Switchboard user — id, e-mail, name, role and
 * session version — and true is returned; on refusal the browser goes to `/signin?error=<code>`
 * (lib/auth/oidc-errors.ts).
 * @throws nothing: unexpected errors are logged and answered with `/signin?error=OAuthCallback`.
 */
export async function oidcSignIn(user: User | AdapterUser, account: Account | null, profile: Profile | undefined): Promise<true | string> {
  if (account?.provider !== OIDC_PROVIDER_ID) return true;
  const cfg = oidcConfig();
  if (!cfg || !profile) return "/signin?error=OAuthCallback";
  try {
    if (cfg.roleClaim && claimAt(profile as OidcClaims, cfg.roleClaim) === undefined) {
      // Maps to requester (no roles). Usually the claim is configured but not put into the ID token.
      logger.warn({ claim: cfg.roleClaim, issuer: cfg.issuer }, "sso: the ID token has no role claim; the user gets the requester role");
    }
    const r = await resolveOidcSignIn(await getDb(), cfg, profile as OidcClaims);
    if (!r.ok) {
      logger.info({ code: r.code, issuer: cfg.issuer }, "sso sign-in refused");
      return `/signin?error=${r.code}`;
    }
    if (r.created || r.linked || r.roleChanged) {
      logger.info({ userId: r.user.id, created: r.created, linked: r.linked, roleChanged: r.roleChanged, role: r.user.role }, "sso sign-in");
    }
    Object.assign(user, r.user);
    return true;
  } catch (err) {
    logger.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, "sso sign-in failed");
    return "/signin?error=OAuthCallback";
  }
}
