import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { suggestTags, TagsQuerySchema } from "@/lib/tickets/tags";

export const dynamic = "force-dynamic";

/**
 * GET /api/tags?prefix=&limit= — agents: tags in use starting with `prefix` (autocomplete),
 * most used first. → 200 {tags: [{tag, count}]}. Errors: 400, 401, 403.
 */
export const GET = route<Record<string, never>, typeof TagsQuerySchema>({ auth: "agent", scope: "tickets:read", query: TagsQuerySchema }, async ({ query, principal }) =>
  suggestTags(await getDb(), query.prefix, query.limit, principal!),
);
