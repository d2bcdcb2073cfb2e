import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { deleteMacro, updateMacro } from "@/lib/macros/macros";
import { UpdateMacroSchema } from "@/lib/macros/schemas";

export const dynamic = "force-dynamic";

/**
 * PATCH /api/macros/{id} — body {name?, body?, internal?, actions?}: admins change shared macros,
 * agents their own. → 200 {macro}. Errors: 400, 401, 403 (shared macro by an agent), 404 (unknown
 * or another agent's macro), 409 (name taken), 422 (as POST /api/macros).
 */
export const PATCH = route<{ id: string }, undefined, typeof UpdateMacroSchema>({ auth: "agent", scope: "tickets:write", body: UpdateMacroSchema }, async ({ params, body, principal }) => ({
  macro: await updateMacro(await getDb(), principal!, params.id, body),
}));

/** DELETE /api/macros/{id} — → 200 {deleted: true}. Errors: 401, 403 (shared macro by an agent), 404. */
export const DELETE = route<{ id: string }>({ auth: "agent", scope: "tickets:write" }, async ({ params, principal }) => deleteMacro(await getDb(), principal!, params.id));
