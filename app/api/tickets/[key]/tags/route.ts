import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getTagsByKey, setTicketTags, TagsBodySchema } from "@/lib/tickets/tags";

export const dynamic = "force-dynamic";

/** GET /api/tickets/{key}/tags — agents: the ticket's tags. → 200 {tags: string[]} (alphabetical). Errors: 401, 403, 404. */
export const GET = route<{ key: string }>({ auth: "agent", scope: "tickets:read" }, async ({ params, principal }) => getTagsByKey(await getDb(), params.key, principal!));

/**
 * PUT /api/tickets/{key}/tags — agents. Body {tags: string[]}: the complete new tag list
 * (trimmed, lower-cased, duplicates dropped; each `[a-z0-9][a-z0-9._-]*`, ≤ 40 characters;
 * ≤ 20). A change writes audit `ticket.tags_changed` and a `ticket.updated` event.
 * → 200 {tags, changed}. Errors: 400 (bad tag, too many), 401, 403, 404.
 */
export const PUT = route<{ key: string }, undefined, typeof TagsBodySchema>({ auth: "agent", scope: "tickets:write", body: TagsBodySchema }, async ({ params, body, principal }) =>
  setTicketTags(await getDb(), params.key, body.tags, principal!),
);
