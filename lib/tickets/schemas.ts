import { z } from "zod";
import { listParam } from "@/lib/http/query";
import { PRIORITIES, SOURCES, STATUSES, WAITING_REASONS } from "@/db/schema/enums";
import { SLA_STATES } from "@/db/schema/sla";
import { COMMENT_MAX, DESCRIPTION_MAX, RESOLUTION_MAX, TITLE_MAX } from "@/db/schema/tickets";

/*
 * One zod schema per payload: the /submit form, the server actions, the route handlers and
 * the OpenAPI document all use these. Objects are strict (unknown keys are a 400).
 * Imported by client components too, so this file must not import server-only modules.
 */

type RefinementCtx = z.core.$RefinementCtx<unknown>;

/** U+0000 anywhere in a string: PostgreSQL text and jsonb cannot store it. */
const NUL = /\u0000/;
const NUL_MESSAGE = "Text must not contain NUL (U+0000) characters";

/**
 * A lone UTF-16 surrogate (U+D800–U+DFFF not in a pair): JSON can carry one (`"\uD800"`), but it
 * is not Unicode text; UTF-8 encoding would turn it into U+FFFD and jsonb refuses it.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATE_MESSAGE = "Text must not contain lone UTF-16 surrogates (U+D800–U+DFFF outside a pair)";

/**
 * A string schema that rejects NUL (U+0000) and lone surrogates with a field-level validation
 * error instead of a database error or a silent U+FFFD. Use it for every free-text input
 * (bodies, queries, forms); chain `.trim()`, `.min()`, `.max()` on it as on `z.string()`.
 */
export function text() {
  return z
    .string()
    .refine((s) => !NUL.test(s), { message: NUL_MESSAGE, abort: true })
    .refine((s) => !LONE_SURROGATE.test(s), { message: LONE_SURROGATE_MESSAGE, abort: true });
}

export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use a slug: lower-case letters, digits and dashes, at most 40 characters");
export const PrioritySchema = z.enum(PRIORITIES).describe("P1 critical, P2 high, P3 medium, P4 low");
export const StatusSchema = z.enum(STATUSES);
export const SourceSchema = z.enum(SOURCES);
export const EmailSchema = text().trim().toLowerCase().max(254).pipe(z.email("Enter a valid e-mail address"));
export const TicketKeySchema = z.string().regex(/^T-[1-9][0-9]{0,15}$/, "Ticket keys look like T-123");

const Title = text()
  .trim()
  .min(3, "The title needs at least 3 characters")
  .max(TITLE_MAX, `The title can have at most ${TITLE_MAX} characters`);
const Description = text()
  .trim()
  .min(10, "Describe the problem in at least 10 characters")
  .max(DESCRIPTION_MAX, `The description can have at most ${DESCRIPTION_MAX} characters`);

/** Deepest nesting of objects/arrays accepted in ticket metadata (the object itself is level 1). */
export const METADATA_MAX_DEPTH = 10;
/** Largest metadata accepted, in bytes of its stored jsonb text (the database CHECK's limit). */
export const METADATA_MAX_BYTES = 32_768;
const METADATA_KEY_MAX = 100;

/**
 * Check free-form JSON without recursion (a 5,000-deep object must not overflow our stack):
 * nesting depth, key length, NUL in keys or strings, and the size PostgreSQL's jsonb text will
 * have (JSON plus the space jsonb prints after each `:` and `,`). Adds zod issues at the path
 * of the first offending value; stops descending past the depth limit.
 */
