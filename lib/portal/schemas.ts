import { z } from "zod";
import { CSAT_COMMENT_MAX } from "@/db/schema/workspace";
import { RESOLUTION_MAX } from "@/db/schema/tickets";
import { ClassifySchema, text, TicketKeySchema } from "@/lib/tickets/schemas";

/*
 * Payloads of the requester portal (issue 12 §3), shared by the portal forms, the route
 * handlers and the OpenAPI document (lib/portal/openapi.ts).
 */

/** Blank optional text counts as absent. */
const optionalText = (max: number) =>
  text()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/**
 * POST /api/tickets/{key}/requester-status: the requester marks their ticket solved (`note`:
 * how it was solved, kept as the resolution) or reopens a resolved one.
 */
export const RequesterStatusSchema = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("solve"), note: optionalText(RESOLUTION_MAX) }),
  z.strictObject({ action: z.literal("reopen") }),
]);
export type RequesterStatusInput = z.infer<typeof RequesterStatusSchema>;

/** CSAT ratings: good or bad. */
export const CSAT_RATINGS = ["good", "bad"] as const;
export type CsatRatingValue = (typeof CSAT_RATINGS)[number];

/** POST /api/tickets/{key}/csat: one satisfaction rating per resolved ticket, with an optional comment (≤ 1,000 chars). */
export const CsatSchema = z.strictObject({
  rating: z.enum(CSAT_RATINGS),
  comment: optionalText(CSAT_COMMENT_MAX),
});
export type CsatInput = z.infer<typeof CsatSchema>;

/** POST /api/deflections/suggest: the text typed so far on /submit (the classify payload). */
export const DeflectionSuggestSchema = ClassifySchema;
export type DeflectionSuggestInput = z.infer<typeof DeflectionSuggestSchema>;

/** POST /api/deflections: "This solved my problem" on a suggested ticket. */
export const DeflectionSchema = z.strictObject({
  ticketKey: TicketKeySchema,
});
export type DeflectionInput = z.infer<typeof DeflectionSchema>;
