import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { priorityEnum, type Priority, type WaitingReason } from "./enums";
import { categories, teams } from "./reference";
import { tickets } from "./tickets";
import { users } from "./users";

const inList = (col: string, values: readonly string[]) => sql.raw(`${col} IN (${values.map((v) => `'${v}'`).join(", ")})`);

/** The targets an SLA policy sets (ITIL: response and resolution targets). */
export const SLA_TARGETS = ["first_response", "next_response", "resolution"] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/** `warning`: the at-risk threshold was crossed; `breach`: the due time passed unmet. */
export const SLA_LEVELS = ["warning", "breach"] as const;
export type SlaLevel = (typeof SLA_LEVELS)[number];

/** A ticket's SLA state as the API shows it (lib/sla/state.ts computes it at read time). */
export const SLA_STATES = ["on_track", "at_risk", "breached", "met", "paused"] as const;
export type SlaState = (typeof SLA_STATES)[number];

/**
 * Working hours of one ISO weekday (1 = Monday … 7 = Sunday): a list of [start, end) intervals
 * in minutes after local midnight, e.g. `[[540, 720], [780, 1020]]` for 9–12 and 13–17 (a split
 * shift). An end of 1440 means midnight. Days missing from the map are closed.
 */
export type WeeklyHours = Partial<Record<"1" | "2" | "3" | "4" | "5" | "6" | "7", Array<[number, number]>>>;

/**
 * Business-hours calendars. `always_open` = 24×7 (hours and holidays ignored). Otherwise the
 * clock runs only inside `hours` in `time_zone` (IANA), on days that are not holidays.
 */
export const businessCalendars = pgTable(
  "business_calendars",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 80 }).notNull().unique(),
    timeZone: varchar("time_zone", { length: 64 }).notNull().default("UTC"),
    alwaysOpen: boolean("always_open").notNull().default(false),
    hours: jsonb("hours").$type<WeeklyHours>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("business_calendars_name_not_blank", sql`length(btrim(${t.name})) > 0`)],
);

/** Holidays of a calendar: whole local days on which its clock does not run. */
export const calendarHolidays = pgTable(
  "calendar_holidays",
  {
    calendarId: uuid("calendar_id")
      .notNull()
      .references(() => businessCalendars.id, { onDelete: "cascade" }),
    /** The local date (in the calendar's time zone). */
    day: date("day", { mode: "string" }).notNull(),
    name: varchar("name", { length: 120 }).notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.day] })],
);

/**
 * What happens when a target is breached (`sla_policies.escalation`), all optional:
 * `raisePriority` moves the ticket one step up (P4→P3…, never above P1); `reassignTo` = `lead`
 * assigns it to the team's lead, `team` moves it to `teamSlug` (unassigned).
 */
export interface SlaEscalation {
  raisePriority?: boolean;
  reassignTo?: "lead" | "team" | null;
  teamSlug?: string | null;
}

/**
 * SLA policies. One applies to each ticket: those whose priority equals the ticket's and whose
 * set narrowing fields (category, team, organisation = requester e-mail domain) all equal the
 * ticket's are candidates; the most specific wins (lib/sla/policies.ts `pickPolicy`: more
 * narrowing fields first, then organisation > category > team, then the oldest).
 * Targets are business seconds on `calendar_id`; `next_response_s` (optional) runs after each
 * requester message. `pause_on` lists the waiting reasons that stop the clock.
 */
export const slaPolicies = pgTable(
  "sla_policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 80 }).notNull().unique(),
    priority: priorityEnum("priority").$type<Priority>().notNull(),
    categorySlug: varchar("category_slug", { length: 40 }).references(() => categories.slug, { onUpdate: "cascade", onDelete: "cascade" }),
    teamSlug: varchar("team_slug", { length: 40 }).references(() => teams.slug, { onUpdate: "cascade", onDelete: "cascade" }),
    /** Requester organisation: the e-mail domain, lower case (`example.com`). */
    orgDomain: varchar("org_domain", { length: 253 }),
    calendarId: uuid("calendar_id")
      .notNull()
      .references(() => businessCalendars.id, { onDelete: "restrict" }),
    firstResponseS: integer("first_response_s").notNull(),
    resolutionS: integer("resolution_s").notNull(),
    nextResponseS: integer("next_response_s"),
    pauseOn: text("pause_on").array().$type<WaitingReason[]>().notNull().default(sql`'{requester,third_party}'::text[]`),
    /** Share of the allowed business time after which a target is at risk (and warned), in %. */
    atRiskPct: smallint("at_risk_pct").notNull().default(80),
    escalation: jsonb("escalation").$type<SlaEscalation>().notNull().default({}),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("sla_policies_targets", sql`${t.firstResponseS} > 0 AND ${t.resolutionS} > 0 AND (${t.nextResponseS} IS NULL OR ${t.nextResponseS} > 0)`),
    check("sla_policies_at_risk_pct", sql`${t.atRiskPct} BETWEEN 1 AND 99`),
    check("sla_policies_org_lower", sql`${t.orgDomain} IS NULL OR ${t.orgDomain} = lower(${t.orgDomain})`),
    uniqueIndex("sla_policies_scope_unique").on(
      t.priority,
      sql`coalesce(${t.categorySlug}, '')`,
      sql`coalesce(${t.teamSlug}, '')`,
      sql`coalesce(${t.orgDomain}, '')`,
    ),
  ],
);

