import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { UpdateViewSchema } from "@/lib/workspace/view-schemas";
import { deleteView, updateView } from "@/lib/workspace/views";

export const dynamic = "force-dynamic";

/**
 * PATCH /api/views/{id} — body {name?, filters?, sort?}: change a personal view of the
 * caller's, or (admins) a shared view. Audited (`view.updated`). → 200 {view}.
 * Errors: 400, 401, 403 (built-in view, another agent's personal view, a shared view by a
 * non-admin), 404, 409 (the name is taken).
 */
export const PATCH = route<{ id: string }, undefined, typeof UpdateViewSchema>({ auth: "agent", scope: "tickets:write", body: UpdateViewSchema }, async ({ params, body, principal }) => {
  const db = await getDb();
  return { view: await db.transaction((tx) => updateView(tx, principal!, params.id, body)) };
});

/**
 * DELETE /api/views/{id} — delete a view (same rights as PATCH). Audited (`view.deleted`).
 * → 200 {deleted: true}. Errors: 401, 403, 404.
 */
export const DELETE = route<{ id: string }>({ auth: "agent", scope: "tickets:write" }, async ({ params, principal }) => {
  const db = await getDb();
  await db.transaction((tx) => deleteView(tx, principal!, params.id));
  return { deleted: true };
});
