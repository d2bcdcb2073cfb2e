import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { createPolicy, listPolicies } from "@/lib/sla/admin/policies";
import { CreatePolicySchema } from "@/lib/sla/admin/schemas";

export const dynamic = "force-dynamic";

/** GET /api/sla/policies — admins. → 200 {items: PolicyDTO[]} by priority, then name. Errors: 401, 403. */
export const GET = route({ auth: "admin", scope: "admin" }, async ({ principal }) => ({ items: await listPolicies(await getDb(), principal!) }));

/**
 * POST /api/sla/policies — admins. Body CreatePolicySchema {name, priority, category?, team?,
 * orgDomain?, calendarId, firstResponseS, resolutionS, nextResponseS?, pauseOn?, atRiskPct?,
 * escalation?, active?} (targets in business seconds) → 201 PolicyDTO.
 * Errors: 400 (validation, details.issues), 401, 403, 409 (details.reason duplicate_name or
 * duplicate_scope), 422 (unknown calendar, category or team; details.field).
 */
export const POST = route({ auth: "admin", scope: "admin", body: CreatePolicySchema }, async ({ body, principal }) =>
  json(await createPolicy(await getDb(), body, principal!), 201),
);