function checkJsonValue(root: unknown, ctx: RefinementCtx): void {
  const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: root, depth: 1, path: [] }];
  let separators = 0;
  let issues = 0;
  const fail = (path: (string | number)[], message: string) => {
    ctx.addIssue({ code: "custom", message, path, input: undefined });
    issues++;
  };
  while (stack.length && issues < 5) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === "string") {
      if (NUL.test(v)) fail(path, NUL_MESSAGE);
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth > METADATA_MAX_DEPTH) {
      fail(path, `Metadata can be nested at most ${METADATA_MAX_DEPTH} levels deep`);
      continue;
    }
    if (Array.isArray(v)) {
      separators += Math.max(0, v.length - 1);
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, path: [...path, i] });
      continue;
    }
    const keys = Object.keys(v);
    separators += keys.length + Math.max(0, keys.length - 1);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      if (k.length > METADATA_KEY_MAX) fail([...path, k], `Metadata keys can have at most ${METADATA_KEY_MAX} characters`);
      else if (NUL.test(k)) fail([...path, k], NUL_MESSAGE);
      stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1, path: [...path, k] });
    }
  }
  if (issues || stack.length) return;
  const bytes = new TextEncoder().encode(JSON.stringify(root)).length + separators;
  if (bytes > METADATA_MAX_BYTES) fail([], `Metadata can be at most ${METADATA_MAX_BYTES} bytes (it has about ${bytes})`);
}

/** Ids of checked uploads (kind `attachment`, POST /api/uploads then /complete) to attach; at most 10. */
export const AttachmentIdsSchema = z
  .array(z.uuid("Attachment ids are upload ids (UUIDs)"))
  .max(10, "At most 10 attachments")
  .describe("Upload ids of checked attachments (POST /api/uploads, PUT, then /complete)");

/** Ticket metadata: a JSON object, bounded in depth and size, without NUL. */
export const MetadataSchema = z.record(z.string(), z.unknown()).superRefine((v, ctx) => checkJsonValue(v, ctx));

/** POST /api/tickets and the /submit form. */
export const CreateTicketSchema = z.strictObject({
  title: Title,
  description: Description,
  email: EmailSchema.describe("Requester e-mail"),
  priority: PrioritySchema.optional().describe("Overrides the suggested priority"),
  category: SlugSchema.optional().describe("Category slug; overrides the suggested category"),
  team: SlugSchema.optional().describe(
    "Department (assignment group) slug, as GET /api/departments lists them; overrides the team the category routes to",
  ),
  module: SlugSchema.optional(),
  project: SlugSchema.optional(),
  source: SourceSchema.optional().describe("Defaults to api for API calls, web for the form"),
  metadata: MetadataSchema.optional().describe(
    `Free-form JSON object from the integration (≤ ${METADATA_MAX_BYTES} bytes as stored, nesting ≤ ${METADATA_MAX_DEPTH} levels, keys ≤ 100 characters)`,
  ),
  attachmentIds: AttachmentIdsSchema.optional(),
});
export type CreateTicketInput = z.infer<typeof CreateTicketSchema>;

/** POST /api/tickets/classify: suggest without writing. */
export const ClassifySchema = z.strictObject({
  title: text().trim().max(TITLE_MAX).optional(),
  description: text().trim().min(1, "The description is empty").max(DESCRIPTION_MAX),
});
export type ClassifyInput = z.infer<typeof ClassifySchema>;

