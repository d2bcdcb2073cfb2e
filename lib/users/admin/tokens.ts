import crypto from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { userTokens, users, type Role, type UserTokenPurpose } from "@/db/schema";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";

/*
 * One-time tokens mailed to people (table user_tokens): an invite (set your first password) or
 * a password reset. The token is 32 random bytes, base64url (43 characters); only its SHA-256
 * (hex) is stored, so a database dump holds no usable link. A token is used at most once (the
 * UPDATE that consumes it is conditional on used_at IS NULL and expires_at > now()) and expires:
 * invites after INVITE_TTL_HOURS (default 7 days), resets after PASSWORD_RESET_TTL_MINUTES
 * (default 1 hour).
 */

/** SHA-256 hex of a token (tokens are high-entropy random strings: a fast hash is right). */
export function hashUserToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Lifetime of a new token of `purpose`, in ms (from env: INVITE_TTL_HOURS, PASSWORD_RESET_TTL_MINUTES). */
export function tokenTtlMs(purpose: UserTokenPurpose): number {
  const e = env();
  return purpose === "invite" ? e.INVITE_TTL_HOURS * 3_600_000 : e.PASSWORD_RESET_TTL_MINUTES * 60_000;
}

/** The app path a token's link opens: `/invite/<token>` or `/reset-password/<token>`. */
export function tokenPath(purpose: UserTokenPurpose, token: string): string {
  return purpose === "invite" ? `/invite/${token}` : `/reset-password/${token}`;
}

/** A token just issued: the token itself (mailed, never stored) and when it expires. */
export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/**
 * Issue a token for `userId` in the caller's transaction. Earlier unused tokens of the same
 * purpose for that user are deleted, so only the newest link works.
 * @param createdById the admin who asked for it (null: the person themselves, e.g. forgot password).
 */
export async function issueUserToken(db: DbOrTx, input: { userId: string; purpose: UserTokenPurpose; createdById?: string | null }): Promise<IssuedToken> {
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + tokenTtlMs(input.purpose));
  await db.delete(userTokens).where(and(eq(userTokens.userId, input.userId), eq(userTokens.purpose, input.purpose), isNull(userTokens.usedAt)));
  await db.insert(userTokens).values({
    userId: input.userId,
    purpose: input.purpose,
    tokenHash: hashUserToken(token),
    expiresAt,
    createdById: input.createdById ?? null,
  });
  return { token, expiresAt };
}

/** Delete every unused token of a user (all purposes, or one): their links stop working. */
export async function revokeUserTokens(db: DbOrTx, userId: string, purpose?: UserTokenPurpose): Promise<number> {
  const rows = await db
    .delete(userTokens)
    .where(and(eq(userTokens.userId, userId), isNull(userTokens.usedAt), purpose ? eq(userTokens.purpose, purpose) : undefined))
    .returning({ id: userTokens.id });
  return rows.length;
}

/** What a link's token is worth, for the page that shows the set-password form. */
export type TokenState =
  | { state: "valid"; userId: string; email: string; name: string; role: Role; expiresAt: Date }
  | { state: "expired" | "used"; email: string }
  | { state: "invalid" };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * Look a token up without using it (the page shows the form only for a valid one). A token of
 * another purpose, an unknown one and one whose user is deactivated (reset links) are `invalid`.
 */
export async function inspectUserToken(db: DbOrTx, token: string, purpose: UserTokenPurpose): Promise<TokenState> {
  if (!TOKEN_SHAPE.test(token)) return { state: "invalid" };
  const [r] = await db
    .select({
      userId: userTokens.userId,
      expiresAt: userTokens.expiresAt,
      usedAt: userTokens.usedAt,
      email: users.email,
      name: users.name,
      role: users.role,
      active: users.active,
    })
    .from(userTokens)
    .innerJoin(users, eq(users.id, userTokens.userId))
    .where(and(eq(userTokens.tokenHash, hashUserToken(token)), eq(userTokens.purpose, purpose)))
    .limit(1);
  if (!r) return { state: "invalid" };
  if (purpose === "password_reset" && !r.active) return { state: "invalid" };
  if (r.usedAt) return { state: "used", email: r.email };
  if (r.expiresAt.getTime() <= Date.now()) return { state: "expired", email: r.email };
  return { state: "valid", userId: r.userId, email: r.email, name: r.name, role: r.role, expiresAt: r.expiresAt };
}

/**
 * Use a token once, in the caller's transaction: marks it used and returns its user's id.
 * Concurrent uses of the same token: exactly one wins (conditional UPDATE).
 * @throws ApiError 410 gone (`details.reason` "expired" | "used"), 404 not_found (unknown token,
 *   another purpose, or a reset token of a deactivated user).
 */
export async function consumeUserToken(db: DbOrTx, token: string, purpose: UserTokenPurpose): Promise<string> {
  if (TOKEN_SHAPE.test(token)) {
    const [won] = await db
      .update(userTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(userTokens.tokenHash, hashUserToken(token)),
          eq(userTokens.purpose, purpose),
          isNull(userTokens.usedAt),
          sql`${userTokens.expiresAt} > now()`,
        ),
      )
      .returning({ userId: userTokens.userId });
    if (won) {
      if (purpose === "password_reset") {
        const [u] = await db.select({ active: users.active }).from(users).where(eq(users.id, won.userId)).limit(1);
        if (!u?.active) throw new ApiError("not_found", "This link is not valid");
      }
      return won.userId;
    }
  }
  const s = await inspectUserToken(db, token, purpose);
  if (s.state === "used") throw new ApiError("gone", "This link has been used already", { reason: "used" });
  if (s.state === "expired") throw new ApiError("gone", "This link has expired", { reason: "expired" });
  throw new ApiError("not_found", "This link is not valid", { reason: "invalid" });
}
