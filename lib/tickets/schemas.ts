import { z } from "zod";
import { PRIORITIES, SOURCES, STATUSES } from "@/db/schema/enums";
import { COMMENT_MAX, DESCRIPTION_MAX, RESOLUTION_MAX, TITLE_MAX } from "@/db/schema/tickets";

/*
 * One zod schema per payload: the /submit form, the server actions, the route handlers and
 * the OpenAPI document all use these. Objects are strict (unknown keys are a 400).
 * Imported by client components too, so this file must not import server-only modules.
 */

export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use a slug: lower-case letters, digits and dashes, at most 40 characters");
export const PrioritySchema = z.enum(PRIORITIES).describe("P1 critical, P2 high, P3 medium, P4 low");
export const StatusSchema = z.enum(STATUSES);
export const SourceSchema = z.enum(SOURCES);
export const EmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email("Enter a valid e-mail address"));
export const TicketKeySchema = z.string().regex(/^T-[1-9][0-9]{0,15}$/, "Ticket keys look like T-123");

const Title = z
  .string()
  .trim()
  .min(3, "The title needs at least 3 characters")
  .max(TITLE_MAX, `The title can have at most ${TITLE_MAX} characters`);
const Description = z
  .string()
  .trim()
  .min(10, "Describe the problem in at least 10 characters")
  .max(DESCRIPTION_MAX, `The description can have at most ${DESCRIPTION_MAX} characters`);

/** POST /api/tickets and the /submit form. */
export const CreateTicketSchema = z.strictObject({
  title: Title,
  description: Description,
  email: EmailSchema.describe("Requester e-mail"),
  priority: PrioritySchema.optional().describe("Overrides the suggested priority"),
  category: SlugSchema.optional().describe("Category slug; overrides the suggested category"),
  module: SlugSchema.optional(),
  project: SlugSchema.optional(),
  source: SourceSchema.optional().describe("Defaults to api for API calls, web for the form"),
  metadata: z
    .record(z.string().max(100), z.unknown())
    .optional()
    .describe("Free-form JSON object from the integration (≤ 32 KB)"),
});
export type CreateTicketInput = z.infer<typeof CreateTicketSchema>;

/** POST /api/tickets/classify: suggest without writing. */
export const ClassifySchema = z.strictObject({
  title: z.string().trim().max(TITLE_MAX).optional(),
  description: z.string().trim().min(1, "The description is empty").max(DESCRIPTION_MAX),
});
export type ClassifyInput = z.infer<typeof ClassifySchema>;

/** PATCH /api/tickets/{key}: agents change any of these fields; at least one. */
export const UpdateTicketSchema = z
  .strictObject({
    status: StatusSchema.optional(),
    priority: PrioritySchema.optional(),
    category: SlugSchema.optional(),
    team: SlugSchema.nullable().optional(),
    assignee: z.uuid().nullable().optional().describe("User id of the agent, or null to unassign"),
    resolution: z.string().trim().min(1).max(RESOLUTION_MAX).nullable().optional(),
    needsReview: z.literal(false).optional().describe("Confirm the triage and take the ticket off the review queue"),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" });
export type UpdateTicketInput = z.infer<typeof UpdateTicketSchema>;

/** POST /api/tickets/{key}/comments. */
export const CreateCommentSchema = z.strictObject({
  body: z.string().trim().min(1, "The comment is empty").max(COMMENT_MAX),
  internal: z.boolean().default(false).describe("Internal note (agents only) instead of a public reply"),
});
export type CreateCommentInput = z.infer<typeof CreateCommentSchema>;

function csvEnum<T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1).max(values.length));
}

/** GET /api/tickets query string. `status` and `priority` take comma-separated lists. */
export const ListTicketsQuerySchema = z.strictObject({
  status: csvEnum(STATUSES).optional(),
  priority: csvEnum(PRIORITIES).optional(),
  category: SlugSchema.optional(),
  team: SlugSchema.optional(),
  assignee: z.union([z.uuid(), z.literal("me"), z.literal("none")]).optional(),
  email: EmailSchema.optional(),
  needsReview: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  q: z.string().trim().min(1).max(200).optional().describe("Full-text search (web-search syntax) or a ticket key"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
});
export type ListTicketsQuery = z.infer<typeof ListTicketsQuerySchema>;

const DateOnly = z.iso.date("Use a date like 2026-11-21");

/** GET /api/tickets/stats query: UTC calendar days, inclusive; default the last 90 days. */
export const StatsQuerySchema = z
  .strictObject({ from: DateOnly.optional(), to: DateOnly.optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "from must not be after to", path: ["from"] });
export type StatsQuery = z.infer<typeof StatsQuerySchema>;
