import "server-only";
import { and, desc, eq, gte, ilike, inArray, like, lt, or, sql, type SQL } from "drizzle-orm";
import { stringify } from "csv-stringify/sync";
import type { DbOrTx } from "@/db/client";
import { auditEvents, tickets, triageDecisions, users } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { neutralizeCell } from "@/lib/files/sheets/report";
import { ApiError } from "@/lib/http/errors";
import { isUuid } from "@/lib/ids";
import {
  AUDIT_EXPORT_MAX_ROWS,
  changeSummary,
  type AuditEventDTO,
  type AuditEventsQuery,
  type TriageDecisionDTO,
  type TriageDecisionsQuery,
} from "./schemas";

/*
 * Admin audit queries: audit events (who changed what and when) and triage decisions (what the
 * AI decided), paged by id cursor, newest first, and their CSV exports. Read-only: audit_events
 * is append-only (trigger audit_events_append_only, migration 0015; docs/AUDIT.md).
 */

type Filters<Q> = Omit<Q, "limit" | "cursor" | "format">;

function assertAdmin(principal: Principal): void {
  if (principal.role !== "admin") throw new ApiError("forbidden", "Only admins may read the audit trail");
}

/** `%`, `_` and `\` matched literally in a LIKE pattern. */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const eventColumns = {
  id: auditEvents.id,
  at: auditEvents.at,
  actorType: auditEvents.actorType,
  actorId: auditEvents.actorId,
  actor: auditEvents.actorLabel,
  actorEmail: users.email,
  action: auditEvents.action,
  entityType: auditEvents.entityType,
  entityId: auditEvents.entityId,
  ticketKey: tickets.key,
  ticketTitle: tickets.title,
  before: auditEvents.before,
  after: auditEvents.after,
};

function eventsWhere(q: Filters<AuditEventsQuery>): SQL | undefined {
  const actor = q.actor ? `%${likeEscape(q.actor)}%` : null;
  return and(
    q.ticket ? eq(tickets.key, q.ticket) : undefined,
    actor ? or(eq(auditEvents.actorId, q.actor!), ilike(auditEvents.actorLabel, actor), ilike(users.email, actor)) : undefined,
    q.action ? (q.action.includes(".") ? eq(auditEvents.action, q.action) : like(auditEvents.action, `${likeEscape(q.action)}.%`)) : undefined,
    q.from ? gte(auditEvents.at, new Date(q.from)) : undefined,
    q.to ? lt(auditEvents.at, new Date(q.to)) : undefined,
  );
}

function eventsQuery(db: DbOrTx, where: SQL | undefined, limit: number) {
  return db
    .select(eventColumns)
    .from(auditEvents)
    .leftJoin(tickets, eq(tickets.id, auditEvents.ticketId))
    .leftJoin(users, and(eq(auditEvents.actorType, "user"), sql`${users.id}::text = ${auditEvents.actorId}`))
    .where(where)
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}

type EventRow = Awaited<ReturnType<typeof eventsQuery>>[number];

/**
 * Names of the users whose ids appear as values in the rows' before and after (an assignee,
 * say), keyed by lower-case id, so the summary says "Sam Agent" instead of a uuid. Ids of
 * deleted users stay as they are.
 */
async function userNamesIn(db: DbOrTx, rows: readonly EventRow[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const r of rows)
    for (const side of [r.before, r.after])
      for (const v of Object.values(side ?? {})) if (typeof v === "string" && isUuid(v)) ids.add(v.toLowerCase());
  const names = new Map<string, string>();
  const all = [...ids];
  // In slices, so an export's many ids never exceed PostgreSQL's bind-parameter limit.
  for (let i = 0; i < all.length; i += 1000) {
    const found = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, all.slice(i, i + 1000)));
    for (const u of found) names.set(u.id.toLowerCase(), u.name);
  }
  return names;
}

function toEvent(r: EventRow, names?: ReadonlyMap<string, string>): AuditEventDTO {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actorType: r.actorType,
    actorId: r.actorId,
    actor: r.actor,
    actorEmail: r.actorEmail ?? null,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    ticketKey: r.ticketKey ?? null,
    ticketTitle: r.ticketTitle ?? null,
    before: r.before ?? null,
    after: r.after ?? null,
    summary: changeSummary(r.before ?? null, r.after ?? null, names),
  };
}

