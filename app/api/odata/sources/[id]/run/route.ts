import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { requestRun } from "@/lib/odata/service";

export const dynamic = "force-dynamic";

/**
 * POST /api/odata/sources/{id}/run — admins: pull the source now. The run is created
 * (`running`) and queued for a worker → 202 ODataRunDTO; poll GET /api/odata/runs/{id} for its
 * report. Errors: 401, 403, 404.
 */
export const POST = route<{ id: string }>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => json(await requestRun(await getDb(), params.id, principal!), 202));
