import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { UpdateODataSourceSchema } from "@/lib/odata/schemas";
import { deleteSource, getSource, updateSource } from "@/lib/odata/service";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/odata/sources/{id} — admins. → 200 ODataSourceDTO (no secret). Errors: 401, 403, 404. */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => getSource(await getDb(), params.id, principal!));

/**
 * PATCH /api/odata/sources/{id} — admins. Body UpdateODataSourceSchema (any subset; `secret`
 * left out keeps the stored one, null clears it; `resetDelta: true` forgets the delta cursor).
 * → 200 ODataSourceDTO. Errors: 400, 401, 403, 404, 409 (name taken), 422.
 */
export const PATCH = route<Params, undefined, typeof UpdateODataSourceSchema>({ auth: "admin", scope: "admin", body: UpdateODataSourceSchema }, async ({ params, body, principal }) =>
  updateSource(await getDb(), params.id, body, principal!),
);

/** DELETE /api/odata/sources/{id} — admins; runs and record claims go with it, tickets stay. → 204. Errors: 401, 403, 404. */
export const DELETE = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => {
  await deleteSource(await getDb(), params.id, principal!);
  return new Response(null, { status: 204 });
});
