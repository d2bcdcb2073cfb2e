import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { createMacro, listMacros } from "@/lib/macros/macros";
import { CreateMacroSchema } from "@/lib/macros/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/macros — agents: the macros they can use (shared ones, then their own).
 * → 200 {macros: [{id, name, body, internal, actions, shared, editable, usageCount, updatedAt}]}. Errors: 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read" }, async ({ principal }) => ({ macros: await listMacros(await getDb(), principal!) }));

/**
 * POST /api/macros — body {name, body, internal?, actions?, shared?}: a personal macro, or with
 * `shared: true` (admins) one for every agent. → 201 {macro}.
 * Errors: 400, 401, 403 (shared by an agent), 409 (name taken), 422 (unknown placeholder with
 * details {unknown, known}; unknown category/team; assignee not an active agent).
 */
export const POST = route<Record<string, never>, undefined, typeof CreateMacroSchema>({ auth: "agent", scope: "tickets:write", body: CreateMacroSchema }, async ({ body, principal }) =>
  json({ macro: await createMacro(await getDb(), principal!, body) }, 201),
);
