import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("users_email_lower", sql`${t.email} = lower(${t.email}) AND position('@' in ${t.email}) > 1`),
    index("users_role_idx").on(t.role),
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
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});
