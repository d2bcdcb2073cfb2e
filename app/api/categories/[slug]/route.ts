import { getDb } from "@/db/client";
import { updateCategory } from "@/lib/admin/categories";
import { UpdateCategorySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * PATCH /api/categories/{slug} — admins. Body: any of name, description, team (re-route), active.
 * → 200 category. Errors: 400, 401, 403, 404, 409, 422 unknown team.
 */
export const PATCH = route<{ slug: string }, undefined, typeof UpdateCategorySchema>(
  { auth: "admin", scope: "admin", body: UpdateCategorySchema },
  async ({ params, body, principal }) => updateCategory(await getDb(), params.slug, body, principal!),
);
