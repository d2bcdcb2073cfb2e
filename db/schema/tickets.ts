import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { priorityEnum, sourceEnum, statusEnum, waitingReasonEnum } from "./enums";
import { categories, modules, projects, teams } from "./reference";
import { users } from "./users";

/** PostgreSQL tsvector, read-only from the app (a stored generated column). */
const tsvector = customType<{ data: string }>({
  dataType() {
    return "tsvector";
  },
});

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const RESOLUTION_MAX = 5000;
export const COMMENT_MAX = 10000;

/**
 * Tickets. `key` (T-<n>) is derived from the identity column, so it is unique and
 * gap-tolerant. `first_response_s` and `resolution_s` are stored generated durations in
 * seconds, indexed for exact percentiles; `search` is the stored tsvector (title weighted A,
 * description B) behind full-text search.
 */
export const tickets = pgTable(
  "tickets",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    key: text("key")
      .notNull()
      .generatedAlwaysAs(sql.raw(`'T-' || id::text`)),
    title: varchar("title", { length: TITLE_MAX }).notNull(),
    description: varchar("description", { length: DESCRIPTION_MAX }).notNull(),
    requesterEmail: varchar("requester_email", { length: 254 }).notNull(),
    requesterId: uuid("requester_id").references(() => users.id, { onDelete: "set null" }),
    categorySlug: varchar("category_slug", { length: 40 })
      .notNull()
      .references(() => categories.slug, { onUpdate: "cascade", onDelete: "restrict" }),
    priority: priorityEnum("priority").notNull(),
    status: statusEnum("status").notNull().default("new"),
    /** Set exactly when status is `waiting`: on whom the ticket waits. */
    waitingReason: waitingReasonEnum("waiting_reason"),
    source: sourceEnum("source").notNull().default("api"),
    teamSlug: varchar("team_slug", { length: 40 }).references(() => teams.slug, {
      onUpdate: "cascade",
      onDelete: "set null",
    }),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    moduleSlug: varchar("module_slug", { length: 40 }).references(() => modules.slug, {
      onUpdate: "cascade",
      onDelete: "set null",
    }),
    projectSlug: varchar("project_slug", { length: 40 }).references(() => projects.slug, {
      onUpdate: "cascade",
      onDelete: "set null",
    }),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    resolution: varchar("resolution", { length: RESOLUTION_MAX }),
    /** The earlier ticket this one follows up (a requester's reply to a closed ticket, or after the reopen window). */
    followUpOfId: bigint("follow_up_of_id", { mode: "number" }).references((): AnyPgColumn => tickets.id, { onDelete: "set null" }),
    /**
     * False for a ticket filed by a signed-out visitor under a claimed e-mail, until the
     * requester confirms it by the e-mailed link; unverified tickets do not show in that user's portal.
     */
    requesterVerified: boolean("requester_verified").notNull().default(true),
    /** The primary ticket this duplicate was merged into (it is closed with a link); null otherwise. */
    mergedIntoId: bigint("merged_into_id", { mode: "number" }).references((): AnyPgColumn => tickets.id, { onDelete: "set null" }),
    /**
     * When the requester last commented (any channel: portal, e-mail, API), kept by the
     * `ticket_comments_requester_reply` trigger; null until they do. An agent sees the ticket as
     * unread when `coalesce(last_requester_reply_at, created_at)` is after their `ticket_reads.read_at`.
     */
    lastRequesterReplyAt: timestamp("last_requester_reply_at", { withTimezone: true }),
    /** Set when triage confidence was under the review threshold; cleared by an agent. */
    needsReview: boolean("needs_review").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    firstResponseAt: timestamp("first_response_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    firstResponseS: integer("first_response_s").generatedAlwaysAs(
      sql.raw(`(floor(extract(epoch from (first_response_at - created_at))))::integer`),
    ),
    resolutionS: integer("resolution_s").generatedAlwaysAs(
      sql.raw(`(floor(extract(epoch from (resolved_at - created_at))))::integer`),
    ),
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs(
        sql.raw(
          `setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')`,
        ),
      ),
  },
  (t) => [
    check("tickets_title_not_blank", sql`length(btrim(${t.title})) > 0`),
    check("tickets_description_not_blank", sql`length(btrim(${t.description})) > 0`),
    check(
      "tickets_requester_email_format",
      sql`${t.requesterEmail} = lower(${t.requesterEmail}) AND position('@' in ${t.requesterEmail}) > 1`,
    ),
    check("tickets_waiting_reason", sql`(${t.status} = 'waiting') = (${t.waitingReason} IS NOT NULL)`),
    check("tickets_metadata_size", sql`octet_length(${t.metadata}::text) <= 32768`),
    check("tickets_metadata_object", sql`jsonb_typeof(${t.metadata}) = 'object'`),
    check("tickets_resolved_after_created", sql`${t.resolvedAt} IS NULL OR ${t.resolvedAt} >= ${t.createdAt}`),
    check(
      "tickets_first_response_after_created",
      sql`${t.firstResponseAt} IS NULL OR ${t.firstResponseAt} >= ${t.createdAt}`,
    ),
    uniqueIndex("tickets_key_unique").on(t.key),
    index("tickets_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("tickets_status_created_idx").on(t.status, t.createdAt.desc(), t.id.desc()),
    index("tickets_priority_created_idx").on(t.priority, t.createdAt.desc(), t.id.desc()),
    index("tickets_category_created_idx").on(t.categorySlug, t.createdAt.desc(), t.id.desc()),
    index("tickets_team_created_idx").on(t.teamSlug, t.createdAt.desc(), t.id.desc()),
    index("tickets_assignee_created_idx").on(t.assigneeId, t.createdAt.desc(), t.id.desc()),
    index("tickets_requester_created_idx").on(t.requesterEmail, t.createdAt.desc(), t.id.desc()),
    index("tickets_review_created_idx")
      .on(t.createdAt.desc(), t.id.desc())
      .where(sql`${t.needsReview}`),
    index("tickets_follow_up_of_idx").on(t.followUpOfId).where(sql`${t.followUpOfId} IS NOT NULL`),
    index("tickets_search_idx").using("gin", t.search),
    /** Requester search by (part of) an e-mail address (pg_trgm). */
    index("tickets_requester_email_trgm_idx").using("gin", t.requesterEmail.op("gin_trgm_ops")),
    index("tickets_updated_idx").on(t.updatedAt.desc(), t.id.desc()),
    index("tickets_merged_into_idx").on(t.mergedIntoId).where(sql`${t.mergedIntoId} IS NOT NULL`),
    /** Unsolved tickets (the workspace views): small next to the whole desk. */
    index("tickets_unsolved_idx")
      .on(t.teamSlug, t.assigneeId, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.status} IN ('new', 'open', 'in_progress', 'waiting')`),
    /** Solved tickets by resolution time ("Recently solved"): partial on the solved statuses, so the capped count is index-only. */
    index("tickets_solved_resolved_at_idx")
      .on(t.resolvedAt.desc(), t.id.desc())
      .where(sql`${t.status} IN ('resolved', 'closed')`),
    index("tickets_first_response_s_idx").on(t.firstResponseS, t.createdAt),
    index("tickets_resolution_s_idx").on(t.resolutionS, t.createdAt),
  ],
);

/** History of who a ticket was assigned to (team and person), newest last. */
export const ticketAssignments = pgTable(
  "ticket_assignments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    teamSlug: varchar("team_slug", { length: 40 }).references(() => teams.slug, {
      onUpdate: "cascade",
      onDelete: "set null",
    }),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    /** Who made the assignment; null for the triage pipeline. */
    assignedById: uuid("assigned_by_id").references(() => users.id, { onDelete: "set null" }),
    reason: varchar("reason", { length: 200 }).notNull(),
    /**
     * Why this person (assignee matching): `{mode, matchedSkills, load, capacity, inHours,
     * score, candidates: [...]}`; null for manual assignments.
     */
    details: jsonb("details").$type<Record<string, unknown>>(),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ticket_assignments_ticket_idx").on(t.ticketId, t.assignedAt)],
);

/** Public replies (visible to the requester) and internal notes (agents only). */
export const ticketComments = pgTable(
  "ticket_comments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    /** Display label of the author (name, e-mail or API key name) kept if the user goes. */
    authorLabel: varchar("author_label", { length: 254 }).notNull(),
    authorRole: varchar("author_role", { length: 20 }).notNull(),
    body: varchar("body", { length: COMMENT_MAX }).notNull(),
    internal: boolean("internal").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("ticket_comments_body_not_blank", sql`length(btrim(${t.body})) > 0`),
    index("ticket_comments_ticket_idx").on(t.ticketId, t.createdAt),
  ],
);

/**
 * One-time links that confirm a ticket filed by a signed-out visitor under a claimed e-mail.
 * Only the SHA-256 of the token is stored.
 */
export const ticketConfirmations = pgTable(
  "ticket_confirmations",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    email: varchar("email", { length: 254 }).notNull(),
    tokenHash: varchar("token_hash", { length: 64 }).notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  },
  (t) => [index("ticket_confirmations_ticket_idx").on(t.ticketId)],
);
