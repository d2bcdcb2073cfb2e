import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getRun } from "@/lib/odata/service";

export const dynamic = "force-dynamic";

/** GET /api/odata/runs/{id} — admins. → 200 ODataRunDTO (status, counts, errors as served). Errors: 401, 403, 404. */
export const GET = route<{ id: string }>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => getRun(await getDb(), params.id, principal!));
