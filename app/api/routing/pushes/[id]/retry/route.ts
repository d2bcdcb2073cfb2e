import { getDb } from "@/db/client";
import { ApiError } from "@/lib/http/errors";
import { json, route } from "@/lib/http/route";
import { retryPush } from "@/lib/routing/push/retry";
import { actorOf } from "@/lib/tickets/access";

export const dynamic = "force-dynamic";

type Params = { id: string };

/**
 * POST /api/routing/pushes/{id}/retry — admins. Puts a dead push back in the queue (a fresh
 * job with the target's retry options) → 202 {id, status: "pending"}.
 * Errors: 401, 403, 404 (no such push), 409 (the push is not dead).
 */
export const POST = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => {
  const id = /^[1-9][0-9]{0,15}$/.test(params.id) ? Number(params.id) : NaN;
  if (!Number.isSafeInteger(id)) throw new ApiError("not_found", "Push not found");
  await retryPush(await getDb(), id, actorOf(principal));
  return json({ id, status: "pending" }, 202);
});