/** PATCH /api/tickets/{key}: agents change any of these fields; at least one. */
export const UpdateTicketSchema = z
  .strictObject({
    status: StatusSchema.optional(),
    waitingReason: z
      .enum(WAITING_REASONS)
      .optional()
      .describe("With status `waiting` (or on a waiting ticket): on whom it waits. Default `requester`"),
    priority: PrioritySchema.optional(),
    category: SlugSchema.optional(),
    team: SlugSchema.nullable().optional(),
    assignee: z.uuid().nullable().optional().describe("User id of the agent, or null to unassign"),
    resolution: text().trim().min(1).max(RESOLUTION_MAX).nullable().optional(),
    needsReview: z.literal(false).optional().describe("Confirm the triage and take the ticket off the review queue"),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" });
export type UpdateTicketInput = z.infer<typeof UpdateTicketSchema>;

/** POST /api/tickets/{key}/comments. */
export const CreateCommentSchema = z.strictObject({
  body: text().trim().min(1, "The comment is empty").max(COMMENT_MAX),
  internal: z.boolean().default(false).describe("Internal note (agents only) instead of a public reply"),
  attachmentIds: AttachmentIdsSchema.optional(),
  status: StatusSchema.optional().describe(
    "Agents only: then set the ticket to this status (\"send and set status\"), in the same transaction; a refused transition (409) drops the comment too",
  ),
  waitingReason: z.enum(WAITING_REASONS).optional().describe("With status `waiting`: on whom it waits. Default `requester`"),
});
export type CreateCommentInput = z.infer<typeof CreateCommentSchema>;

/**
 * GET /api/tickets query string. `status`, `priority` and `sla` are lists: comma-separated, repeated
 * (`status=new&status=open`), or both; any other parameter given twice is a 400.
 */
export const ListTicketsQuerySchema = z.strictObject({
  status: listParam(StatusSchema, STATUSES.length).optional(),
  priority: listParam(PrioritySchema, PRIORITIES.length).optional(),
  category: SlugSchema.optional(),
  team: SlugSchema.optional().describe("Assignment group slug; none = tickets without a team"),
  assignee: z.union([z.uuid(), z.literal("me"), z.literal("none")]).optional(),
  email: EmailSchema.optional(),
  needsReview: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  waitingReason: z
    .enum(WAITING_REASONS)
    .optional()
    .describe("On whom a waiting ticket waits: requester or third_party; tickets in other statuses never match"),
  createdFrom: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("Created at or after this instant (ISO 8601 with offset, e.g. 2026-11-23T00:00:00Z); inclusive"),
  createdTo: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("Created before this instant (ISO 8601 with offset); exclusive"),
  resolvedFrom: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("Resolved at or after this instant (tickets.resolved_at; ISO 8601 with offset); inclusive"),
  resolvedTo: z.iso.datetime({ offset: true }).optional().describe("Resolved before this instant (ISO 8601 with offset); exclusive"),
  q: text().trim().min(1).max(200).optional().describe("Typo-tolerant full-text search (web-search syntax), requester e-mail or name, or a ticket key"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: text().max(200).optional().describe("nextCursor of the previous page"),
  sla: listParam(z.enum(SLA_STATES), SLA_STATES.length)
    .optional()
    .describe("SLA state(s) now: on_track, at_risk, breached, met, paused (comma list or repeated); tickets without an SLA never match"),
  before: text()
    .max(200)
    .optional()
    .describe("prevCursor of the current page: the page before it (give cursor or before, not both)"),
  tag: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, "Tags are lower-case letters, digits, dots, dashes and underscores, at most 40 characters")
    .optional()
    .describe("Tickets carrying this tag"),
  myTeams: z
    .literal("true")
    .transform(() => true as const)
    .optional()
    .describe("true: tickets of the caller's teams (their team and, if they are an employee, their employee team)"),
  sort: z
    .enum(["created", "updated", "priority", "due"])
    .optional()
    .describe(
      "created (default): newest first; updated: most recently changed first; priority: P1 first, then newest; due: by the active SLA target's due time, soonest first, tickets without one last",
    ),
});
export type ListTicketsQuery = z.infer<typeof ListTicketsQuerySchema>;

const DateOnly = z.iso.date("Use a date like 2026-11-21");

/** Longest stats range, in days (two years, one of them a leap year). */
export const STATS_MAX_RANGE_DAYS = 731;

/**
 * Refinement for a stats query's `from`/`to` (UTC days, inclusive): `from ≤ to`, and at most
 * {@link STATS_MAX_RANGE_DAYS} days, with `to` defaulting to today when only `from` is given.
 * Share it with every stats endpoint (`Schema.superRefine(checkStatsRange)`).
 */
export function checkStatsRange(v: { from?: string; to?: string }, ctx: RefinementCtx): void {
  if (!v.from) return;
  const to = v.to ?? new Date().toISOString().slice(0, 10);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${v.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days < 1) ctx.addIssue({ code: "custom", message: "from must not be after to", path: ["from"], input: v.from });
  else if (days > STATS_MAX_RANGE_DAYS) {
    ctx.addIssue({
      code: "custom",
      message: `The range can span at most ${STATS_MAX_RANGE_DAYS} days (it spans ${days})`,
      path: ["from"],
      input: v.from,
    });
  }
}

/** GET /api/tickets/stats query: UTC calendar days, inclusive; default the last 90 days; at most 731 days. */
export const StatsQuerySchema = z
  .strictObject({ from: DateOnly.optional(), to: DateOnly.optional() })
  .superRefine(checkStatsRange);
export type StatsQuery = z.infer<typeof StatsQuerySchema>;
