import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { TeamCreateForm } from "@/components/admin/team-create-form";
import { AssignmentModeSelect } from "@/components/routing/assignment-mode-select";
import { requireAdmin } from "@/components/auth/guards";
import { Card } from "@/components/ui/card";
import { getReferenceData } from "@/lib/reference/cache";
import { teamAssignmentModes } from "@/lib/routing/targets/team-assignment";
import { createTeamAction, setAssignmentModeAction } from "./actions";

export const metadata: Metadata = { title: "Teams" };
export const dynamic = "force-dynamic";

export default async function AdminTeamsPage() {
  await requireAdmin("/admin/teams");
  const ref = await getReferenceData(await getDb());
  const modes = await teamAssignmentModes(await getDb());

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Categories, routing and teams. Changes apply to new tickets at once, without a deploy.</p>
      </div>
      <AdminNav current="teams" />

      <div className="grid grid-cols-1 items-start gap-5 lg:grid-cols-3">
        <Card className="min-w-0 overflow-hidden lg:col-span-2" aria-labelledby="teams-h">
          <div className="border-b border-slate-200 px-4 py-3">
            <h2 id="teams-h" className="text-base font-semibold text-slate-900">
              Teams
            </h2>
            <p className="text-sm text-slate-600">{ref.teams.length} teams (assignment groups). Categories route new tickets to them.</p>
          </div>
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="team-table">
              <caption className="sr-only">Teams and the categories routed to each</caption>
              <thead className="bg-slate-50 text-xs text-slate-700">
                <tr>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Slug
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Categories routed here
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Assignment
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200">
                {ref.teams.map((t) => {
                  const routed = ref.categories.filter((c) => c.teamSlug === t.slug);
                  return (
                    <tr key={t.slug} className="align-top">
                      <th scope="row" className="px-3 py-2.5 font-normal">
                        <span className="font-medium text-slate-900">{t.name}</span>
                        {t.description ? <span className="mt-0.5 block max-w-xs text-xs text-slate-600">{t.description}</span> : null}
                      </th>
                      <td className="px-3 py-2.5 font-mono text-xs text-slate-700">{t.slug}</td>
                      <td className="px-3 py-2.5 text-slate-800">
                        {routed.length === 0 ? (
                          <span className="text-slate-600">None yet</span>
                        ) : (
                          routed.map((c) => `${c.name}${c.active ? "" : " (inactive)"}`).join(", ")
                        )}
                      </td>
                      <td className="px-3 py-2.5">
                        <AssignmentModeSelect teamName={t.name} current={modes[t.slug] ?? "auto"} action={setAssignmentModeAction.bind(null, t.slug)} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Card>

        <Card className="min-w-0 p-4" as="div">
          <TeamCreateForm action={createTeamAction} />
        </Card>
      </div>
    </div>
  );
}
