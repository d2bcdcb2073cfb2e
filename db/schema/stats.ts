import { bigint, date, integer, numeric, pgTable, primaryKey, smallint, varchar } from "drizzle-orm/pg-core";
import { priorityEnum, statusEnum } from "./enums";

/*
 * Stats rollups, kept exact by a trigger on tickets (migration 0001_stats_rollups.sql).
 *
 * The trigger appends signed deltas to the *_deltas tables (insert-only, so concurrent
 * writers never wait on a hot counter row); lib/tickets/stats-rollup.ts folds them into the
 * rollup tables every few seconds, and the stats query reads rollup + pending deltas, so it
 * is exact and current at any moment. Days are UTC calendar days of tickets.created_at.
 */

/** Ticket counts per UTC day of creation and current status/priority/category/team. */
export const ticketDailyCounts = pgTable(
  "ticket_daily_counts",
  {
    day: date("day").notNull(),
    status: statusEnum("status").notNull(),
    priority: priorityEnum("priority").notNull(),
    categorySlug: varchar("category_slug", { length: 40 }).notNull(),
    /** '' when the ticket has no team. */
    teamSlug: varchar("team_slug", { length: 40 }).notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.status, t.priority, t.categorySlug, t.teamSlug] })],
);

export const ticketCountDeltas = pgTable("ticket_count_deltas", {
  day: date("day").notNull(),
  status: statusEnum("status").notNull(),
  priority: priorityEnum("priority").notNull(),
  categorySlug: varchar("category_slug", { length: 40 }).notNull(),
  teamSlug: varchar("team_slug", { length: 40 }).notNull(),
  n: smallint("n").notNull(),
});

/**
 * Histogram of durations (seconds) per UTC creation day. metric 1 = first response,
 * 2 = resolution. Buckets are log-linear with 8 sub-buckets per power of two (≤ 12.5% wide,
 * see sb_duration_bucket); they locate an exact percentile, which is then read from the
 * (duration, created_at) index of tickets.
 */
export const ticketDurationRollup = pgTable(
  "ticket_duration_rollup",
  {
    day: date("day").notNull(),
    metric: smallint("metric").notNull(),
    bucket: smallint("bucket").notNull(),
    n: integer("n").notNull(),
    sumS: bigint("sum_s", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.metric, t.bucket] })],
);

export const ticketDurationDeltas = pgTable("ticket_duration_deltas", {
  day: date("day").notNull(),
  metric: smallint("metric").notNull(),
  bucket: smallint("bucket").notNull(),
  n: smallint("n").notNull(),
  sumS: bigint("sum_s", { mode: "number" }).notNull(),
});

/**
 * Triage decisions per UTC day (of the decision) and provider: how many, how many by an LLM,
 * how many fell back, tokens and estimated cost. Kept by a trigger on triage_decisions through
 * deltas, like the ticket rollups.
 */
export const triageDaily = pgTable(
  "triage_daily",
  {
    day: date("day").notNull(),
    provider: varchar("provider", { length: 40 }).notNull(),
    decisions: integer("decisions").notNull(),
    fallbacks: integer("fallbacks").notNull(),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull(),
    costUsd: numeric("cost_usd", { precision: 14, scale: 6 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.provider] })],
);

export const triageDailyDeltas = pgTable("triage_daily_deltas", {
  day: date("day").notNull(),
  provider: varchar("provider", { length: 40 }).notNull(),
  decisions: integer("decisions").notNull(),
  fallbacks: integer("fallbacks").notNull(),
  promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
  completionTokens: bigint("completion_tokens", { mode: "number" }).notNull(),
  costUsd: numeric("cost_usd", { precision: 14, scale: 6 }).notNull(),
});
