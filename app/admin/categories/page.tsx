import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { CategoryCreateForm } from "@/components/admin/category-create-form";
import { CategoryRow } from "@/components/admin/category-row";
import { requireAdmin } from "@/components/auth/guards";
import { Card } from "@/components/ui/card";
import { countCategoryExamples } from "@/lib/admin/category-examples";
import { getReferenceData } from "@/lib/reference/cache";
import { createCategoryAction, updateCategoryAction } from "./actions";

export const metadata: Metadata = { title: "Categories and routing" };
export const dynamic = "force-dynamic";

export default async function AdminCategoriesPage() {
  await requireAdmin("/admin/categories");
  const db = await getDb();
  const ref = await getReferenceData(db);
  const exampleCounts = await countCategoryExamples(db);
  const taught = ref.categories.filter((c) => exampleCounts.has(c.slug));
  const teams = ref.teams.map((t) => ({ slug: t.slug, name: t.name }));
  const activeCount = ref.categories.filter((c) => c.active).length;

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Categories, routing and teams. Changes apply to new tickets at once, without a deploy.</p>
      </div>
      <AdminNav current="categories" />

      <div className="grid grid-cols-1 items-start gap-5 lg:grid-cols-3">
        <Card className="min-w-0 overflow-hidden lg:col-span-2" aria-labelledby="categories-h">
          <div className="border-b border-slate-200 px-4 py-3">
            <h2 id="categories-h" className="text-base font-semibold text-slate-900">
              Categories and routing
            </h2>
            <p className="text-sm text-slate-600">
              {ref.categories.length} categories, {activeCount} active. Each routes new tickets to a team; inactive ones are not
              offered on the submit form and existing tickets keep them.
            </p>
          </div>
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="category-table">
              <caption className="sr-only">Categories with the team each routes to and whether it is active</caption>
              <thead className="bg-slate-50 text-xs text-slate-700">
                <tr>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Slug
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Routes to team
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Active
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    <span className="sr-only">Save</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200">
                {ref.categories.map((c) => (
                  <CategoryRow
                    key={c.slug}
                    category={{ slug: c.slug, name: c.name, description: c.description, team: c.teamSlug, active: c.active }}
                    teams={teams}
                    action={updateCategoryAction.bind(null, c.slug)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </Card>

        <div className="min-w-0 space-y-5">
          <Card className="min-w-0 p-4" as="div">
            <CategoryCreateForm teams={teams} action={createCategoryAction} />
          </Card>
          <Card className="min-w-0 p-4" aria-labelledby="examples-h">
            <h2 id="examples-h" className="text-base font-semibold text-slate-900">
              Taught from example tickets
            </h2>
            <p className="mt-1 text-sm text-slate-600">
              The local triage model learns these categories from the example tickets admins wrote (add more with{" "}
              <code>POST /api/categories/&#123;slug&#125;/examples</code>) and from agents&apos; corrections.
            </p>
            {taught.length ? (
              <ul className="mt-2 space-y-1 text-sm" data-testid="category-examples">
                {taught.map((c) => (
                  <li key={c.slug}>
                    {c.name}: {exampleCounts.get(c.slug)} example{exampleCounts.get(c.slug) === 1 ? "" : "s"}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-2 text-sm text-slate-600">None yet.</p>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}
