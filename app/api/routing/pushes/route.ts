import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { listDeadPushes } from "@/lib/routing/push/retry";
import { ListPushesQuerySchema } from "@/lib/routing/targets/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/routing/pushes?status=dead[&limit=25][&cursor=<id>] — admins. The dead-letter list:
 * pushes that exhausted their retries or were refused (a 4xx other than 408/429), newest first.
 * → 200 {items: [{id, ticketKey, targetName, kind, action, attempts, lastStatusCode, lastError,
 * lastAttemptAt}], nextCursor: string | null}. Errors: 400, 401, 403.
 */
export const GET = route({ auth: "admin", scope: "admin", query: ListPushesQuerySchema }, async ({ query }) => {
  const rows = await listDeadPushes(await getDb(), { limit: query.limit + 1, before: query.cursor ? Number(query.cursor) : undefined });
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? String(items[items.length - 1].id) : null };
});
