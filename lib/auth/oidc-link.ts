import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, users, type Role } from "@/db/schema";
import { setUserRole } from "@/lib/users/session-version";
import { forgetSessionUser } from "./session-state";
import { claimEmail, claimName, emailDomainAllowed, emailVerified, mapRole, type OidcClaims, type OidcConfig } from "./oidc-config";
import type { OidcErrorCode } from "./oidc-errors";

/** The Switchboard user an SSO sign-in resolved to (what the session token carries). */
export interface OidcUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionVersion: number;
}

/** The outcome of {@link resolveOidcSignIn}. */
export type OidcSignInResult =
  | { ok: true; user: OidcUser; created: boolean; linked: boolean; roleChanged: boolean }
  | { ok: false; code: OidcErrorCode };

/** Audit actor of changes made by a sign-in (no person acts). */
const SSO_ACTOR = { actorType: "system" as const, actorId: null, actorLabel: "single sign-on" };

/** One audit event about a user, by single sign-on. */
async function audit(db: DbOrTx, userId: string, action: string, before: Record<string, unknown> | null, after: Record<string, unknown>): Promise<void> {
  await db.insert(auditEvents).values({ entityType: "user", entityId: userId, ...SSO_ACTOR, action, before, after });
}

/**
 * Find or create the user for a successful OpenID Connect sign-in, in one transaction:
 *  1. the user linked to (issuer, subject) — the stable identity;
 *  2. else the user with the claim's e-mail, when the provider vouches for it
 *     ({@link emailVerified}: `email_verified` true or absent, as with Entra ID), who is then
 *     linked (issuer and subject stored); refused when that user is linked to another subject
 *     at the same issuer (an account linked to a different issuer is re-linked: the issuer moved);
 *  3. else a new user (OIDC_AUTO_CREATE) with the mapped role (requester without a role
 *     claim) and no password; audited as `user.created`.
 * Then: a deactivated user is refused; with OIDC_ROLE_CLAIM set the role follows the claim on
 * every sign-in (a change is audited as `user.role_changed` and ends the user's other
 * sessions); `last_sign_in_at` is set. The e-mail domain is checked against
 * OIDC_ALLOWED_DOMAINS on every sign-in, linked or not.
 * @param claims the validated ID-token claims (`sub` required; `iss` preferred over cfg.issuer).
 * @returns the user, or `{ok: false, code}` with the reason shown on /signin.
 * @throws Error when `sub` is missing (the provider is misconfigured), or on database errors.
 */
export async function resolveOidcSignIn(db: DbOrTx, cfg: OidcConfig, claims: OidcClaims, now: Date = new Date()): Promise<OidcSignInResult> {
  try {
    return await resolveOnce(db, cfg, claims, now);
  } catch (err) {
    // Two first sign-ins of one person at once (two tabs): the loser's INSERT hits the unique
    // e-mail or (issuer, subject); the second attempt finds the winner's row.
    if (!isUniqueViolation(err)) throw err;
    return resolveOnce(db, cfg, claims, now);
  }
}

/** PostgreSQL unique_violation (23505), also when wrapped by drizzle (`cause`). */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && typeof e === "object" && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

async function resolveOnce(db: DbOrTx, cfg: OidcConfig, claims: OidcClaims, now: Date): Promise<OidcSignInResult> {
  const subject = typeof claims.sub === "string" && claims.sub.length > 0 ? claims.sub : null;
  if (!subject || subject.length > 255) throw new Error("OpenID Connect sign-in without a usable `sub` claim");
  const issuer = (typeof claims.iss === "string" && claims.iss ? claims.iss : cfg.issuer).replace(/\/+$/, "").slice(0, 300);
  const email = claimEmail(claims);
  if (!emailDomainAllowed(email, cfg)) return { ok: false, code: "OidcDomain" };
  const claimedRole = mapRole(claims, cfg);

  const result = await db.transaction(async (tx): Promise<OidcSignInResult> => {
    let created = false;
    let linked = false;
    let [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.oidcIssuer, issuer), eq(users.oidcSubject, subject)))
      .limit(1);
    if (!user) {
      if (!email) return { ok: false, code: "OidcNoEmail" };
      if (!emailVerified(claims)) return { ok: false, code: "OidcEmailUnverified" };
      const [byEmail] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
      if (byEmail) {
        if (byEmail.oidcIssuer === issuer && byEmail.oidcSubject && byEmail.oidcSubject !== subject) return { ok: false, code: "OidcLinkedElsewhere" };
        if (!byEmail.active) return { ok: false, code: "OidcInactive" };
        [user] = await tx.update(users).set({ oidcIssuer: issuer, oidcSubject: subject }).where(eq(users.id, byEmail.id)).returning();
        linked = true;
      } else {
        if (!cfg.autoCreate) return { ok: false, code: "OidcNoAccount" };
        const role = claimedRole ?? "requester";
        [user] = await tx
          .insert(users)
          .values({ email, name: claimName(claims, email), role, passwordHash: null, oidcIssuer: issuer, oidcSubject: subject })
          .returning();
        created = true;
        await audit(tx, user.id, "user.created", null, { email: user.email, name: user.name, role: user.role, oidcIssuer: issuer, via: "sso" });
      }
    }
    if (!user.active) return { ok: false, code: "OidcInactive" };

    let roleChanged = false;
    let sessionVersion = user.sessionVersion;
    if (claimedRole && claimedRole !== user.role) {
      const updated = await setUserRole(tx, user.id, claimedRole);
      if (updated) sessionVersion = updated.sessionVersion;
      roleChanged = true;
      await audit(tx, user.id, "user.role_changed", { role: user.role }, { role: claimedRole, via: "sso", claim: cfg.roleClaim });
    }
    await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
    return {
      ok: true,
      user: { id: user.id, email: user.email, name: user.name, role: claimedRole ?? user.role, sessionVersion },
      created,
      linked,
      roleChanged,
    };
  });
  if (result.ok) forgetSessionUser(result.user.id);
  return result;
}
