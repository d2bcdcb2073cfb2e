import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db, type DbOrTx } from "@/db/client";
import { appSettings, users } from "@/db/schema";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { upsertUserWithPassword } from "@/lib/users/session-version";

/*
 * First run of a production install: no admin exists, so nobody can sign in. At start-up
 * {@link ensureSetupToken} issues a one-time token (only its SHA-256 is stored, in app_settings
 * `setup_token`) and logs `First run: open <NEXTAUTH_URL>/setup?token=…`. The /setup page
 * creates the first admin with it ({@link createFirstAdmin}) and the token is deleted. The
 * other way is `npm run user:create -- --role admin`.
 *
 * Several instances share one database: the token row is written with one atomic upsert. A row
 * younger than {@link SETUP_TOKEN_REISSUE_AFTER_S} is reused (instances starting together log
 * that another instance printed it); an older one is replaced by a fresh token, so restarting
 * one process always prints a usable link (the previous link stops working).
 */

/** app_settings key holding `{hash}` of the pending setup token. */
export const SETUP_TOKEN_KEY = "setup_token";
/** A token issued less than this many seconds ago by another instance is kept, not replaced. */
export const SETUP_TOKEN_REISSUE_AFTER_S = 60;
/** Minimum length of the first admin's password. */
export const SETUP_PASSWORD_MIN = 12;

function sha256(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** True when at least one active admin exists. */
export async function hasAdmin(db: DbOrTx): Promise<boolean> {
  const [r] = await db
    .select({ one: sql<number>`1` })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.active, true)))
    .limit(1);
  return !!r;
}

/**
 * At start-up: when no active admin exists, issue a one-time setup token and log the /setup
 * link; when an admin exists, delete any leftover token.
 * @returns the token when THIS call issued it (also logged), "existing" when another instance
 *   issued one moments ago, or null when an admin exists.
 */
export async function ensureSetupToken(db: DbOrTx): Promise<string | "existing" | null> {
  if (await hasAdmin(db)) {
    await db.delete(appSettings).where(eq(appSettings.key, SETUP_TOKEN_KEY));
    return null;
  }
  const token = crypto.randomBytes(24).toString("base64url");
  const value = JSON.stringify({ hash: sha256(token) });
  const won = await rows<{ key: string }>(
    db,
    sql`INSERT INTO app_settings (key, value, updated_at) VALUES (${SETUP_TOKEN_KEY}, ${value}::jsonb, now())
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()
        WHERE app_settings.updated_at < now() - make_interval(secs => ${SETUP_TOKEN_REISSUE_AFTER_S})
        RETURNING key`,
  );
  if (won.length === 0) {
    logger.warn("First run: no admin yet; another instance just printed the /setup link (see its log), or run `npm run user:create -- --role admin`");
    return "existing";
  }
  const base = (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  logger.warn(`First run: open ${base}/setup?token=${token} to create the first admin (or run \`npm run user:create -- --role admin\`)`);
  return token;
}

/**
 * True when `token` is the pending setup token and no admin exists yet (what /setup checks
 * before showing its form). Constant-time comparison of the hashes.
 */
export async function isValidSetupToken(db: DbOrTx, token: string | null | undefined): Promise<boolean> {
  if (!token || token.length > 200) return false;
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, SETUP_TOKEN_KEY)).limit(1);
  const hash = (row?.value as { hash?: unknown } | undefined)?.hash;
  if (typeof hash !== "string" || hash.length !== 64) return false;
  if (!crypto.timingSafeEqual(Buffer.from(hash), Buffer.from(sha256(token)))) return false;
  return !(await hasAdmin(db));
}

/** Input of the /setup form. */
export const FirstAdminSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid e-mail address").max(254),
  name: z.string().trim().min(1, "Enter a name").max(120),
  password: z.string().min(SETUP_PASSWORD_MIN, `Use at least ${SETUP_PASSWORD_MIN} characters`).max(200),
});
export type FirstAdminInput = z.infer<typeof FirstAdminSchema>;

/** Why {@link createFirstAdmin} refused: the token is wrong or used, or an admin exists already. */
export class SetupError extends Error {
  constructor(
    readonly code: "invalid_token" | "admin_exists",
    message: string,
  ) {
    super(message);
    this.name = "SetupError";
  }
}

/**
 * Create the first admin with the one-time token, in one transaction: the token row is locked
 * (`FOR UPDATE`, so two concurrent submissions cannot both pass), checked, the admin inserted
 * (an existing user with that e-mail is promoted, with the new password, and signed out) and the
 * token deleted.
 * @throws SetupError invalid_token (wrong/used/missing token) or admin_exists.
 * @throws ZodError when the input is invalid (callers parse with {@link FirstAdminSchema} first).
 */
export async function createFirstAdmin(db: Db, token: string, input: FirstAdminInput): Promise<{ id: string; email: string }> {
  const data = FirstAdminSchema.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await rows<{ hash: string | null }>(
      tx,
      sql`SELECT value->>'hash' AS hash FROM app_settings WHERE key = ${SETUP_TOKEN_KEY} FOR UPDATE`,
    );
    const given = sha256(token ?? "");
    if (!row?.hash || row.hash.length !== 64 || !crypto.timingSafeEqual(Buffer.from(row.hash), Buffer.from(given))) {
      throw new SetupError("invalid_token", "This setup link is not valid (it may have been used already).");
    }
    if (await hasAdmin(tx)) {
      throw new SetupError("admin_exists", "An admin exists already: sign in instead.");
    }
    const u = await upsertUserWithPassword(tx, { email: data.email, name: data.name, role: "admin", password: data.password });
    await tx.delete(appSettings).where(eq(appSettings.key, SETUP_TOKEN_KEY));
    logger.info({ userId: u.id }, "first admin created through /setup");
    return { id: u.id, email: u.email };
  });
}
