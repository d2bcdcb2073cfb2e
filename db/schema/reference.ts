import { sql } from "drizzle-orm";
import { boolean, check, pgTable, timestamp, varchar } from "drizzle-orm/pg-core";

const slugCheck = (col: string) => sql.raw(`${col} ~ '^[a-z0-9][a-z0-9-]{0,39}$'`);

/** Assignment groups (ITIL): the queue a ticket is routed to. */
export const teams = pgTable(
  "teams",
  {
    slug: varchar("slug", { length: 40 }).primaryKey(),
    name: varchar("name", { length: 80 }).notNull().unique(),
    description: varchar("description", { length: 500 }).notNull().default(""),
    /** Where queue notifications go; optional. */
    email: varchar("email", { length: 254 }),
    /**
     * How tickets landing on the team get a person (lib/routing/assign): `auto` (skill
     * matching), `round_robin` (the eligible member assigned least recently) or `manual`.
     */
    assignmentMode: varchar("assignment_mode", { length: 20 }).notNull().default("auto"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  () => [
    check("teams_slug_format", slugCheck("slug")),
    check("teams_assignment_mode", sql.raw(`assignment_mode IN ('auto', 'round_robin', 'manual')`)),
  ],
);

/**
 * Ticket categories. `teamSlug` is the category → team routing map kept as data
 * (admins change it without a deploy).
 */
export const categories = pgTable(
  "categories",
  {
    slug: varchar("slug", { length: 40 }).primaryKey(),
    name: varchar("name", { length: 80 }).notNull().unique(),
    description: varchar("description", { length: 500 }).notNull().default(""),
    teamSlug: varchar("team_slug", { length: 40 })
      .notNull()
      .references(() => teams.slug, { onUpdate: "cascade", onDelete: "restrict" }),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  () => [check("categories_slug_format", slugCheck("slug"))],
);

/** Business modules (e.g. SAP modules, product areas) a ticket can be filed against. */
export const modules = pgTable(
  "modules",
  {
    slug: varchar("slug", { length: 40 }).primaryKey(),
    name: varchar("name", { length: 80 }).notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  () => [check("modules_slug_format", slugCheck("slug"))],
);

/** Projects, optionally belonging to a module. */
export const projects = pgTable(
  "projects",
  {
    slug: varchar("slug", { length: 40 }).primaryKey(),
    name: varchar("name", { length: 120 }).notNull().unique(),
    moduleSlug: varchar("module_slug", { length: 40 }).references(() => modules.slug, {
      onUpdate: "cascade",
      onDelete: "set null",
    }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  () => [check("projects_slug_format", slugCheck("slug"))],
);

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
