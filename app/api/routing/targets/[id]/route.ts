import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { UpdateTargetSchema } from "@/lib/routing/targets/schemas";
import { deleteTarget, getTarget, updateTarget } from "@/lib/routing/targets/service";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/routing/targets/{id} — admins. → 200 TargetDTO (no header values, no secret). Errors: 401, 403, 404. */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => getTarget(await getDb(), params.id, principal!));

/**
 * PATCH /api/routing/targets/{id} — admins. Body UpdateTargetSchema (any subset). Leaving out
 * `secret`/`headers` keeps the stored ones; `null` clears them. → 200 TargetDTO.
 * Errors: 400, 401, 403, 404, 409 (name taken in the team), 422 (unknown team).
 */
export const PATCH = route<Params, undefined, typeof UpdateTargetSchema>({ auth: "admin", scope: "admin", body: UpdateTargetSchema }, async ({ params, body, principal }) =>
  updateTarget(await getDb(), params.id, body, principal!),
);

/**
 * DELETE /api/routing/targets/{id} — admins. → 204. Errors: 401, 403, 404, 409 (tickets link
 * to records it made, or pushes to it are pending: deactivate it instead).
 */
export const DELETE = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => {
  await deleteTarget(await getDb(), params.id, principal!);
  return new Response(null, { status: 204 });
});
