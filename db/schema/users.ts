import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { roleEnum } from "./enums";
import { teams } from "./reference";

/** People: requesters, agents and admins. Emails are stored lower-case. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: varchar("email", { length: 254 }).notNull().unique(),
    name: varchar("name", { length: 120 }).notNull(),
    role: roleEnum("role").notNull().default("requester"),
    /** bcrypt hash; null for users who cannot sign in with a password. */
    passwordHash: varchar("password_hash", { length: 100 }),
    /** The assignment group an agent works in. */
    teamSlug: varchar("team_slug", { length: 40 }).references(() => teams.slug, {
      onUpdate: "cascade",
      onDelete: "set null",
    }),
    active: boolean("active").notNull().default(true),
    /**
     * Bumped on sign-out everywhere, password change, role change and deactivation; a session
     * token carrying an older version is refused.
     */
    sessionVersion: integer("session_version").notNull().default(1),
    /** OpenID Connect issuer URL of the provider this user signs in with (null: none linked yet). */
    oidcIssuer: varchar("oidc_issuer", { length: 300 }),
    /** The provider's stable subject (`sub`) for this user at `oidcIssuer`. */
    oidcSubject: varchar("oidc_subject", { length: 255 }),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_oidc_subject_uq").on(t.oidcIssuer, t.oidcSubject),
    check("users_email_lower", sql`${t.email} = lower(${t.email}) AND position('@' in ${t.email}) > 1`),
    index("users_role_idx").on(t.role),
    /** Typo-tolerant requester search by name and e-mail (pg_trgm). */
    index("users_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
    index("users_email_trgm_idx").using("gin", t.email.op("gin_trgm_ops")),
  ],
);

/**
 * API keys for integrations. Only the SHA-256 of the key is stored; `prefix` (the first
 * characters) lets people tell keys apart in lists.
 */
export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: varchar("name", { length: 80 }).notNull(),
  role: roleEnum("role").notNull(),
  prefix: varchar("prefix", { length: 16 }).notNull(),
  keyHash: varchar("key_hash", { length: 64 }).notNull().unique(),
  /** For requester keys: the user the key acts as. */
  userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
  /**
   * For agent/admin keys (integrations): the requester e-mail a ticket created through the
   * assistant is filed under when the command names none ("for jo@example.com").
   */
  defaultEmail: varchar("default_email", { length: 254 }),
  /**
   * What the key may do (lib/auth/scopes.ts): `tickets:read`, `tickets:write`, `files:write`,
   * `webhook`, `admin`. Each route declares the scope it needs; the role still caps it.
   */
  scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
  /** After this instant the key is refused (null: no expiry). */
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  /** Requests authenticated with this key (flushed from each instance at most every 10 s). */
  requestCount: bigint("request_count", { mode: "number" }).notNull().default(0),
  createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

/** Why a one-time user token was issued. */
export const USER_TOKEN_PURPOSES = ["invite", "password_reset"] as const;
export type UserTokenPurpose = (typeof USER_TOKEN_PURPOSES)[number];

/**
 * One-time tokens mailed to people: an invite (set your first password) or a password reset.
 * Only the SHA-256 of the token is stored; a token is used once (`usedAt`) and expires.
 */
export const userTokens = pgTable(
  "user_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: varchar("purpose", { length: 20 }).notNull().$type<UserTokenPurpose>(),
    tokenHash: varchar("token_hash", { length: 64 }).notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("user_tokens_purpose", sql`${t.purpose} in ('invite', 'password_reset')`),
    index("user_tokens_user_idx").on(t.userId, t.purpose),
  ],
);

/**
 * Failed sign-in counters per key (`email:<address>` or `ip:<address>`), shared by every app
 * instance. Updated atomically (INSERT … ON CONFLICT DO UPDATE); `blockedUntil` grows
 * exponentially with consecutive failures instead of locking the account.
 */
export const signinFailures = pgTable("signin_failures", {
  key: varchar("key", { length: 300 }).primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailedAt: timestamp("last_failed_at", { withTimezone: true }).notNull().defaultNow(),
  blockedUntil: timestamp("blocked_until", { withTimezone: true }),
});

/**
 * Counters of rate-limiter-flexible's RateLimiterPostgres (its own column layout), so limits
 * are shared across app instances. `expire` is epoch ms.
 */
export const rateLimits = pgTable("rate_limits", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});
