import { z } from "zod";
import { TicketKeySchema, text } from "@/lib/tickets/schemas";

/*
 * Query schemas and DTOs of the admin audit page (/admin/audit) and its API
 * (GET /api/admin/audit, GET /api/admin/audit/decisions). Client-safe: the page renders these
 * types; the queries live in lib/audit/admin/queries.ts.
 */

const Instant = z.iso.datetime({ offset: true });
const IdCursor = z.string().regex(/^[1-9][0-9]{0,15}$/, "Use the nextCursor of the previous page");

/** Most rows one CSV export holds; the `X-Truncated: true` header says when more matched (narrow the time range). */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

/**
 * Entity prefixes of the audit actions written by the application (`ticket.created`,
 * `user.invited`, `mailbox.updated`…). An `action` filter must start with one of them.
 */
export const AUDIT_ENTITIES = [
  "attachment",
  "business_calendar",
  "category",
  "comment",
  "employee",
  "employees",
  "external_push",
  "external_target",
  "mail",
  "mailbox",
  "odata_source",
  "rule_set",
  "sla_policy",
  "team",
  "ticket",
  "upload",
  "user",
  "view",
] as const;

const ACTION = /^([a-z_]+)(\.[a-z_]+)?$/;

/** An audit action (`ticket.status_changed`) or a whole entity (`ticket`: every `ticket.*` action). */
export const AuditActionSchema = z
  .string()
  .trim()
  .max(60)
  .refine((v) => {
    const m = ACTION.exec(v);
    return !!m && (AUDIT_ENTITIES as readonly string[]).includes(m[1]);
  }, `Unknown action: use <entity>.<verb> or <entity>, entity one of ${AUDIT_ENTITIES.join(", ")}`);

const fromTo = <T extends { from?: string; to?: string }>(v: T) => !v.from || !v.to || Date.parse(v.from) < Date.parse(v.to);
const fromToIssue = { message: "`from` must be before `to`", path: ["to"] };

/** GET /api/admin/audit: audit events (who changed what and when), newest first. */
export const AuditEventsQuerySchema = z
  .strictObject({
    ticket: TicketKeySchema.optional().describe("Events of this ticket (e.g. T-12)"),
    actor: text().trim().min(1).max(254).optional().describe("Actor id (exact), or the actor's e-mail or label contains this text"),
    action: AuditActionSchema.optional().describe("Action (ticket.status_changed) or entity (ticket = every ticket.* action)"),
    from: Instant.optional().describe("At or after this instant (ISO 8601 with offset)"),
    to: Instant.optional().describe("Before this instant (ISO 8601 with offset)"),
    limit: z.coerce.number().int().min(1).max(200).default(50).describe("Page size, 1-200; default 50 (ignored by format=csv)"),
    cursor: IdCursor.optional().describe("nextCursor of the previous page"),
    format: z.enum(["json", "csv"]).default("json").describe(`csv: a download of up to ${AUDIT_EXPORT_MAX_ROWS.toLocaleString("en")} rows, newest first`),
  })
  .refine(fromTo, fromToIssue);
export type AuditEventsQuery = z.output<typeof AuditEventsQuerySchema>;

/** GET /api/admin/audit/decisions: triage decisions of the AI (and the local model), newest first. */
export const TriageDecisionsQuerySchema = z
  .strictObject({
    ticket: TicketKeySchema.optional().describe("Decisions about this ticket (e.g. T-12)"),
    provider: text().trim().min(1).max(40).optional().describe("Provider (exact, e.g. local, groq, openai)"),
    corrected: z.enum(["true", "false"]).optional().describe("true: only decisions an agent corrected; false: only those not corrected by an agent"),
    from: Instant.optional().describe("Decided at or after this instant (ISO 8601 with offset)"),
    to: Instant.optional().describe("Decided before this instant (ISO 8601 with offset)"),
    limit: z.coerce.number().int().min(1).max(200).default(50).describe("Page size, 1-200; default 50 (ignored by format=csv)"),
    cursor: IdCursor.optional().describe("nextCursor of the previous page"),
    format: z.enum(["json", "csv"]).default("json").describe(`csv: a download of up to ${AUDIT_EXPORT_MAX_ROWS.toLocaleString("en")} rows, newest first`),
  })
  .refine(fromTo, fromToIssue);
export type TriageDecisionsQuery = z.output<typeof TriageDecisionsQuerySchema>;

/** One audit event. Times ISO 8601 (UTC). */
export interface AuditEventDTO {
  id: number;
  at: string;
  actorType: string;
  actorId: string | null;
  /** The actor's label at the time (name, `api-key:<name>`, `anonymous (claimed …)`). */
  actor: string;
  /** The acting user's current e-mail, when the actor is a user. */
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string;
  ticketKey: string | null;
  ticketTitle: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** `field: before → after` per changed field, joined by `; ` (see {@link changeSummary}). */
  summary: string;
}

/** One triage decision. `corrected`: an agent changed what was decided. Times ISO 8601 (UTC). */
export interface TriageDecisionDTO {
  id: number;
  createdAt: string;
  ticketKey: string;
  ticketTitle: string;
  mode: string;
  provider: string;
  model: string;
  category: string;
  priority: string;
  team: string | null;
  /** 0..1. */
  confidence: number;
  promptTokens: number;
  completionTokens: number;
  /** USD. */
  costUsd: number;
  latencyMs: number;
  fallbackReason: string | null;
  overriddenBy: string | null;
  corrected: boolean;
  finalCategory: string;
  finalPriority: string;
  finalTeam: string | null;
}

function show(v: unknown, names?: ReadonlyMap<string, string>): string {
  if (v === null || v === undefined || v === "") return "–";
  if (typeof v === "string" && names?.has(v.toLowerCase())) return names.get(v.toLowerCase())!;
  if (typeof v === "string") return v.length > 80 ? `${v.slice(0, 79)}…` : v;
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

/**
 * What an audit event changed, as text: `field: before → after` for each field whose value
 * differs, `field: value` for fields only set (created) or only cleared (`field: value → –`),
 * joined by `; `. Values are shown as text (JSON for objects), each cut at 80 characters; a
 * value that is a key of `names` (a user id, lower case → the user's name) is shown as the name.
 */
export function changeSummary(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  names?: ReadonlyMap<string, string>,
): string {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys
    .map((k) => {
      const b = before && k in before ? before[k] : undefined;
      const a = after && k in after ? after[k] : undefined;
      if (!before || !(k in before)) return `${k}: ${show(a, names)}`;
      if (JSON.stringify(a) === JSON.stringify(b)) return null;
      return `${k}: ${show(b, names)} → ${show(a, names)}`;
    })
    .filter((s): s is string => s !== null)
    .join("; ");
}

/**
 * A date field's value (`2026-12-01`, a UTC day) as an API instant: the day's start, or with
 * `end` the next day's start (so a `to` day is included). Anything else → undefined.
 */
export function utcDayBound(day: string | undefined, end = false): string | undefined {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (end ? 1 : 0)));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