/**
 * A ticket's SLA clock (one row per ticket with a policy), kept by lib/sla/clock-service.ts in
 * the transaction of every change that moves it (create, priority/category/team change, pause,
 * resume, first response, requester message, resolve, reopen).
 * - `*_target_s`: the policy's targets when applied (business s); `*_due_at`: wall-clock due
 *   times; `*_warn_at`: when `at_risk_pct` of the target is used.
 * - `first_response_at`/`resolved_at` live on tickets; `*_met_at`/`*_business_s` record
 *   when a target was met and the business seconds it took.
 * - `paused_at`: the clock stopped (a waiting reason the policy pauses on); `paused_business_s`:
 *   business seconds spent paused so far, added to the targets when due times are recomputed.
 * - `next_check_at`: the earliest warn/due time not yet acted on (null when nothing is left or
 *   while paused); the breach sweep reads `next_check_at <= now` through a partial index, so its
 *   cost follows the tickets coming due, not the table size.
 * - `next_response_cycle`: counts requester messages that started a next-response clock.
 */
export const ticketSlas = pgTable(
  "ticket_slas",
  {
    ticketId: bigint("ticket_id", { mode: "number" })
      .primaryKey()
      .references(() => tickets.id, { onDelete: "cascade" }),
    policyId: uuid("policy_id").references(() => slaPolicies.id, { onDelete: "set null" }),
    policyName: varchar("policy_name", { length: 80 }).notNull(),
    calendarId: uuid("calendar_id").references(() => businessCalendars.id, { onDelete: "set null" }),
    atRiskPct: smallint("at_risk_pct").notNull().default(80),
    firstResponseTargetS: integer("first_response_target_s").notNull(),
    resolutionTargetS: integer("resolution_target_s").notNull(),
    nextResponseTargetS: integer("next_response_target_s"),
    firstResponseDueAt: timestamp("first_response_due_at", { withTimezone: true }).notNull(),
    firstResponseWarnAt: timestamp("first_response_warn_at", { withTimezone: true }).notNull(),
    resolutionDueAt: timestamp("resolution_due_at", { withTimezone: true }).notNull(),
    resolutionWarnAt: timestamp("resolution_warn_at", { withTimezone: true }).notNull(),
    nextResponseDueAt: timestamp("next_response_due_at", { withTimezone: true }),
    nextResponseWarnAt: timestamp("next_response_warn_at", { withTimezone: true }),
    nextResponseStartedAt: timestamp("next_response_started_at", { withTimezone: true }),
    nextResponseCycle: integer("next_response_cycle").notNull().default(0),
    firstResponseMetAt: timestamp("first_response_met_at", { withTimezone: true }),
    firstResponseBusinessS: integer("first_response_business_s"),
    resolutionMetAt: timestamp("resolution_met_at", { withTimezone: true }),
    resolutionBusinessS: integer("resolution_business_s"),
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    pausedBusinessS: integer("paused_business_s").notNull().default(0),
    nextCheckAt: timestamp("next_check_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("ticket_slas_next_check_idx").on(t.nextCheckAt).where(sql`${t.nextCheckAt} IS NOT NULL`),
    index("ticket_slas_resolution_due_idx").on(t.resolutionDueAt).where(sql`${t.resolutionMetAt} IS NULL`),
    index("ticket_slas_first_response_due_idx").on(t.firstResponseDueAt).where(sql`${t.firstResponseMetAt} IS NULL`),
  ],
);

/**
 * Warnings and breaches, one row per (ticket, target, level, cycle): the unique key is what
 * makes the sweep act exactly once even when two instances sweep together. Kept for
 * reporting (breaches per day, met %), so history is never recomputed. `priority` and
 * `team_slug` are the ticket's when it happened.
 */
export const slaBreaches = pgTable(
  "sla_breaches",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    target: varchar("target", { length: 20 }).$type<SlaTarget>().notNull(),
    level: varchar("level", { length: 10 }).$type<SlaLevel>().notNull(),
    cycle: integer("cycle").notNull().default(0),
    policyId: uuid("policy_id").references(() => slaPolicies.id, { onDelete: "set null" }),
    priority: priorityEnum("priority").$type<Priority>().notNull(),
    teamSlug: varchar("team_slug", { length: 40 }),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    /** When the sweep saw it (the breach time for reporting). */
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    /** What the escalation did: `{raisedPriority?: {from, to}, reassigned?: {...}, notified: [...]}`. */
    actions: jsonb("actions").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    check("sla_breaches_target", inList("target", SLA_TARGETS)),
    check("sla_breaches_level", inList("level", SLA_LEVELS)),
    uniqueIndex("sla_breaches_once").on(t.ticketId, t.target, t.level, t.cycle),
    index("sla_breaches_occurred_idx").on(t.occurredAt),
  ],
);

