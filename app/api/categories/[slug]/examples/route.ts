import { getDb } from "@/db/client";
import { addCategoryExamples, listCategoryExamples } from "@/lib/admin/category-examples";
import { AddCategoryExamplesSchema } from "@/lib/admin/schemas";
import { json, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/categories/{slug}/examples — admins. → 200 {items: [{id, category, title, description, createdAt}]}, oldest first.
 * Errors: 401, 403, 404 unknown category.
 */
export const GET = route<{ slug: string }>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => ({
  items: await listCategoryExamples(await getDb(), params.slug, principal!),
}));

/**
 * POST /api/categories/{slug}/examples — admins. Body: one example {title?, description} or
 * {examples: [{title?, description}]} (1–50). → 201 {items: [...]}; the triage model of every
 * instance learns them (category.example_added events). Errors: 400, 401, 403, 404 unknown category.
 */
export const POST = route<{ slug: string }, undefined, typeof AddCategoryExamplesSchema>(
  { auth: "admin", scope: "admin", body: AddCategoryExamplesSchema },
  async ({ params, body, principal }) => {
    const examples = "examples" in body ? body.examples : [body];
    return json({ items: await addCategoryExamples(await getDb(), params.slug, examples, principal!) }, 201);
  },
);
