import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { deletePolicy, getPolicy, updatePolicy } from "@/lib/sla/admin/policies";
import { UpdatePolicySchema } from "@/lib/sla/admin/schemas";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/sla/policies/{id} — admins. → 200 PolicyDTO. Errors: 401, 403, 404. */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => getPolicy(await getDb(), params.id, principal!));

/**
 * PATCH /api/sla/policies/{id} — admins. Body UpdatePolicySchema (any subset; null clears a
 * narrowing field or nextResponseS) → 200 PolicyDTO. Running ticket clocks keep their targets
 * until their SLA is next recomputed. Errors: 400, 401, 403, 404, 409, 422.
 */
export const PATCH = route<Params, undefined, typeof UpdatePolicySchema>({ auth: "admin", scope: "admin", body: UpdatePolicySchema }, async ({ params, body, principal }) =>
  updatePolicy(await getDb(), params.id, body, principal!),
);

/** DELETE /api/sla/policies/{id} — admins. → 204. Errors: 401, 403, 404. */
export const DELETE = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => {
  await deletePolicy(await getDb(), params.id, principal!);
  return new Response(null, { status: 204 });
});
