import { getDb } from "@/db/client";
import { deleteCategoryExample } from "@/lib/admin/category-examples";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * DELETE /api/categories/{slug}/examples/{id} — admins. → 200 {deleted: id}. Running instances
 * keep what they learned from it until restart. Errors: 401, 403, 404 (no such category/example).
 */
export const DELETE = route<{ slug: string; id: string }>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => {
  const id = /^[1-9][0-9]{0,15}$/.test(params.id) ? Number(params.id) : NaN;
  if (!Number.isSafeInteger(id)) throw new ApiError("not_found", "Example not found");
  await deleteCategoryExample(await getDb(), params.slug, id, principal!);
  return { deleted: id };
});
