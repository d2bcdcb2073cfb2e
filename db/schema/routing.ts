import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { priorityEnum } from "./enums";
import { uploads } from "./files";
import { teams } from "./reference";
import { apiKeys, users } from "./users";
import { tickets } from "./tickets";

/** Kinds of external system a team's tickets can be pushed to (seed 001's team mappings). */
export const TARGET_KINDS = ["jira", "freshservice", "slack", "webhook"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** HTTP methods a target may be called with. */
export const TARGET_METHODS = ["POST", "PUT", "PATCH"] as const;
export type TargetMethod = (typeof TARGET_METHODS)[number];

/** How a team's tickets get a person: skill matching, least-recently-assigned, or by hand. */
export const ASSIGNMENT_MODES = ["auto", "round_robin", "manual"] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/** Seniority levels of an employee skill profile (seed 002), lowest first. */
export const SENIORITIES = ["junior", "mid", "senior", "lead"] as const;
export type Seniority = (typeof SENIORITIES)[number];

/** What a push does at the target: open the external record, or update / comment on it. */
export const PUSH_ACTIONS = ["create", "update", "comment"] as const;
export type PushAction = (typeof PUSH_ACTIONS)[number];

/**
 * Life of a push: `pending` (queued, being tried) → `done` (the target answered 2xx; or a
 * lookup found the record an earlier attempt made) | `dead` (a 4xx other than 408/429, or
 * retries exhausted: listed on /admin/routing with `last_error` and a retry button) |
 * `skipped` (nothing to do, e.g. an update for a target that keeps no record).
 */
export const PUSH_STATUSES = ["pending", "done", "dead", "skipped"] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];

const inList = (col: string, values: readonly string[]) =>
  sql.raw(`${col} IN (${values.map((v) => `'${v}'`).join(", ")})`);

/**
 * Team mappings (seed 001's `team_mappings`): where a team's tickets are pushed.
 *
 * - A ticket landing on `team_slug` whose priority is at or above `priority_threshold` (P1
 *   highest) is pushed while `active`.
 * - `header_names` lists the names of the custom headers (shown by the API); their values
 *   live only in `headers_ciphertext` (AES-256-GCM, lib/crypto/secrets.ts), like `secret_ciphertext`
 *   (Jira: `email:api-token` or a bearer token; Freshservice: the API key; webhook: the HMAC
 *   signing secret). Neither ciphertext is ever returned by the API.
 * - `config` is the kind's field mapping (Jira: project key, issue type, priority names;
 *   Freshservice: group id, priority numbers; Slack: channel), validated by zod in lib/routing.
 * - `retry_limit` retries after the first attempt, the first `retry_delay_s` apart, doubling,
 *   with jitter (pg-boss retryBackoff). Defaults 10 and 10 s: 11 attempts over ≈ 2 h 50 min.
 */
export const externalTargets = pgTable(
  "external_targets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 80 }).notNull(),
    teamSlug: varchar("team_slug", { length: 40 })
      .notNull()
      .references(() => teams.slug, { onUpdate: "cascade", onDelete: "cascade" }),
    kind: varchar("kind", { length: 20 }).$type<TargetKind>().notNull(),
    url: varchar("url", { length: 2000 }).notNull(),
    method: varchar("method", { length: 10 }).$type<TargetMethod>().notNull().default("POST"),
    headerNames: jsonb("header_names").$type<string[]>().notNull().default([]),
    headersCiphertext: text("headers_ciphertext"),
    secretCiphertext: text("secret_ciphertext"),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    priorityThreshold: priorityEnum("priority_threshold").notNull().default("P4"),
    active: boolean("active").notNull().default(true),
    retryLimit: integer("retry_limit").notNull().default(10),
    retryDelayS: integer("retry_delay_s").notNull().default(10),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("external_targets_kind", inList("kind", TARGET_KINDS)),
    check("external_targets_method", inList("method", TARGET_METHODS)),
    check("external_targets_name_not_blank", sql`length(btrim(${t.name})) > 0`),
    check("external_targets_url_http", sql`${t.url} ~ '^https?://'`),
    check("external_targets_retry_limit", sql`${t.retryLimit} BETWEEN 0 AND 50`),
    check("external_targets_retry_delay", sql`${t.retryDelayS} BETWEEN 1 AND 3600`),
    uniqueIndex("external_targets_team_name_unique").on(t.teamSlug, t.name),
    index("external_targets_team_idx").on(t.teamSlug).where(sql`${t.active}`),
  ],
);

/**
 * The record a target holds for a ticket: exactly one per (ticket, target). Written in the
 * transaction that records the successful create push; shown on the ticket page.
 */
