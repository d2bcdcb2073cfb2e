import { z } from "zod";
import type { FormState } from "@/lib/forms/form-state";
import { TicketKeySchema } from "./schemas";

/** POST /api/tickets/{key}/links: link a related ticket (client-safe). */
export const LinkBodySchema = z.strictObject({
  key: z.string().trim().toUpperCase().pipe(TicketKeySchema).describe("Key of the related ticket, e.g. T-42"),
});
export type LinkBody = z.infer<typeof LinkBodySchema>;

/** What the related-tickets card's server action returns. */
export type LinkState = FormState<"key", { key: string; op: "add" | "remove" }>;

/** POST /api/tickets/{key}/merge: merge this ticket (the duplicate) into its primary (client-safe). */
export const MergeBodySchema = z.strictObject({
  into: z.string().trim().toUpperCase().pipe(TicketKeySchema).describe("Key of the primary ticket that receives the duplicate's comments"),
});
export type MergeBody = z.infer<typeof MergeBodySchema>;

/** What the merge card's server action returns. */
export type MergeState = FormState<"into", { into: string }>;
