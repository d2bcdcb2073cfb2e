import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { ListODataRunsQuerySchema } from "@/lib/odata/schemas";
import { listRuns } from "@/lib/odata/service";

export const dynamic = "force-dynamic";

/** GET /api/odata/sources/{id}/runs[?limit=] — admins. → 200 {items: ODataRunDTO[]} newest first. Errors: 400, 401, 403, 404. */
export const GET = route<{ id: string }, typeof ListODataRunsQuerySchema>({ auth: "admin", scope: "admin", query: ListODataRunsQuerySchema }, async ({ params, query, principal }) => ({
  items: await listRuns(await getDb(), params.id, principal!, { limit: query.limit }),
}));
