import "server-only";
import { and, asc, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { stringify } from "csv-stringify/sync";
import type { DbOrTx } from "@/db/client";
import { chatConversations, chatMessages, tickets, users } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { neutralizeCell } from "@/lib/files/sheets/report";
import { ApiError, notFound } from "@/lib/http/errors";
import {
  AUDIT_CSV_MAX_ROWS,
  type AuditMessageDTO,
  type AuditMessagesQuery,
  type ChatMessageDTO,
  type ConversationDetailDTO,
  type ConversationSummaryDTO,
} from "./history-schemas";
import type { AssistantData, AssistantResponse, Provenance } from "./types";

/*
 * Chat history of the assistant (tables chat_conversations, chat_messages): recording each
 * exchange, the caller's own conversations, and the admins' audit list and CSV export.
 *
 * Who sees what: a conversation belongs to the person who started it (matched by user id, so
 * a person's session and their personal API key share it; integration keys without a user by
 * key id). People list and read only their own; admins may read any one and audit all.
 * Requesters therefore never see agents' chats, on ticket pages or anywhere else.
 */

/** Title of a conversation: the first ~80 characters of its first message, cut at a word. */
export function conversationTitle(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= 80) return flat || "(empty)";
  const cut = flat.slice(0, 79).replace(/\s+\S*$/, "");
  return `${cut.length >= 40 ? cut : flat.slice(0, 79)}…`;
}

/** SQL condition: the conversation belongs to the principal (same user id; keys without a user: same key). */
export function ownedBy(p: Principal): SQL {
  return p.userId ? eq(chatConversations.userId, p.userId) : eq(chatConversations.actorId, p.id);
}

/** `%`, `_` and `\` matched literally in an ILIKE pattern. */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The id of the ticket with this key, or null. */
export async function ticketIdByKey(db: DbOrTx, key: string): Promise<number | null> {
  const [t] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.key, key)).limit(1);
  return t?.id ?? null;
}

/** The input of {@link recordExchange}. */
export interface RecordExchangeInput {
  principal: Principal;
  /** Continue this conversation (must be the principal's own, else 404); default a new one. */
  conversationId?: string;
  /** The ticket the exchange is about (the page it came from, or the ticket the operation touched). */
  ticketId?: number | null;
  userText: string;
  response: Omit<AssistantResponse, "conversationId">;
  provenance: Provenance;
}

/**
 * Store one exchange in one transaction: create the conversation (title from the user text) or
 * continue one of the principal's own (bumping `updated_at`, and linking the ticket when it had
 * none), then insert the user message and the assistant message with op, ok, data and the
 * provenance (provider, model, tokens, cost in USD, latency in ms).
 * @returns the conversation id.
 * @throws ApiError 404 when `conversationId` is not one of the principal's conversations.
 */
export async function recordExchange(db: DbOrTx, input: RecordExchangeInput): Promise<{ conversationId: string }> {
  const { principal: p, response: r, provenance: pv } = input;
  return db.transaction(async (tx) => {
    let conversationId: string;
    let ticketId = input.ticketId ?? null;
    if (input.conversationId) {
      const [c] = await tx
        .update(chatConversations)
        .set({ updatedAt: sql`now()`, ticketId: sql`coalesce(${chatConversations.ticketId}, ${ticketId})` })
        .where(and(eq(chatConversations.id, input.conversationId), ownedBy(p)))
        .returning({ id: chatConversations.id, ticketId: chatConversations.ticketId });
      if (!c) throw notFound("Conversation");
      conversationId = c.id;
      ticketId ??= c.ticketId;
    } else {
      const [c] = await tx
        .insert(chatConversations)
        .values({
          actorType: p.kind,
          actorId: p.id,
          actorLabel: p.label.slice(0, 200),
          userId: p.userId,
          ticketId,
          title: conversationTitle(input.userText).slice(0, 200),
        })
        .returning({ id: chatConversations.id });
      conversationId = c.id;
    }
    const common = { conversationId, actorId: p.id, userId: p.userId, ticketId };
    await tx.insert(chatMessages).values([
      { ...common, role: "user", content: input.userText },
      {
        ...common,
        role: "assistant",
        content: r.message,
        op: r.op,
        ok: r.ok ? "true" : "false",
        data: r.data,
        provider: pv.provider.slice(0, 40),
        model: pv.model?.slice(0, 120) ?? null,
        promptTokens: Math.max(0, Math.round(pv.promptTokens)),
        completionTokens: Math.max(0, Math.round(pv.completionTokens)),
        costUsd: pv.costUsd,
        latencyMs: Math.max(0, Math.round(pv.latencyMs)),
        fallbackReason: pv.fallbackReason?.slice(0, 300) ?? null,
      },
    ]);
    return { conversationId };
  });
}

