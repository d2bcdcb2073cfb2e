import { getDb } from "@/db/client";
import { createCategory } from "@/lib/admin/categories";
import { CreateCategorySchema } from "@/lib/admin/schemas";
import { json, route } from "@/lib/http/route";
import { getReferenceData } from "@/lib/reference/cache";

export const dynamic = "force-dynamic";

/** GET /api/categories → 200 {items: [{slug, name, description, team, active}]} (signed-in). */
export const GET = route({ auth: "requester", scope: "tickets:read" }, async () => {
  const ref = await getReferenceData(await getDb());
  return { items: ref.categories.map((c) => ({ slug: c.slug, name: c.name, description: c.description, team: c.teamSlug, active: c.active })) };
});

/**
 * POST /api/categories — admins. Body {slug, name, description?, team} → 201 category.
 * Errors: 400, 401, 403, 409 slug/name taken, 422 unknown team.
 */
export const POST = route({ auth: "admin", scope: "admin", body: CreateCategorySchema }, async ({ body, principal }) =>
  json(await createCategory(await getDb(), body, principal!), 201),
);
