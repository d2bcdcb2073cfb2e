import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, pgTable, text, timestamp, varchar } from "drizzle-orm/pg-core";

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

/**
 * Example tickets an admin gives a category so the local model serves it at once
 * (few-shot: the correction memory learns them like agents' corrections; see
 * docs/EVALUATION.md "New categories"). Every instance replays them at start-up and
 * picks up new ones from the `category.example_added` domain event.
 */
export const categoryExamples = pgTable(
  "category_examples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    categorySlug: varchar("category_slug", { length: 40 })
      .notNull()
      .references(() => categories.slug, { onUpdate: "cascade", onDelete: "cascade" }),
    title: varchar("title", { length: 200 }).notNull().default(""),
    description: text("description").notNull(),
    createdById: bigint("created_by_id", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("category_examples_category_idx").on(t.categorySlug)],
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