const messageColumns = {
  id: chatMessages.id,
  role: chatMessages.role,
  content: chatMessages.content,
  op: chatMessages.op,
  ok: chatMessages.ok,
  data: chatMessages.data,
  provider: chatMessages.provider,
  model: chatMessages.model,
  promptTokens: chatMessages.promptTokens,
  completionTokens: chatMessages.completionTokens,
  costUsd: chatMessages.costUsd,
  latencyMs: chatMessages.latencyMs,
  fallbackReason: chatMessages.fallbackReason,
  createdAt: chatMessages.createdAt,
};
type MessageRow = { [K in keyof typeof messageColumns]: (typeof chatMessages.$inferSelect)[K] };

function toMessage(r: MessageRow): ChatMessageDTO {
  return {
    id: r.id,
    role: r.role,
    content: r.content,
    op: r.op,
    ok: r.ok === null ? null : r.ok === "true",
    data: (r.data ?? null) as AssistantData | null,
    provider: r.provider,
    model: r.model,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    costUsd: Number(r.costUsd),
    latencyMs: r.latencyMs,
    fallbackReason: r.fallbackReason,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * The last `limit` messages (default 6) of one of the principal's conversations, oldest first:
 * the context a continued command is interpreted in.
 * @throws ApiError 404 when the conversation is not the principal's.
 */
export async function recentMessages(db: DbOrTx, principal: Principal, conversationId: string, limit = 6): Promise<ChatMessageDTO[]> {
  const [c] = await db
    .select({ id: chatConversations.id })
    .from(chatConversations)
    .where(and(eq(chatConversations.id, conversationId), ownedBy(principal)));
  if (!c) throw notFound("Conversation");
  const found = await db.select(messageColumns).from(chatMessages).where(eq(chatMessages.conversationId, conversationId)).orderBy(desc(chatMessages.id)).limit(limit);
  return found.reverse().map(toMessage);
}

const summaryColumns = {
  id: chatConversations.id,
  title: chatConversations.title,
  ticketKey: tickets.key,
  createdAt: chatConversations.createdAt,
  updatedAt: chatConversations.updatedAt,
  messageCount: sql<number>`(SELECT count(*)::int FROM chat_messages m WHERE m.conversation_id = ${chatConversations.id})`,
  /** updated_at with microseconds, for the cursor (a JS Date keeps milliseconds only). */
  cursorTs: sql<string>`to_char(${chatConversations.updatedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

function toSummary(r: { id: string; title: string; ticketKey: string | null; createdAt: Date; updatedAt: Date; messageCount: number }): ConversationSummaryDTO {
  return {
    id: r.id,
    title: r.title,
    ticketKey: r.ticketKey ?? null,
    messageCount: Number(r.messageCount),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function parseConversationCursor(cursor: string): { ts: string; id: string } {
  const raw = Buffer.from(cursor, "base64url").toString("utf8");
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\|([0-9a-f-]{36})$/.exec(raw);
  if (!m) throw new ApiError("validation_error", "The cursor is invalid: use the nextCursor of the previous page", { issues: [{ path: "cursor", code: "custom", message: "Invalid cursor" }] });
  return { ts: m[1], id: m[2] };
}

/**
 * The principal's own conversations, most recently active first, optionally only those about
 * one ticket (`ticketKey`; an unknown key gives an empty list). Paged by `cursor` (opaque).
 * @returns items and `nextCursor` (null on the last page).
 * @throws ApiError 400 on a malformed cursor.
 */
export async function listConversations(
  db: DbOrTx,
  principal: Principal,
  opts: { ticketKey?: string; limit?: number; cursor?: string } = {},
): Promise<{ items: ConversationSummaryDTO[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 25, 1), 100);
  const after = opts.cursor ? parseConversationCursor(opts.cursor) : null;
  const found = await db
    .select(summaryColumns)
    .from(chatConversations)
    .leftJoin(tickets, eq(tickets.id, chatConversations.ticketId))
    .where(
      and(
        ownedBy(principal),
        opts.ticketKey ? eq(tickets.key, opts.ticketKey) : undefined,
        after ? sql`(${chatConversations.updatedAt}, ${chatConversations.id}) < (${after.ts}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(chatConversations.updatedAt), desc(chatConversations.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toSummary),
    nextCursor: found.length > limit ? Buffer.from(`${last.cursorTs}|${last.id}`, "utf8").toString("base64url") : null,
  };
}

/**
 * One conversation with all its messages, oldest first: the principal's own, or any for admins.
 * @throws ApiError 404 when it does not exist or is someone else's (also for a malformed id).
 */
export async function getConversation(db: DbOrTx, principal: Principal, id: string): Promise<ConversationDetailDTO> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound("Conversation");
  const [c] = await db
    .select({ ...summaryColumns, actorLabel: chatConversations.actorLabel })
    .from(chatConversations)
    .leftJoin(tickets, eq(tickets.id, chatConversations.ticketId))
    .where(and(eq(chatConversations.id, id), principal.role === "admin" ? undefined : ownedBy(principal)));
  if (!c) throw notFound("Conversation");
  const messages = await db.select(messageColumns).from(chatMessages).where(eq(chatMessages.conversationId, id)).orderBy(asc(chatMessages.id));
  return { ...toSummary(c), actorLabel: c.actorLabel, messages: messages.map(toMessage) };
}

function auditWhere(q: Omit<AuditMessagesQuery, "limit" | "cursor" | "format">): SQL | undefined {
  const actor = q.actor ? `%${likeEscape(q.actor)}%` : null;
  return and(
    actor ? or(ilike(chatConversations.actorLabel, actor), ilike(users.email, actor)) : undefined,
    q.ticket ? eq(tickets.key, q.ticket) : undefined,
    q.from ? gte(chatMessages.createdAt, new Date(q.from)) : undefined,
    q.to ? lt(chatMessages.createdAt, new Date(q.to)) : undefined,
    // An op filter keeps the matching answers and the question each one answered.
    q.op
      ? or(
          eq(chatMessages.op, q.op),
          and(
            eq(chatMessages.role, "user"),
            sql`(SELECT a.op FROM chat_messages a WHERE a.conversation_id = ${chatMessages.conversationId} AND a.id > ${chatMessages.id}
                 AND a.role = 'assistant' ORDER BY a.id LIMIT 1) = ${q.op}`,
          ),
        )
      : undefined,
  );
}

function auditQuery(db: DbOrTx, where: SQL | undefined, limit: number) {
  return db
    .select({ ...messageColumns, conversationId: chatMessages.conversationId, actor: chatConversations.actorLabel, ticketKey: tickets.key })
    .from(chatMessages)
    .innerJoin(chatConversations, eq(chatConversations.id, chatMessages.conversationId))
    .leftJoin(users, eq(users.id, chatMessages.userId))
    .leftJoin(tickets, eq(tickets.id, chatMessages.ticketId))
    .where(where)
    .orderBy(desc(chatMessages.id))
    .limit(limit);
}

function assertAdmin(principal: Principal): void {
  if (principal.role !== "admin") throw new ApiError("forbidden", "Only admins may audit assistant messages");
}

/**
 * Every chat message (admins), newest first, filtered by actor (label or user e-mail contains),
 * ticket key, time range [from, to) and op (the answers of that op and the questions they
 * answered); paged by `cursor` (the last id of the previous page).
 * @throws ApiError 403 for non-admins.
 */
export async function listChatMessagesForAudit(
  db: DbOrTx,
  principal: Principal,
  q: Omit<AuditMessagesQuery, "format">,
): Promise<{ items: AuditMessageDTO[]; nextCursor: string | null }> {
  assertAdmin(principal);
  const where = and(auditWhere(q), q.cursor ? lt(chatMessages.id, Number(q.cursor)) : undefined);
  const found = await auditQuery(db, where, q.limit + 1);
  const items = found.slice(0, q.limit).map((r) => ({ ...toMessage(r), conversationId: r.conversationId, actor: r.actor, ticketKey: r.ticketKey ?? null }));
  return { items, nextCursor: found.length > q.limit ? String(items[items.length - 1].id) : null };
}

/** Columns of the audit CSV, in order. */
export const AUDIT_CSV_COLUMNS = [
  "created_at",
  "actor",
  "ticket",
  "role",
  "content",
  "op",
  "ok",
  "provider",
  "model",
  "prompt_tokens",
  "completion_tokens",
  "cost_usd",
  "latency_ms",
  "fallback_reason",
] as const;

/**
 * The audit list as CSV (UTF-8 with BOM, CRLF, text quoted, cells neutralised against formula
 * injection): the same filters as {@link listChatMessagesForAudit}, newest first, at most
 * {@link AUDIT_CSV_MAX_ROWS} rows (`truncated` says when more matched; narrow the time range).
 * @throws ApiError 403 for non-admins.
 */
export async function exportChatMessagesCsv(
  db: DbOrTx,
  principal: Principal,
  q: Omit<AuditMessagesQuery, "format" | "limit" | "cursor">,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  assertAdmin(principal);
  const found = await auditQuery(db, auditWhere(q), AUDIT_CSV_MAX_ROWS + 1);
  const truncated = found.length > AUDIT_CSV_MAX_ROWS;
  const records = found.slice(0, AUDIT_CSV_MAX_ROWS).map((r) => [
    r.createdAt.toISOString(),
    neutralizeCell(r.actor),
    r.ticketKey ?? "",
    r.role,
    neutralizeCell(r.content),
    r.op ?? "",
    r.ok ?? "",
    r.provider ?? "",
    r.model ? neutralizeCell(r.model) : "",
    r.promptTokens,
    r.completionTokens,
    Number(r.costUsd),
    r.latencyMs,
    r.fallbackReason ? neutralizeCell(r.fallbackReason) : "",
  ]);
  const csv = stringify([[...AUDIT_CSV_COLUMNS], ...records], { bom: true, record_delimiter: "\r\n", quoted_string: true });
  return { csv, rows: records.length, truncated };
}
