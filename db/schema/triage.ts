import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  real,
  timestamp,
  varchar,
} from "drizzle-orm/pg-core";
import { overrideByEnum, priorityEnum, triageModeEnum } from "./enums";
import { tickets } from "./tickets";

/**
 * One row per triage decision: what was predicted, by which provider/model, how fast and at
 * what token cost, and whether a requester or agent overrode it. `inputHash` is the SHA-256 of
 * the normalised text the classifier saw, so decisions are reproducible and auditable.
 */
export const triageDecisions = pgTable(
  "triage_decisions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    mode: triageModeEnum("mode").notNull(),
    provider: varchar("provider", { length: 40 }).notNull(),
    model: varchar("model", { length: 120 }).notNull(),
    inputHash: varchar("input_hash", { length: 64 }).notNull(),
    predictedCategory: varchar("predicted_category", { length: 40 }).notNull(),
    predictedPriority: priorityEnum("predicted_priority").notNull(),
    predictedTeam: varchar("predicted_team", { length: 40 }),
    confidence: real("confidence").notNull(),
    alternatives: jsonb("alternatives").$type<{ category: string; confidence: number }[]>().notNull().default([]),
    latencyMs: real("latency_ms").notNull(),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    costUsd: numeric("cost_usd", { precision: 12, scale: 6 }).notNull().default("0"),
    /** Why an LLM decision fell back to the local model (timeout, http_429, invalid_json, …). */
    fallbackReason: varchar("fallback_reason", { length: 200 }),
    /** Which decided the predicted priority: `rules` (ITIL impact × urgency cues, lib/triage/priority.ts) or `llm`. */
    prioritySource: varchar("priority_source", { length: 10 }).notNull().default("rules"),
    overriddenBy: overrideByEnum("overridden_by"),
    finalCategory: varchar("final_category", { length: 40 }).notNull(),
    finalPriority: priorityEnum("final_priority").notNull(),
    finalTeam: varchar("final_team", { length: 40 }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
  },
  (t) => [
    check("triage_decisions_confidence_range", sql`${t.confidence} >= 0 AND ${t.confidence} <= 1`),
    check("triage_decisions_latency_nonneg", sql`${t.latencyMs} >= 0`),
    index("triage_decisions_ticket_idx").on(t.ticketId),
    index("triage_decisions_created_idx").on(t.createdAt),
    index("triage_decisions_reviewed_idx").on(t.reviewedAt.desc()).where(sql`${t.reviewedAt} IS NOT NULL`),
  ],
);

/**
 * Dense text embedding of each ticket (the local model's LSA projection, L2-normalised),
 * stored as real[] (no pgvector on PostgreSQL 15) and compared in-process for "similar
 * tickets". `model` is the model version that produced it; stale rows are re-embedded.
 */
export const ticketEmbeddings = pgTable("ticket_embeddings", {
  ticketId: bigint("ticket_id", { mode: "number" })
    .primaryKey()
    .references(() => tickets.id, { onDelete: "cascade" }),
  model: varchar("model", { length: 64 }).notNull(),
  embedding: real("embedding").array().notNull(),
});
