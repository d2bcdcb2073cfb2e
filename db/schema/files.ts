import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { apiKeys, users } from "./users";
import { ticketComments, tickets } from "./tickets";

/**
 * Compliance rule sets defined by admins (lib/files/compliance): required columns, value
 * domains, patterns, ranges, cross-field rules, uniqueness and references into another
 * uploaded sheet. `rules` is validated by the zod schema in lib/files/compliance before it is
 * written; `version` is bumped on every change.
 */
export const complianceRuleSets = pgTable(
  "compliance_rule_sets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 120 }).notNull().unique(),
    description: varchar("description", { length: 2000 }).notNull().default(""),
    rules: jsonb("rules").$type<unknown>().notNull(),
    active: boolean("active").notNull().default(true),
    version: integer("version").notNull().default(1),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("compliance_rule_sets_name_not_blank", sql`length(btrim(${t.name})) > 0`)],
);

/**
 * One uploaded file: a ticket attachment or a sheet (serials, compliance, employees).
 *
 * Life: `pending` (presigned PUT handed out) → `checking` (complete called: HEAD + magic bytes)
 * → attachments: `done`; sheets: `processing` (a durable job parses and checks it, writing
 * `progress` 0–1) → `done` | `failed` (`error` {code, message} says why, shown on the page).
 * The object lives in S3 under `storage_key` (`u/<owner>/<upload id>/<safe file name>`).
 */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: varchar("kind", { length: 20 }).notNull(),
    filename: varchar("filename", { length: 255 }).notNull(),
    /** Content type the client declared and the presigned PUT is bound to. */
    contentType: varchar("content_type", { length: 120 }).notNull(),
    /** Size in bytes the client declared and the presigned PUT is bound to. */
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    /** Type found from the stored object's content (magic bytes), set by the check. */
    sniffedType: varchar("sniffed_type", { length: 120 }),
    storageKey: varchar("storage_key", { length: 512 }).notNull().unique(),
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "set null" }),
    ownerApiKeyId: uuid("owner_api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    ownerLabel: varchar("owner_label", { length: 254 }).notNull(),
    /** The ticket an attachment belongs to (or a sheet was filed for). */
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id, { onDelete: "cascade" }),
    /** The reply an attachment was sent with. */
    commentId: bigint("comment_id", { mode: "number" }).references(() => ticketComments.id, { onDelete: "set null" }),
    /** Compliance sheets: the rule set they are checked against. */
    ruleSetId: uuid("rule_set_id").references(() => complianceRuleSets.id, { onDelete: "set null" }),
    /** Optional name other rule sets use to reference this sheet (e.g. `batch-register`); the newest done upload wins. */
    dataset: varchar("dataset", { length: 80 }),
    status: varchar("status", { length: 20 }).notNull().default("pending"),
    progress: real("progress").notNull().default(0),
    error: jsonb("error").$type<{ code: string; message: string; details?: unknown } | null>(),
    summary: jsonb("summary").$type<Record<string, unknown> | null>(),
    findingsCount: integer("findings_count").notNull().default(0),
    /** Insights text for compliance sheets, and who wrote it (`llm:<model>` or `deterministic`). */
    insights: text("insights"),
    insightsSource: varchar("insights_source", { length: 120 }),
    /** When the presigned PUT stops working. */
    uploadExpiresAt: timestamp("upload_expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    check("uploads_kind", sql`${t.kind} IN ('attachment', 'serials', 'compliance', 'employees')`),
    check("uploads_status", sql`${t.status} IN ('pending', 'checking', 'processing', 'done', 'failed')`),
    check("uploads_progress", sql`${t.progress} >= 0 AND ${t.progress} <= 1`),
    check("uploads_size", sql`${t.sizeBytes} > 0`),
    index("uploads_owner_idx").on(t.ownerUserId, t.createdAt),
    index("uploads_kind_idx").on(t.kind, t.createdAt),
    index("uploads_ticket_idx").on(t.ticketId),
    index("uploads_dataset_idx").on(t.dataset, t.createdAt),
  ],
);

/** Findings of a processed sheet, in file order (`seq`). Row numbers are 1-based as in Excel. */
export const uploadFindings = pgTable(
  "upload_findings",
  {
    uploadId: uuid("upload_id")
      .notNull()
      .references(() => uploads.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    sheet: varchar("sheet", { length: 120 }).notNull(),
    row: integer("row").notNull(),
    column: varchar("column", { length: 255 }),
    code: varchar("code", { length: 60 }).notNull(),
    severity: varchar("severity", { length: 10 }).notNull(),
    message: varchar("message", { length: 1000 }).notNull(),
    value: varchar("value", { length: 1000 }),
  },
  (t) => [
    primaryKey({ columns: [t.uploadId, t.seq] }),
    index("upload_findings_code_idx").on(t.uploadId, t.code, t.seq),
    check("upload_findings_severity", sql`${t.severity} IN ('error', 'warning', 'info')`),
  ],
);

/**
 * Serialised units known to Switchboard (GS1 SGTIN = GTIN + serial, AI (01)+(21)): the first
 * upload that commissioned each one. A later upload commissioning the same GTIN + serial is a
 * `duplicate_serial` finding.
 */
export const serialItems = pgTable(
  "serial_items",
  {
    gtin: varchar("gtin", { length: 14 }).notNull(),
    serial: varchar("serial", { length: 20 }).notNull(),
    lot: varchar("lot", { length: 20 }),
    expiry: date("expiry", { mode: "string" }),
    uploadId: uuid("upload_id")
      .notNull()
      .references(() => uploads.id, { onDelete: "cascade" }),
    row: integer("row").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.gtin, t.serial] }), index("serial_items_upload_idx").on(t.uploadId)],
);

/** EPCIS-style event history of serialised units (business step, event time, location). */
export const serialEvents = pgTable(
  "serial_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    gtin: varchar("gtin", { length: 14 }).notNull(),
    serial: varchar("serial", { length: 20 }).notNull(),
    /** commissioned | packed | shipped | received | dispensed | decommissioned (CBV business steps). */
    event: varchar("event", { length: 20 }).notNull(),
    /** Null when the sheet has no event-time column. */
    eventTime: timestamp("event_time", { withTimezone: true }),
    location: varchar("location", { length: 200 }),
    uploadId: uuid("upload_id")
      .notNull()
      .references(() => uploads.id, { onDelete: "cascade" }),
    row: integer("row").notNull(),
  },
  (t) => [index("serial_events_item_idx").on(t.gtin, t.serial, t.eventTime), index("serial_events_upload_idx").on(t.uploadId)],
);
