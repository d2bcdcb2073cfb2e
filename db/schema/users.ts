import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
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
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

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
