import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { teams } from "./reference";
import { COMMENT_MAX, tickets } from "./tickets";
import { users } from "./users";

/*
 * The agents' workspace and the requester portal (issue 12): saved views, read markers, tags,
 * related links, macros (canned responses), satisfaction ratings (CSAT), deflections and the
 * search vocabulary for typo-tolerant search.
 */

/** Longest tag, in characters; tags are lower-case `[a-z0-9][a-z0-9._-]*`. */
export const TAG_MAX = 40;
/** Longest CSAT comment, in characters. */
export const CSAT_COMMENT_MAX = 1000;

/**
 * Saved views: a named list filter with a sort. `ownerId` null = a shared view (admins manage
 * it, every agent sees it); otherwise an agent's personal view. `filters` holds the list
 * query's filter fields (lib/workspace view schema), never paging.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 80 }).notNull(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "cascade" }),
    filters: jsonb("filters").$type<Record<string, unknown>>().notNull().default({}),
    sort: varchar("sort", { length: 20 }).notNull().default("created"),
    position: integer("position").notNull().default(0),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("saved_views_name_not_blank", sql`length(btrim(${t.name})) > 0`),
    check("saved_views_filters_object", sql`jsonb_typeof(${t.filters}) = 'object'`),
    uniqueIndex("saved_views_owner_name_unique").on(
      sql`coalesce(${t.ownerId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`lower(${t.name})`,
    ),
  ],
);

/** When an agent last opened a ticket: the list's unread marker compares it with `tickets.last_requester_activity_at`. */
export const ticketReads = pgTable(
  "ticket_reads",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    readAt: timestamp("read_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.ticketId] })],
);

/** Tags on tickets (lower-case; the list filters by them). */
export const ticketTags = pgTable(
  "ticket_tags",
  {
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    tag: varchar("tag", { length: TAG_MAX }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.tag] }),
    check("ticket_tags_format", sql`${t.tag} ~ '^[a-z0-9][a-z0-9._-]*$'`),
    index("ticket_tags_tag_idx").on(t.tag, t.ticketId),
  ],
);

/**
 * "Related" links between two tickets, stored once per pair with the smaller id first
 * (`ticket_id < related_id`); read both ways.
 */
export const ticketLinks = pgTable(
  "ticket_links",
  {
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    relatedId: bigint("related_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.relatedId] }),
    check("ticket_links_ordered", sql`${t.ticketId} < ${t.relatedId}`),
    index("ticket_links_related_idx").on(t.relatedId),
  ],
);

/**
 * Macros (canned responses): a reply template with placeholders (`{{requester.name}}`,
 * `{{ticket.key}}`, …) and optional field changes (`actions`: status, waitingReason, priority,
 * category, team, assignee). `ownerId` null = shared (admins manage); else an agent's own.
 */
export const macros = pgTable(
  "macros",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 80 }).notNull(),
    body: varchar("body", { length: COMMENT_MAX }).notNull(),
    /** Insert as an internal note instead of a public reply. */
    internal: boolean("internal").notNull().default(false),
    actions: jsonb("actions").$type<Record<string, unknown>>().notNull().default({}),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "cascade" }),
    usageCount: integer("usage_count").notNull().default(0),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("macros_name_not_blank", sql`length(btrim(${t.name})) > 0`),
    check("macros_actions_object", sql`jsonb_typeof(${t.actions}) = 'object'`),
    uniqueIndex("macros_owner_name_unique").on(
      sql`coalesce(${t.ownerId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`lower(${t.name})`,
    ),
  ],
);

/**
 * Customer satisfaction: one rating per ticket, given by its requester once it is resolved.
 * `teamSlug` and `assigneeId` are the ticket's at rating time (CSAT % per team).
 */
export const csatRatings = pgTable(
  "csat_ratings",
  {
    ticketId: bigint("ticket_id", { mode: "number" })
      .primaryKey()
      .references(() => tickets.id, { onDelete: "cascade" }),
    rating: varchar("rating", { length: 4 }).notNull(),
    comment: varchar("comment", { length: CSAT_COMMENT_MAX }),
    requesterEmail: varchar("requester_email", { length: 254 }).notNull(),
    teamSlug: varchar("team_slug", { length: 40 }).references(() => teams.slug, { onUpdate: "cascade", onDelete: "set null" }),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("csat_ratings_rating", sql`${t.rating} IN ('good', 'bad')`),
    index("csat_ratings_created_idx").on(t.createdAt),
    index("csat_ratings_team_created_idx").on(t.teamSlug, t.createdAt),
  ],
);

/**
 * Self-service deflections: a requester on /submit said a suggested resolved ticket's answer
 * solved their problem, so no ticket was filed. `ticketId` is the suggestion they used.
 */
export const deflections = pgTable(
  "deflections",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id, { onDelete: "set null" }),
    /** Null for a signed-out visitor. */
    requesterEmail: varchar("requester_email", { length: 254 }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("deflections_created_idx").on(t.createdAt)],
);

/**
 * The search vocabulary: every distinct word (unstemmed, lower-case, `simple` configuration)
 * of ticket titles and descriptions, with a trigram index, so a misspelt query word can be
 * corrected to words that exist before the full-text search runs (the PostgreSQL pg_trgm
 * documentation, "Text Search Integration").
 */
export const searchTerms = pgTable(
  "search_terms",
  {
    term: varchar("term", { length: 64 }).primaryKey(),
    /** Tickets containing the word: exact below 20, a lower bound from 20 on (ranks corrections). */
    docCount: integer("doc_count").notNull().default(1),
  },
  // fastupdate off: with GIN's pending list on, words folded in since the last vacuum sit in an
  // unindexed list that every typo lookup scans (3,000 pending words: 38 ms a lookup instead of
  // 3 ms); folds are batched and off the request path, so they pay for the direct insert.
  (t) => [index("search_terms_trgm_idx").using("gin", t.term.op("gin_trgm_ops")).with({ fastupdate: false })],
);

/**
 * Words waiting to enter {@link searchTerms}: the tickets trigger appends the words of each new
 * ticket (and the words an edit introduces) as one row, a plain insert that never waits on
 * another transaction; `sb_fold_search_terms()` (lib/search/vocabulary.ts) moves them into the
 * vocabulary in batches, one folder at a time (migration 0017).
 */
export const searchTermsPending = pgTable("search_terms_pending", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  words: text("words").array().notNull(),
});
