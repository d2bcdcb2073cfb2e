import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, numeric, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { actorTypeEnum } from "./enums";
import { tickets } from "./tickets";
import { users } from "./users";

/** Who wrote a chat message: the person (or integration), or the assistant. */
export const CHAT_ROLES = ["user", "assistant"] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

/**
 * One assistant conversation (seed 000 "chat history per user"): the command bar's exchanges,
 * or the per-ticket assistant's, owned by the user or API key that started it. `ticketId` is
 * set when it was started on a ticket page (or about one ticket: `POST /api/assistant` with
 * `ticketKey`). Requesters never see agents' conversations; admins audit all of them.
 */
export const chatConversations = pgTable(
  "chat_conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actorType: actorTypeEnum("actor_type").notNull(),
    /** User id (sessions) or API key id. */
    actorId: uuid("actor_id").notNull(),
    actorLabel: varchar("actor_label", { length: 200 }).notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    ticketId: integer("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    /** First words of the first message. */
    title: varchar("title", { length: 200 }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("chat_conversations_actor_idx").on(t.actorId, t.updatedAt.desc()),
    index("chat_conversations_ticket_idx").on(t.ticketId, t.updatedAt.desc()),
    index("chat_conversations_updated_idx").on(t.updatedAt.desc()),
  ],
);

/**
 * One message of a conversation, kept for audit (seed 000 "logged for audit"): what was asked,
 * what the assistant answered (`content` is the answer's text; `op` and `data` its typed result,
 * as the API returned it), and, for answers, how: `provider` (`grammar`, `templates`, or the LLM
 * provider), model, tokens, cost (USD) and latency (ms).
 */
export const chatMessages = pgTable(
  "chat_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => chatConversations.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    ticketId: integer("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    role: varchar("role", { length: 16 }).$type<ChatRole>().notNull(),
    content: text("content").notNull(),
    /** The operation (create, update, list, suggest, help…); null on user messages. */
    op: varchar("op", { length: 40 }),
    ok: varchar("ok", { length: 5 }).$type<"true" | "false">(),
    data: jsonb("data"),
    provider: varchar("provider", { length: 40 }),
    model: varchar("model", { length: 120 }),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    costUsd: numeric("cost_usd", { precision: 12, scale: 6, mode: "number" }).notNull().default(0),
    latencyMs: integer("latency_ms").notNull().default(0),
    /** Why the LLM did not answer and the grammar did (`groq:timeout`), or why its answer was refused. */
    fallbackReason: varchar("fallback_reason", { length: 300 }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("chat_messages_role", sql`${t.role} IN ('user', 'assistant')`),
    index("chat_messages_conversation_idx").on(t.conversationId, t.id),
    index("chat_messages_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("chat_messages_actor_idx").on(t.actorId, t.createdAt.desc()),
  ],
);
