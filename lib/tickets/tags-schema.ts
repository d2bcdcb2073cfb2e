import { z } from "zod";
import { TAG_MAX } from "@/db/schema/workspace";
import type { FormState } from "@/lib/forms/form-state";

/*
 * Ticket tags (issue 12): lower-case `[a-z0-9][a-z0-9._-]*`, at most TAG_MAX (40) characters,
 * at most TAGS_PER_TICKET (20) per ticket. Shared by the route handlers, the server action,
 * the tags card and the OpenAPI document (client-safe: no server-only imports).
 */

/** Most tags one ticket can carry. */
export const TAGS_PER_TICKET = 20;

const TAG_RE = /^[a-z0-9][a-z0-9._-]*$/;

/** One tag; input is trimmed and lower-cased first (`" VPN "` → `vpn`). */
export const TagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "A tag cannot be empty")
  .max(TAG_MAX, `A tag can have at most ${TAG_MAX} characters`)
  .regex(TAG_RE, "Tags use lower-case letters, digits, dots, dashes and underscores, starting with a letter or digit");

/** PUT /api/tickets/{key}/tags: the ticket's complete tag list (duplicates are dropped; order kept). */
export const TagsBodySchema = z.strictObject({
  tags: z
    .array(TagSchema)
    .max(TAGS_PER_TICKET * 2, `A ticket can have at most ${TAGS_PER_TICKET} tags`)
    .transform((tags) => [...new Set(tags)])
    .refine((tags) => tags.length <= TAGS_PER_TICKET, { message: `A ticket can have at most ${TAGS_PER_TICKET} tags` })
    .describe(`The ticket's tags after the change (replaces them all); at most ${TAGS_PER_TICKET}`),
});
export type TagsBody = z.infer<typeof TagsBodySchema>;

/** What the tags card's server action returns. */
export type TagsState = FormState<"tags", { tags: string[] }>;

/** GET /api/tags?prefix=: tag autocomplete. */
export const TagsQuerySchema = z.strictObject({
  prefix: z
    .string()
    .trim()
    .toLowerCase()
    .max(TAG_MAX)
    .regex(/^[a-z0-9._-]*$/, "A tag prefix uses lower-case letters, digits, dots, dashes and underscores")
    .default("")
    .describe("Tags starting with this text; empty = the most used tags"),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type TagsQuery = z.infer<typeof TagsQuerySchema>;