export const ticketExternalLinks = pgTable(
  "ticket_external_links",
  {
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    targetId: uuid("target_id")
      .notNull()
      .references(() => externalTargets.id, { onDelete: "cascade" }),
    kind: varchar("kind", { length: 20 }).$type<TargetKind>().notNull(),
    /** The target's id for the record (Jira issue key, Freshservice ticket id); null when it gives none (Slack). */
    externalId: varchar("external_id", { length: 200 }),
    externalUrl: varchar("external_url", { length: 2000 }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("ticket_external_links_unique").on(t.ticketId, t.targetId)],
);

/**
 * One push of one domain event to one target: the durable record behind a `routing.push` job
 * and the dead-letter list. Unique per (target, event), so a redelivered event never pushes twice.
 */
export const externalPushes = pgTable(
  "external_pushes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    targetId: uuid("target_id")
      .notNull()
      .references(() => externalTargets.id, { onDelete: "cascade" }),
    eventId: bigint("event_id", { mode: "number" }).notNull(),
    action: varchar("action", { length: 20 }).$type<PushAction>().notNull(),
    status: varchar("status", { length: 20 }).$type<PushStatus>().notNull().default("pending"),
    /** Attempts made so far (each HTTP call counts one). */
    attempts: integer("attempts").notNull().default(0),
    /** HTTP status of the last attempt; null for a connection error or timeout. */
    lastStatusCode: integer("last_status_code"),
    lastError: varchar("last_error", { length: 2000 }),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [
    check("external_pushes_action", inList("action", PUSH_ACTIONS)),
    check("external_pushes_status", inList("status", PUSH_STATUSES)),
    uniqueIndex("external_pushes_target_event_unique").on(t.targetId, t.eventId),
    index("external_pushes_ticket_idx").on(t.ticketId, t.id),
    index("external_pushes_dead_idx").on(t.lastAttemptAt.desc()).where(sql`${t.status} = 'dead'`),
  ],
);

/**
 * Employee skill profiles (seed 002), imported from `employees` sheets (upserted by e-mail) or
 * edited by admins. Each is linked to an agent user (`user_id`), who is the assignee.
 *
 * - Working hours are `work_start_min`–`work_end_min` (minutes after local midnight) on
 *   `work_days` (ISO weekdays, 1 = Monday) in `time_zone` (IANA).
 * - `max_open_tickets` caps the tickets assigned to them in statuses that keep work open.
 * - `embedding` is the local model's vector of the profile text (`embedding_model` names the
 *   model version; recomputed when it changes).
 */
export const employees = pgTable(
  "employees",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: varchar("email", { length: 254 }).notNull().unique(),
    name: varchar("name", { length: 120 }).notNull(),
    teamSlug: varchar("team_slug", { length: 40 }).references(() => teams.slug, {
      onUpdate: "cascade",
      onDelete: "set null",
    }),
    /** The department or team as the sheet named it. */
    department: varchar("department", { length: 80 }).notNull().default(""),
    skills: text("skills").array().notNull().default(sql`'{}'::text[]`),
    seniority: varchar("seniority", { length: 20 }).$type<Seniority>().notNull().default("mid"),
    maxOpenTickets: integer("max_open_tickets").notNull().default(10),
    timeZone: varchar("time_zone", { length: 64 }).notNull().default("UTC"),
    workStartMin: smallint("work_start_min").notNull().default(540),
    workEndMin: smallint("work_end_min").notNull().default(1020),
    workDays: smallint("work_days").array().notNull().default(sql`'{1,2,3,4,5}'::smallint[]`),
    active: boolean("active").notNull().default(true),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }).unique(),
    embedding: real("embedding").array(),
    embeddingModel: varchar("embedding_model", { length: 80 }),
    sourceUploadId: uuid("source_upload_id").references(() => uploads.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("employees_email_lower", sql`${t.email} = lower(${t.email}) AND position('@' in ${t.email}) > 1`),
    check("employees_name_not_blank", sql`length(btrim(${t.name})) > 0`),
    check("employees_seniority", inList("seniority", SENIORITIES)),
    check("employees_max_open", sql`${t.maxOpenTickets} BETWEEN 0 AND 1000`),
    check("employees_work_minutes", sql`${t.workStartMin} BETWEEN 0 AND 1440 AND ${t.workEndMin} BETWEEN 0 AND 1440`),
    check("employees_skills_count", sql`cardinality(${t.skills}) <= 100`),
    index("employees_team_idx").on(t.teamSlug).where(sql`${t.active}`),
  ],
);

/**
 * Idempotency keys of integration requests (`Idempotency-Key` header, e.g. on
 * POST /api/webhook/ticket): the first response is stored with the request's hash and
 * returned for repeats within 24 h; a different body under the same key is a 409. Scoped per
 * caller (`scope` = API key id or user id) and route.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    scope: varchar("scope", { length: 120 }).notNull(),
    key: varchar("key", { length: 255 }).notNull(),
    /** SHA-256 hex of the canonical request body. */
    requestHash: varchar("request_hash", { length: 64 }).notNull(),
    statusCode: integer("status_code").notNull(),
    response: jsonb("response").$type<unknown>().notNull(),
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id, { onDelete: "set null" }),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("idempotency_keys_scope_key_unique").on(t.scope, t.key),
    index("idempotency_keys_expires_idx").on(t.expiresAt),
  ],
);