/**
 * Audit events (admins), newest first, filtered by ticket key, actor (exact actor id, or the
 * label or the acting user's e-mail contains the text, case-insensitive), action (exact, or an
 * entity prefix such as `ticket` for every `ticket.*`) and time range [from, to); paged by
 * `cursor` (the last id of the previous page).
 * @returns items and `nextCursor` (null on the last page).
 * @throws ApiError 403 for non-admins.
 */
export async function listAuditEvents(
  db: DbOrTx,
  principal: Principal,
  q: Omit<AuditEventsQuery, "format">,
): Promise<{ items: AuditEventDTO[]; nextCursor: string | null }> {
  assertAdmin(principal);
  const found = await eventsQuery(db, and(eventsWhere(q), q.cursor ? lt(auditEvents.id, Number(q.cursor)) : undefined), q.limit + 1);
  const page = found.slice(0, q.limit);
  const names = await userNamesIn(db, page);
  const items = page.map((r) => toEvent(r, names));
  return { items, nextCursor: found.length > q.limit ? String(items[items.length - 1].id) : null };
}

const decisionColumns = {
  id: triageDecisions.id,
  createdAt: triageDecisions.createdAt,
  ticketKey: tickets.key,
  ticketTitle: tickets.title,
  mode: triageDecisions.mode,
  provider: triageDecisions.provider,
  model: triageDecisions.model,
  category: triageDecisions.predictedCategory,
  priority: triageDecisions.predictedPriority,
  team: triageDecisions.predictedTeam,
  confidence: triageDecisions.confidence,
  promptTokens: triageDecisions.promptTokens,
  completionTokens: triageDecisions.completionTokens,
  costUsd: triageDecisions.costUsd,
  latencyMs: triageDecisions.latencyMs,
  fallbackReason: triageDecisions.fallbackReason,
  overriddenBy: triageDecisions.overriddenBy,
  finalCategory: triageDecisions.finalCategory,
  finalPriority: triageDecisions.finalPriority,
  finalTeam: triageDecisions.finalTeam,
};

function decisionsWhere(q: Filters<TriageDecisionsQuery>): SQL | undefined {
  return and(
    q.ticket ? eq(tickets.key, q.ticket) : undefined,
    q.provider ? eq(triageDecisions.provider, q.provider) : undefined,
    q.corrected === "true" ? eq(triageDecisions.overriddenBy, "agent") : undefined,
    q.corrected === "false" ? sql`${triageDecisions.overriddenBy} IS DISTINCT FROM 'agent'` : undefined,
    q.from ? gte(triageDecisions.createdAt, new Date(q.from)) : undefined,
    q.to ? lt(triageDecisions.createdAt, new Date(q.to)) : undefined,
  );
}

function decisionsQuery(db: DbOrTx, where: SQL | undefined, limit: number) {
  return db
    .select(decisionColumns)
    .from(triageDecisions)
    .innerJoin(tickets, eq(tickets.id, triageDecisions.ticketId))
    .where(where)
    .orderBy(desc(triageDecisions.id))
    .limit(limit);
}

type DecisionRow = Awaited<ReturnType<typeof decisionsQuery>>[number];

function toDecision(r: DecisionRow): TriageDecisionDTO {
  return {
    ...r,
    createdAt: r.createdAt.toISOString(),
    confidence: Number(r.confidence),
    costUsd: Number(r.costUsd),
    latencyMs: Number(r.latencyMs),
    overriddenBy: r.overriddenBy ?? null,
    corrected: r.overriddenBy === "agent",
  };
}

/**
 * Triage decisions (admins), newest first, filtered by ticket key, provider, whether an agent
 * corrected them and time range [from, to); paged by `cursor` (the last id of the previous page).
 * @returns items and `nextCursor` (null on the last page).
 * @throws ApiError 403 for non-admins.
 */
export async function listTriageDecisions(
  db: DbOrTx,
  principal: Principal,
  q: Omit<TriageDecisionsQuery, "format">,
): Promise<{ items: TriageDecisionDTO[]; nextCursor: string | null }> {
  assertAdmin(principal);
  const found = await decisionsQuery(db, and(decisionsWhere(q), q.cursor ? lt(triageDecisions.id, Number(q.cursor)) : undefined), q.limit + 1);
  const items = found.slice(0, q.limit).map(toDecision);
  return { items, nextCursor: found.length > q.limit ? String(items[items.length - 1].id) : null };
}

