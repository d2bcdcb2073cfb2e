import { z } from "zod";
import { WAITING_REASONS } from "@/db/schema/enums";
import { COMMENT_MAX } from "@/db/schema/tickets";
import { PrioritySchema, SlugSchema, StatusSchema, text, TicketKeySchema } from "./schemas";

/*
 * POST /api/tickets/bulk (issue 12, "Bulk actions"): one action applied to up to
 * BULK_MAX_TICKETS tickets, each in its own transaction. Client-safe (the bulk bar imports it).
 */

/** Most tickets one bulk request may change. */
export const BULK_MAX_TICKETS = 100;

const Key = z.string().trim().toUpperCase().pipe(TicketKeySchema);

/** The action, discriminated by `type`. */
export const BulkActionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("assign"), assignee: z.uuid().nullable().describe("User id of the agent, or null to unassign") }),
  z.strictObject({ type: z.literal("team"), team: SlugSchema.nullable().describe("Assignment group (team) slug, or null") }),
  z.strictObject({
    type: z.literal("status"),
    status: StatusSchema,
    waitingReason: z.enum(WAITING_REASONS).optional().describe("With status waiting: on whom it waits (default requester)"),
  }),
  z.strictObject({ type: z.literal("priority"), priority: PrioritySchema }),
  z.strictObject({ type: z.literal("category"), category: SlugSchema }),
  z.strictObject({ type: z.literal("merge"), into: Key.describe("Primary ticket every selected ticket is merged into (if selected itself, it is left out)") }),
  z.strictObject({
    type: z.literal("close"),
    note: text().trim().min(1, "Write the closing note").max(COMMENT_MAX),
    public: z.boolean().default(false).describe("Send the note to the requester as a public reply instead of an internal note"),
  }),
]);
export type BulkAction = z.infer<typeof BulkActionSchema>;

/** The request body: ticket keys (duplicates dropped, order kept) and one action. */
export const BulkBodySchema = z.strictObject({
  keys: z
    .array(Key)
    .min(1, "Select at least one ticket")
    .max(BULK_MAX_TICKETS, `At most ${BULK_MAX_TICKETS} tickets at a time`)
    .transform((keys) => [...new Set(keys)]),
  action: BulkActionSchema,
});
export type BulkBody = z.infer<typeof BulkBodySchema>;

/** One ticket's outcome. */
export interface BulkItemResult {
  key: string;
  ok: boolean;
  /** Why this ticket was not changed (the status code the single-ticket endpoint would answer, as `code`). */
  error?: { code: string; message: string };
}

/** The response: per-ticket results in request order and the counts. */
export interface BulkResult {
  results: BulkItemResult[];
  summary: { ok: number; failed: number };
}
