import { z } from "zod";
import { PRIORITIES, STATUSES, WAITING_REASONS } from "@/db/schema/enums";
import { SLA_STATES } from "@/db/schema/sla";
import { COMMENT_MAX, RESOLUTION_MAX, TITLE_MAX, DESCRIPTION_MAX } from "@/db/schema/tickets";
import { EmailSchema, PrioritySchema, SlugSchema, StatusSchema, TicketKeySchema, text } from "@/lib/tickets/schemas";

/*
 * The assistant's typed operations: ONE zod schema per operation, shared by the deterministic
 * grammar (lib/assistant/grammar), the LLM tool definitions (lib/assistant/llm, JSON Schema via
 * z.toJSONSchema), the executor (lib/assistant/execute) and the OpenAPI document. Whatever
 * produced an operation, it is parsed with {@link AssistantOpSchema} before it runs, and it
 * runs through the ticket services with the caller's permissions.
 *
 * Client-safe: no server-only imports (the command bar renders results with these types).
 */

/** Free text of a command: 1–2,000 characters, no NUL. */
export const COMMAND_MAX = 2000;

/** "me", "none" (unassigned), or a person as typed: a name, first name or e-mail (resolved by the executor). */
export const AssigneeRefSchema = z.union([z.literal("me"), z.literal("none"), text().trim().min(1).max(254)]);

/** ISO 8601 date-time with offset (`2026-11-30T00:00:00.000Z`). */
const Instant = z.iso.datetime({ offset: true });

/**
 * Which tickets a list, count or bulk operation means. Every field narrows (AND). Statuses and
 * priorities are lists (OR within the list). `createdFrom` inclusive, `createdTo` exclusive.
 * Visibility is applied on top by the executor (requesters: only their own confirmed tickets).
 */
export const TicketFilterSchema = z.strictObject({
  status: z.array(StatusSchema).min(1).max(STATUSES.length).optional(),
  priority: z.array(PrioritySchema).min(1).max(PRIORITIES.length).optional(),
  category: SlugSchema.optional(),
  team: SlugSchema.optional(),
  assignee: AssigneeRefSchema.optional(),
  waitingReason: z.enum(WAITING_REASONS).optional(),
  /** Requester e-mail, or "me" for the caller's own tickets. */
  requester: z.union([z.literal("me"), EmailSchema]).optional(),
  needsReview: z.boolean().optional(),
  sla: z.array(z.enum(SLA_STATES)).min(1).max(SLA_STATES.length).optional(),
  createdFrom: Instant.optional(),
  createdTo: Instant.optional(),
  /** Full-text words (web-search syntax). */
  q: text().trim().min(1).max(200).optional(),
});
export type TicketFilter = z.infer<typeof TicketFilterSchema>;

const Key = TicketKeySchema.describe("Ticket key, e.g. T-12");

/** "create ticket for API timeouts in production, high priority [for jo@example.com]". */
export const CreateOpSchema = z.strictObject({
  op: z.literal("create"),
  title: text().trim().min(3).max(TITLE_MAX),
  /** Defaults to the title when the command gives no more detail. */
  description: text().trim().max(DESCRIPTION_MAX).optional(),
  priority: PrioritySchema.optional(),
  category: SlugSchema.optional(),
  team: SlugSchema.optional(),
  /** Requester e-mail named in the text ("for jo@example.com"); staff only. */
  requester: EmailSchema.optional(),
});

/** "update T-12 to in progress, investigating the load balancer": fields plus an optional internal note. */
export const UpdateOpSchema = z
  .strictObject({
    op: z.literal("update"),
    key: Key,
    status: StatusSchema.optional(),
    waitingReason: z.enum(WAITING_REASONS).optional(),
    priority: PrioritySchema.optional(),
    category: SlugSchema.optional(),
    team: SlugSchema.optional(),
    /** Text after the change ("investigating the load balancer"): added as an internal note. */
    note: text().trim().min(1).max(COMMENT_MAX).optional(),
  })
  .refine((v) => v.status || v.waitingReason || v.priority || v.category || v.team || v.note, {
    message: "Say what to change: a status, priority, category, team or a note",
  });

/** "assign T-12 to maria", "take T-12" (assignee "me"), "unassign T-12" (assignee "none"). */
export const AssignOpSchema = z.strictObject({ op: z.literal("assign"), key: Key, assignee: AssigneeRefSchema });

/** "reply to T-12: …" (public) or "note on T-12: waiting for the vendor" (internal). */
export const CommentOpSchema = z.strictObject({
  op: z.literal("comment"),
  key: Key,
  body: text().trim().min(1).max(COMMENT_MAX),
  internal: z.boolean(),
});

