import { getDb } from "@/db/client";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { UpdateEmployeeSchema } from "@/lib/routing/employees/schemas";
import { getEmployee, updateEmployee } from "@/lib/routing/employees/service";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkId(id: string): string {
  if (!UUID.test(id)) throw new ApiError("not_found", "Employee not found");
  return id;
}

/** GET /api/employees/{id} → 200 Employee (agents and admins). Errors: 401, 403, 404. */
export const GET = route<{ id: string }>({ auth: "agent", scope: "tickets:read" }, async ({ params }) => getEmployee(await getDb(), checkId(params.id)));

/**
 * PATCH /api/employees/{id} (admin) — body UpdateEmployeeSchema (any field, at least one) → 200
 * Employee. The profile's embedding is recomputed; a changed e-mail re-links the user.
 * Errors: 400 (validation), 401, 403, 404, 409 (e-mail taken), 422 (unknown team).
 */
export const PATCH = route<{ id: string }, undefined, typeof UpdateEmployeeSchema>({ auth: "admin", scope: "admin", body: UpdateEmployeeSchema }, async ({ params, body, principal }) =>
  updateEmployee(await getDb(), checkId(params.id), body, principal!),
);