/** Columns of the audit events CSV, in order. */
export const AUDIT_EVENTS_CSV_COLUMNS = ["at", "actor", "actor_email", "actor_type", "action", "entity_type", "entity_id", "ticket", "ticket_title", "changes", "before", "after"] as const;

/** Columns of the triage decisions CSV, in order. */
export const TRIAGE_DECISIONS_CSV_COLUMNS = [
  "created_at",
  "ticket",
  "ticket_title",
  "mode",
  "provider",
  "model",
  "category",
  "priority",
  "team",
  "confidence",
  "prompt_tokens",
  "completion_tokens",
  "cost_usd",
  "latency_ms",
  "fallback_reason",
  "overridden_by",
  "corrected_by_agent",
  "final_category",
  "final_priority",
  "final_team",
] as const;

/** Header + records as CSV: UTF-8 with BOM, CRLF, text quoted (the assistant log's format). */
function toCsv(columns: readonly string[], records: (string | number)[][]): string {
  return stringify([[...columns], ...records], { bom: true, record_delimiter: "\r\n", quoted_string: true });
}

const cell = (v: string | null | undefined): string => (v ? neutralizeCell(v) : "");

/**
 * The audit events as CSV (UTF-8 with BOM, CRLF, every text cell neutralised against formula
 * injection): the filters of {@link listAuditEvents}, newest first, at most
 * {@link AUDIT_EXPORT_MAX_ROWS} rows (`truncated` says when more matched).
 * @throws ApiError 403 for non-admins.
 */
export async function exportAuditEventsCsv(
  db: DbOrTx,
  principal: Principal,
  q: Filters<AuditEventsQuery>,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  assertAdmin(principal);
  const found = await eventsQuery(db, eventsWhere(q), AUDIT_EXPORT_MAX_ROWS + 1);
  const truncated = found.length > AUDIT_EXPORT_MAX_ROWS;
  const rows = found.slice(0, AUDIT_EXPORT_MAX_ROWS);
  const names = await userNamesIn(db, rows);
  const records = rows.map((r) => {
    const e = toEvent(r, names);
    return [
      e.at,
      cell(e.actor),
      cell(e.actorEmail),
      e.actorType,
      cell(e.action),
      cell(e.entityType),
      cell(e.entityId),
      e.ticketKey ?? "",
      cell(e.ticketTitle),
      cell(e.summary),
      e.before ? cell(JSON.stringify(e.before)) : "",
      e.after ? cell(JSON.stringify(e.after)) : "",
    ];
  });
  return { csv: toCsv(AUDIT_EVENTS_CSV_COLUMNS, records), rows: records.length, truncated };
}

/**
 * The triage decisions as CSV (same format as {@link exportAuditEventsCsv}): the filters of
 * {@link listTriageDecisions}, newest first, at most {@link AUDIT_EXPORT_MAX_ROWS} rows.
 * @throws ApiError 403 for non-admins.
 */
export async function exportTriageDecisionsCsv(
  db: DbOrTx,
  principal: Principal,
  q: Filters<TriageDecisionsQuery>,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  assertAdmin(principal);
  const found = await decisionsQuery(db, decisionsWhere(q), AUDIT_EXPORT_MAX_ROWS + 1);
  const truncated = found.length > AUDIT_EXPORT_MAX_ROWS;
  const records = found.slice(0, AUDIT_EXPORT_MAX_ROWS).map((r) => {
    const d = toDecision(r);
    return [
      d.createdAt,
      d.ticketKey,
      cell(d.ticketTitle),
      d.mode,
      cell(d.provider),
      cell(d.model),
      cell(d.category),
      d.priority,
      cell(d.team),
      d.confidence,
      d.promptTokens,
      d.completionTokens,
      d.costUsd,
      d.latencyMs,
      cell(d.fallbackReason),
      d.overriddenBy ?? "",
      d.corrected ? "true" : "false",
      cell(d.finalCategory),
      d.finalPriority,
      cell(d.finalTeam),
    ];
  });
  return { csv: toCsv(TRIAGE_DECISIONS_CSV_COLUMNS, records), rows: records.length, truncated };
}

/** The headers of a CSV download: attachment `<name>-<UTC day>.csv`, row count and truncation flag. */
export function csvDownloadHeaders(name: string, out: { rows: number; truncated: boolean }): Record<string, string> {
  return {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
    "x-row-count": String(out.rows),
    "x-truncated": String(out.truncated),
  };
}
