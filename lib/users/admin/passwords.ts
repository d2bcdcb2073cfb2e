import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { Principal } from "@/lib/auth/principal";
import { forgetSessionUser } from "@/lib/auth/session-state";
import { resetFailures } from "@/lib/auth/signin-throttle";
import { ApiError } from "@/lib/http/errors";
import { renderMail } from "@/lib/mail/render";
import { consume, type RateLimitOptions } from "@/lib/rate-limit";
import { auditUser } from "./audit";
import { queueResetMail } from "./people";
import { consumeUserToken, revokeUserTokens } from "./tokens";

/*
 * The password flows of a person on their own account: accept an invite (first password),
 * forgot password (a reset link by mail), reset with that link, and change the password while
 * signed in (the current one required). Setting a password bumps the session version, so every
 * other session of the account ends.
 */

/** Forgot-password requests per client IP: 10 per 15 minutes (over it: 429). */
export const FORGOT_IP_LIMIT: RateLimitOptions = { limit: 10, windowMs: 15 * 60_000 };
/** Reset mails per e-mail address: 3 per hour (over it: the same answer, no mail). */
export const FORGOT_EMAIL_LIMIT: RateLimitOptions = { limit: 3, windowMs: 60 * 60_000 };
/** Password-change attempts per signed-in user: 5 per 15 minutes (guessing the current password). */
export const CHANGE_LIMIT: RateLimitOptions = { limit: 5, windowMs: 15 * 60_000 };

function rateLimited(retryAfterS: number): ApiError {
  return new ApiError("rate_limited", `Too many requests; try again in ${retryAfterS} s`, { retryAfterS }, { "Retry-After": String(retryAfterS) });
}

/**
 * "Forgot password": when `email` belongs to an active person, issue a reset token and queue
 * the `password_reset` mail (audit `user.password_reset_requested`). Unknown, invited and
 * deactivated addresses get nothing, and the caller answers the same in every case, so the
 * form cannot tell which addresses have accounts (the mail is rendered either way, to keep the
 * timing close). Limits: {@link FORGOT_IP_LIMIT} per client IP (429 when over) and
 * {@link FORGOT_EMAIL_LIMIT} mails per address (over it: silently no mail).
 * @param ip the client IP (lib/http/client-ip.ts); "unknown" is not limited per IP (it would be one key shared by everyone).
 * @throws ApiError 429 rate_limited (per IP).
 */
export async function requestPasswordReset(db: DbOrTx, email: string, ip: string): Promise<void> {
  const address = email.trim().toLowerCase();
  if (ip !== "unknown") {
    const byIp = await consume(`forgot:ip:${ip}`, FORGOT_IP_LIMIT);
    if (!byIp.ok) throw rateLimited(byIp.retryAfterS);
  }
  const byEmail = await consume(`forgot:email:${address}`, FORGOT_EMAIL_LIMIT);
  const [u] = byEmail.ok
    ? await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(and(eq(users.email, address), eq(users.active, true))).limit(1)
    : [];
  if (!u) {
    // The same rendering work as a real request, so the answer's timing says little.
    await renderMail("password_reset", { name: "", resetUrl: "https://invalid.invalid/", ttlMinutes: 60 }, { unsubscribeUrl: null });
    return;
  }
  await db.transaction(async (tx) => {
    const expiresAt = await queueResetMail(tx, u, null);
    await auditUser(tx, { userId: u.id, action: "user.password_reset_requested", actor: { self: u }, after: { expiresAt: expiresAt.toISOString(), ip } });
  });
}

/** Set a password in `tx`: the hash, the session version bumped; `activate` also sets active. */
async function setPassword(tx: DbOrTx, userId: string, passwordHash: string, activate: boolean): Promise<{ id: string; email: string }> {
  const [u] = await tx
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, ...(activate ? { active: true } : {}) })
    .where(eq(users.id, userId))
    .returning({ id: users.id, email: users.email });
  if (!u) throw new ApiError("not_found", "This link is not valid");
  return u;
}

/**
 * Use a mailed token once and set the password it allows, in one transaction: the token marked
 * used, the password set (session version bumped), the account's other unused links of that
 * purpose deleted, the audit event written. Then this process's cached session state is
 * dropped and the sign-in backoff of the address cleared.
 */
async function setPasswordWithToken(db: DbOrTx, token: string, password: string, purpose: "invite" | "password_reset"): Promise<{ email: string }> {
  const hash = await hashPassword(password);
  const u = await db.transaction(async (tx) => {
    const userId = await consumeUserToken(tx, token, purpose);
    const user = await setPassword(tx, userId, hash, purpose === "invite");
    await revokeUserTokens(tx, userId, purpose);
    await auditUser(tx, { userId, action: purpose === "invite" ? "user.invite_accepted" : "user.password_reset", actor: { self: user }, after: purpose === "invite" ? { active: true } : null });
    return user;
  });
  forgetSessionUser(u.id);
  await resetFailures(db, `email:${u.email}`);
  return { email: u.email };
}

/**
 * Accept an invite: use the token once, set the first password and activate the account (audit
 * `user.invite_accepted`). The person then signs in with their e-mail and this password.
 * @returns the account's e-mail (to prefill the sign-in form).
 * @throws ApiError 410 gone (link expired or used, `details.reason`), 404 (unknown link).
 */
export function acceptInvite(db: DbOrTx, token: string, password: string): Promise<{ email: string }> {
  return setPasswordWithToken(db, token, password, "invite");
}

/**
 * Reset a password with a mailed link: use the token once, set the new password and end every
 * session of the account (audit `user.password_reset`). Other unused reset links of the account
 * stop working, and the sign-in backoff of the address is cleared.
 * @returns the account's e-mail.
 * @throws ApiError 410 gone (expired or used), 404 (unknown link, or the account is deactivated).
 */
export function resetPasswordWithToken(db: DbOrTx, token: string, password: string): Promise<{ email: string }> {
  return setPasswordWithToken(db, token, password, "password_reset");
}

/**
 * Change the signed-in person's password: the current password is required; every session of
 * the account ends (this one too: sign in again). Audit `user.password_changed`.
 * Limited to {@link CHANGE_LIMIT} attempts per user.
 * @throws ApiError 401 (not a signed-in person: API keys cannot), 429, 400 validation_error
 *   (`details.field` "currentPassword": wrong or no password set).
 */
export async function changeOwnPassword(db: DbOrTx, principal: Principal | null, currentPassword: string, newPassword: string): Promise<void> {
  if (!principal || principal.kind !== "user" || !principal.userId) throw new ApiError("unauthorized", "Sign in to change your password");
  const limit = await consume(`pwchange:${principal.userId}`, CHANGE_LIMIT);
  if (!limit.ok) throw rateLimited(limit.retryAfterS);
  const [u] = await db.select({ id: users.id, email: users.email, passwordHash: users.passwordHash, active: users.active }).from(users).where(eq(users.id, principal.userId)).limit(1);
  if (!u || !u.active) throw new ApiError("unauthorized", "Sign in to change your password");
  if (!u.passwordHash) {
    throw new ApiError("validation_error", "Your account has no password yet: use “Forgot password” on the sign-in page to set one", { field: "currentPassword" });
  }
  if (!(await verifyPassword(currentPassword, u.passwordHash))) {
    throw new ApiError("validation_error", "The current password is not right", { field: "currentPassword" });
  }
  const hash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await setPassword(tx, u.id, hash, false);
    await revokeUserTokens(tx, u.id, "password_reset");
    await auditUser(tx, { userId: u.id, action: "user.password_changed", actor: principal });
  });
  forgetSessionUser(u.id);
}
