import { z } from "zod";
import { TicketKeySchema, text } from "@/lib/tickets/schemas";
import type { ChatRole } from "@/db/schema/assistant";
import type { AssistantData } from "./types";

/*
 * Query schemas and DTOs of the assistant's history API: GET /api/assistant/conversations,
 * GET /api/assistant/conversations/{id}, GET /api/admin/assistant/messages. Client-safe (the
 * history pages render these types); the queries live in lib/assistant/history.ts.
 */

const Instant = z.iso.datetime({ offset: true });
const IdCursor = z.string().regex(/^[1-9][0-9]{0,15}$/, "Use the nextCursor of the previous page");

/** GET /api/assistant/conversations: the caller's own conversations, most recently active first. */
export const ListConversationsQuerySchema = z.strictObject({
  ticket: TicketKeySchema.optional().describe("Only conversations about this ticket (e.g. T-12)"),
  limit: z.coerce.number().int().min(1).max(100).default(25).describe("Page size, 1-100; default 25"),
  cursor: text().max(200).optional().describe("nextCursor of the previous page"),
});
export type ListConversationsQuery = z.output<typeof ListConversationsQuerySchema>;

/** Most rows a CSV export holds; the `X-Truncated` header says when more matched. */
export const AUDIT_CSV_MAX_ROWS = 50_000;

/** GET /api/admin/assistant/messages: every chat message (admins), newest first. */
export const AuditMessagesQuerySchema = z
  .strictObject({
    actor: text().trim().min(1).max(254).optional().describe("Actor label or user e-mail contains this text"),
    ticket: TicketKeySchema.optional().describe("Messages about this ticket (e.g. T-12)"),
    from: Instant.optional().describe("Created at or after (ISO 8601)"),
    to: Instant.optional().describe("Created before (ISO 8601)"),
    op: text().trim().min(1).max(40).optional().describe("Operation of the answer (create, list, bulk, clarify…)"),
    limit: z.coerce.number().int().min(1).max(200).default(50).describe("Page size, 1-200; default 50 (ignored by format=csv)"),
    cursor: IdCursor.optional().describe("nextCursor of the previous page"),
    format: z.enum(["json", "csv"]).default("json").describe(`csv: a download of up to ${AUDIT_CSV_MAX_ROWS.toLocaleString("en")} rows, newest first`),
  })
  .refine((v) => !v.from || !v.to || v.from < v.to, { message: "`from` must be before `to`", path: ["to"] });
export type AuditMessagesQuery = z.output<typeof AuditMessagesQuerySchema>;

/** One conversation in a list. Times ISO 8601 (UTC). */
export interface ConversationSummaryDTO {
  id: string;
  title: string;
  /** The ticket it is about (`T-12`), when it was started on or about one. */
  ticketKey: string | null;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

/** One stored message. `op`, `ok`, `data` and the provenance fields are null/0 on user messages. */
export interface ChatMessageDTO {
  id: number;
  role: ChatRole;
  content: string;
  op: string | null;
  ok: boolean | null;
  data: AssistantData | null;
  provider: string | null;
  model: string | null;
  promptTokens: number;
  completionTokens: number;
  /** USD. */
  costUsd: number;
  latencyMs: number;
  /** Why the LLM did not answer (the grammar did) or why its answer was refused; null otherwise. */
  fallbackReason: string | null;
  createdAt: string;
}

/** A conversation with all its messages, oldest first. */
export interface ConversationDetailDTO extends ConversationSummaryDTO {
  actorLabel: string;
  messages: ChatMessageDTO[];
}

/** One row of the admin audit list: the message with who and which ticket. */
export interface AuditMessageDTO extends ChatMessageDTO {
  conversationId: string;
  actor: string;
  ticketKey: string | null;
}
