import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { defaultViewId, viewsWithCounts } from "@/lib/workspace/counts";
import { CreateViewSchema } from "@/lib/workspace/view-schemas";
import { createView } from "@/lib/workspace/views";

export const dynamic = "force-dynamic";

/**
 * GET /api/views — agents: the side bar's views (built-in, shared, the caller's personal ones),
 * each `{id, name, kind, filters, sort, editable, count, href}` (count null = more than 10,000),
 * and `defaultView` (My open; Unassigned in my teams when the caller has nothing open; All
 * unsolved when that is empty too).
 * → 200 {views, defaultView}. Errors: 401, 403 (requesters).
 */
export const GET = route({ auth: "agent", scope: "tickets:read" }, async ({ principal }) => {
  const views = await viewsWithCounts(await getDb(), principal!);
  return { views, defaultView: defaultViewId(views) };
});

/**
 * POST /api/views — body {name, filters, sort?, shared?}: save a personal view, or (admins,
 * `shared: true`) a shared one. Audited (`view.created`). → 201 {view}.
 * Errors: 400 (bad name, unknown or invalid filter, unknown sort), 401, 403 (requesters; a
 * shared view by a non-admin), 409 (the name is taken).
 */
export const POST = route<Record<string, never>, undefined, typeof CreateViewSchema>({ auth: "agent", scope: "tickets:write", body: CreateViewSchema }, async ({ body, principal }) => {
  const db = await getDb();
  const view = await db.transaction((tx) => createView(tx, principal!, body));
  return json({ view }, 201);
});
