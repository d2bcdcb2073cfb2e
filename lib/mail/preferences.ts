import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { mailPreferences } from "@/db/schema";
import { authSecret } from "@/lib/auth/secret";
import { isOptionalMailKind, OPTIONAL_MAIL_KINDS, type MailKind, type OptionalMailKind } from "./kinds";
import { mailBaseUrl } from "./config";

/**
 * Per-recipient mail preferences and unsubscribe links.
 *
 * Preferences are keyed by lower-cased e-mail address and kind (db/schema/mail.ts
 * `mail_preferences`); a missing row means the kind is on. Transactional kinds (confirmation,
 * bounce, invitation) cannot be switched off.
 *
 * Unsubscribe tokens need no database row: `<payload>.<signature>`, where payload is the
 * base64url JSON `{"e": email, "k": kind}` and signature is base64url HMAC-SHA256 over
 * `switchboard-unsubscribe-v1.<payload>` with the auth secret (lib/auth/secret.ts). They do not
 * expire (an unsubscribe link in an old mail should still work) and only ever switch one kind
 * of mail for one address; rotating NEXTAUTH_SECRET invalidates them all.
 */

const TOKEN_CONTEXT = "switchboard-unsubscribe-v1.";
/** Longest token accepted by {@link verifyUnsubscribeToken} (an address is at most 254 characters). */
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = 1000;

function sign(payload: string): string {
  return crypto.createHmac("sha256", authSecret()).update(TOKEN_CONTEXT + payload).digest("base64url");
}

const normalise = (email: string) => email.trim().toLowerCase();

/**
 * A signed token naming one address and one optional kind of mail (for the unsubscribe page
 * and the RFC 8058 one-click POST). The address is lower-cased.
 */
export function unsubscribeToken(email: string, kind: OptionalMailKind): string {
  const payload = Buffer.from(JSON.stringify({ e: normalise(email), k: kind }), "utf8").toString("base64url");
  return `${payload}.${sign(payload)}`;
}

/**
 * Check a token from {@link unsubscribeToken}.
 * @returns the address and kind, or null when the token is malformed, too long, tampered with,
 *   signed with another secret, or names a kind that cannot be switched off. Never throws.
 */
export function verifyUnsubscribeToken(token: string): { email: string; kind: OptionalMailKind } | null {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return null;
  const [payload, sig] = parts;
  const expected = Buffer.from(sign(payload), "utf8");
  const given = Buffer.from(sig, "utf8");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  try {
    const data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    if (typeof data !== "object" || data === null) return null;
    const { e, k } = data as { e?: unknown; k?: unknown };
    if (typeof e !== "string" || e.length === 0 || e.length > 254 || !e.includes("@") || typeof k !== "string" || !isOptionalMailKind(k)) return null;
    return { email: normalise(e), kind: k };
  } catch {
    return null;
  }
}

/** Link to the unsubscribe page, for the mail's footer: `${base}/unsubscribe?token=…`. */
export function unsubscribeUrl(email: string, kind: OptionalMailKind): string {
  return `${mailBaseUrl()}/unsubscribe?token=${encodeURIComponent(unsubscribeToken(email, kind))}`;
}

/**
 * The RFC 8058 one-click URL for the `List-Unsubscribe` header: `${base}/api/mail/unsubscribe?token=…`.
 * Mail clients POST `List-Unsubscribe=One-Click` to it (no cookies, no confirmation page).
 */
export function oneClickUnsubscribeUrl(email: string, kind: OptionalMailKind): string {
  return `${mailBaseUrl()}/api/mail/unsubscribe?token=${encodeURIComponent(unsubscribeToken(email, kind))}`;
}

/**
 * Whether `email` wants mail of `kind`. Transactional kinds are always on; optional kinds are on
 * unless a `mail_preferences` row says `enabled = false`. The address is compared lower-cased.
 */
export async function isMailEnabled(db: DbOrTx, email: string, kind: MailKind): Promise<boolean> {
  if (!isOptionalMailKind(kind)) return true;
  const [row] = await db
    .select({ enabled: mailPreferences.enabled })
    .from(mailPreferences)
    .where(and(eq(mailPreferences.email, normalise(email)), eq(mailPreferences.kind, kind)))
    .limit(1);
  return row?.enabled ?? true;
}

/**
 * Switch one optional kind of mail on or off for an address (upsert; idempotent).
 * @throws Error when `kind` is not optional (callers validate input with OPTIONAL_MAIL_KINDS first).
 */
export async function setMailPreference(db: DbOrTx, email: string, kind: OptionalMailKind, enabled: boolean): Promise<void> {
  if (!isOptionalMailKind(kind)) throw new Error(`mail kind ${String(kind)} cannot be switched off`);
  await db
    .insert(mailPreferences)
    .values({ email: normalise(email), kind, enabled })
    .onConflictDoUpdate({ target: [mailPreferences.email, mailPreferences.kind], set: { enabled, updatedAt: sql`now()` } });
}

/** Every optional kind for an address: true = on (also when no row exists), false = switched off. */
export async function listMailPreferences(db: DbOrTx, email: string): Promise<Record<OptionalMailKind, boolean>> {
  const out = Object.fromEntries(OPTIONAL_MAIL_KINDS.map((k) => [k, true])) as Record<OptionalMailKind, boolean>;
  const found = await db
    .select({ kind: mailPreferences.kind, enabled: mailPreferences.enabled })
    .from(mailPreferences)
    .where(eq(mailPreferences.email, normalise(email)));
  for (const r of found) if (isOptionalMailKind(r.kind)) out[r.kind] = r.enabled;
  return out;
}