/** "close T-7, replaced the switch", "resolve T-7 …": status resolved or closed, with the resolution. */
export const ResolveOpSchema = z.strictObject({
  op: z.literal("resolve"),
  key: Key,
  status: z.enum(["resolved", "closed"]),
  resolution: text().trim().min(1).max(RESOLUTION_MAX).optional(),
});

/** "show T-12". */
export const ShowOpSchema = z.strictObject({ op: z.literal("show"), key: Key });

/** "show open high priority tickets", "my tickets waiting on the requester", "P1s opened this week". */
export const ListOpSchema = z.strictObject({
  op: z.literal("list"),
  filter: TicketFilterSchema,
  sort: z.enum(["created", "due"]).optional(),
  limit: z.number().int().min(1).max(50).optional(),
});

/** "how many P1s this week?" (metric tickets, with a filter), "breaches today" (metric breaches). */
export const StatsOpSchema = z.strictObject({
  op: z.literal("stats"),
  metric: z.enum(["tickets", "breaches"]),
  filter: TicketFilterSchema.optional(),
  /** For breaches: the time range [from, to). Tickets use filter.createdFrom/createdTo. */
  from: Instant.optional(),
  to: Instant.optional(),
});

/** The change a bulk operation makes to every matching ticket. */
export const BulkActionSchema = z
  .strictObject({
    status: StatusSchema.optional(),
    waitingReason: z.enum(WAITING_REASONS).optional(),
    priority: PrioritySchema.optional(),
    assignee: AssigneeRefSchema.optional(),
    /** Resolution for resolved/closed, else an internal note. */
    note: text().trim().min(1).max(COMMENT_MAX).optional(),
  })
  .refine((v) => v.status || v.priority || v.assignee || v.waitingReason, { message: "Say what to change on the tickets" });

/** "close all my waiting tickets": always shown first and run only after confirmation. */
export const BulkOpSchema = z.strictObject({
  op: z.literal("bulk"),
  filter: TicketFilterSchema,
  action: BulkActionSchema,
});

/**
 * Admins only: "create category Printers for team hardware" (lib/admin/categories.ts
 * createCategory, which refuses non-admins with 403). The slug is derived from the name when
 * not given.
 */
export const CreateCategoryOpSchema = z.strictObject({
  op: z.literal("create_category"),
  name: text().trim().min(2).max(80),
  slug: SlugSchema.optional(),
  team: SlugSchema,
});

/** "help", or input the assistant did not understand. */
export const HelpOpSchema = z.strictObject({ op: z.literal("help") });

/** Every operation the assistant can run. */
export const AssistantOpSchema = z.discriminatedUnion("op", [
  CreateOpSchema,
  UpdateOpSchema,
  AssignOpSchema,
  CommentOpSchema,
  ResolveOpSchema,
  ShowOpSchema,
  ListOpSchema,
  StatsOpSchema,
  BulkOpSchema,
  CreateCategoryOpSchema,
  HelpOpSchema,
]);
export type AssistantOp = z.infer<typeof AssistantOpSchema>;
export type AssistantOpName = AssistantOp["op"];
export const ASSISTANT_OP_NAMES = ["create", "update", "assign", "comment", "resolve", "show", "list", "stats", "bulk", "create_category", "help"] as const satisfies readonly AssistantOpName[];

/** Operations that change data (refused while only reading, shown before running when bulk). */
export const WRITE_OPS: ReadonlySet<AssistantOpName> = new Set(["create", "update", "assign", "comment", "resolve", "bulk", "create_category"]);

/** POST /api/assistant body. `text` is required unless `confirm` (a token from a confirmation answer) is sent. */
export const AssistantRequestSchema = z
  .strictObject({
    text: text().trim().min(1, "Type a command").max(COMMAND_MAX).optional(),
    /** The ticket the caller is looking at: "take it", "close this" refer to it. */
    ticketKey: TicketKeySchema.optional(),
    /** Continue this conversation (one of the caller's own); default a new one. */
    conversationId: z.uuid().optional(),
    /** Run a bulk operation shown earlier: the `data.token` of its confirmation answer. */
    confirm: text().trim().min(1).max(4000).optional(),
  })
  .refine((v) => v.text || v.confirm, { message: "Send text (a command) or confirm (a confirmation token)", path: ["text"] });
export type AssistantRequest = z.infer<typeof AssistantRequestSchema>;

/** `?compact=1`: answer in seed 004's short-key form (docs/ASSISTANT.md). */
export const AssistantQuerySchema = z.strictObject({
  compact: z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true").optional(),
});
