import { z } from "zod";
import { TicketKeySchema } from "./schemas";

/** POST /api/tickets/{key}/links: link a related ticket (client-safe). */
export const LinkBodySchema = z.strictObject({
  key: z.string().trim().toUpperCase().pipe(TicketKeySchema).describe("Key of the related ticket, e.g. T-42"),
});
export type LinkBody = z.infer<typeof LinkBodySchema>;

/** POST /api/tickets/{key}/merge: merge this ticket (the duplicate) into its primary (client-safe). */
export const MergeBodySchema = z.strictObject({
  into: z.string().trim().toUpperCase().pipe(TicketKeySchema).describe("Key of the primary ticket that receives the duplicate's comments"),
});
export type MergeBody = z.infer<typeof MergeBodySchema>;