/** OData protocol versions served by SAP Gateway / S/4HANA. */
export const ODATA_VERSIONS = ["v2", "v4"] as const;
export type ODataVersion = (typeof ODATA_VERSIONS)[number];
export const ODATA_AUTH_KINDS = ["none", "basic", "bearer"] as const;
export type ODataAuthKind = (typeof ODATA_AUTH_KINDS)[number];

/**
 * How an OData record becomes a ticket (`odata_sources.mapping`): property names of the
 * entity for each ticket field; `priorityMap` maps the record's values (e.g. SAP `1`–`4` or
 * `VERY_HIGH`) to P1–P4 (`defaultPriority` otherwise); `closed` drops records whose property
 * `field` has one of `values`; `changedAt` names the changed-at property for delta pulls.
 */
export interface ODataMapping {
  title: string;
  description?: string | null;
  priority?: string | null;
  externalId: string;
  changedAt?: string | null;
  priorityMap?: Record<string, Priority>;
  defaultPriority?: Priority;
  closed?: { field: string; values: string[] } | null;
}

/**
 * OData sources (seed 000 proactive monitoring): an entity set pulled on a schedule, each
 * record becoming a ticket with source `odata`. The secret (basic `user:password` or bearer
 * token) is AES-256-GCM in `secret_ciphertext` (lib/crypto/secrets.ts), never returned.
 */
export const odataSources = pgTable(
  "odata_sources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 80 }).notNull().unique(),
    version: varchar("version", { length: 4 }).$type<ODataVersion>().notNull(),
    baseUrl: varchar("base_url", { length: 2000 }).notNull(),
    entitySet: varchar("entity_set", { length: 200 }).notNull(),
    filter: varchar("filter", { length: 2000 }),
    select: varchar("select", { length: 2000 }),
    authKind: varchar("auth_kind", { length: 10 }).$type<ODataAuthKind>().notNull().default("none"),
    username: varchar("username", { length: 200 }),
    secretCiphertext: text("secret_ciphertext"),
    sapClient: varchar("sap_client", { length: 3 }),
    sapLanguage: varchar("sap_language", { length: 8 }),
    mapping: jsonb("mapping").$type<ODataMapping>().notNull(),
    categorySlug: varchar("category_slug", { length: 40 }).references(() => categories.slug, { onUpdate: "cascade", onDelete: "set null" }),
    teamSlug: varchar("team_slug", { length: 40 }).references(() => teams.slug, { onUpdate: "cascade", onDelete: "set null" }),
    /** Pull every N minutes. */
    intervalMin: integer("interval_min").notNull().default(15),
    /** Stakeholders who get each run's report by mail. */
    reportTo: text("report_to").array().notNull().default(sql`'{}'::text[]`),
    active: boolean("active").notNull().default(true),
    /** Highest changed-at value seen (ISO), for the next delta filter. */
    deltaCursor: varchar("delta_cursor", { length: 64 }),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("odata_sources_version", inList("version", ODATA_VERSIONS)),
    check("odata_sources_auth_kind", inList("auth_kind", ODATA_AUTH_KINDS)),
    check("odata_sources_url_http", sql`${t.baseUrl} ~ '^https?://'`),
    check("odata_sources_interval", sql`${t.intervalMin} BETWEEN 1 AND 10080`),
    index("odata_sources_due_idx").on(t.nextRunAt).where(sql`${t.active}`),
  ],
);

/** Runs of an OData pull, with their report. `status`: running | succeeded | failed. */
export const odataRuns = pgTable(
  "odata_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => odataSources.id, { onDelete: "cascade" }),
    status: varchar("status", { length: 12 }).notNull().default("running"),
    trigger: varchar("trigger", { length: 12 }).notNull().default("schedule"),
    fetched: integer("fetched").notNull().default(0),
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    /** `[{externalId?, message, attempt?, status?}]`: per-record and per-request errors (an OData error body's message as served). */
    errors: jsonb("errors").$type<Array<Record<string, unknown>>>().notNull().default([]),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    check("odata_runs_status", inList("status", ["running", "succeeded", "failed"])),
    index("odata_runs_source_idx").on(t.sourceId, t.startedAt.desc()),
  ],
);

/**
 * One row per (source, external id): the ticket a record made and the hash of its mapped
 * fields; the unique key makes a record create one ticket across runs and instances.
 */
export const odataRecords = pgTable(
  "odata_records",
  {
    sourceId: uuid("source_id")
      .notNull()
      .references(() => odataSources.id, { onDelete: "cascade" }),
    externalId: varchar("external_id", { length: 200 }).notNull(),
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id, { onDelete: "set null" }),
    contentHash: varchar("content_hash", { length: 64 }).notNull(),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.externalId] })],
);
