import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { HeadRow } from "@/components/mail/parts";
import { requireAdmin } from "@/components/auth/guards";
import { RunReport } from "@/components/odata/run-report";
import { RunNowButton } from "@/components/odata/run-now-button";
import { SourceForm } from "@/components/odata/source-form";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/time";
import { getReferenceData } from "@/lib/reference/cache";
import { listSources } from "@/lib/odata/service";
import { createSourceAction, runNowAction } from "./actions";

export const metadata: Metadata = { title: "OData sources" };
export const dynamic = "force-dynamic";

/** /admin/odata: the OData sources with their last run's status and counts, run now, and the create form. */
export default async function AdminODataPage() {
  const principal = await requireAdmin("/admin/odata");
  const db = await getDb();
  const [ref, sources] = await Promise.all([getReferenceData(db), listSources(db, principal)]);
  const now = Date.now();
  const options = {
    categories: ref.categories.filter((c) => c.active).map((c) => ({ slug: c.slug, name: c.name })),
    teams: ref.teams.map((t) => ({ slug: t.slug, name: t.name })),
  };

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">OData sources: SAP entity sets pulled on a schedule; each open record becomes a ticket (source OData), and each run&apos;s report is mailed to the stakeholders.</p>
      </div>
      <AdminNav current="odata" />
      <div className="grid grid-cols-1 items-start gap-5 xl:grid-cols-5">
        <Card className="min-w-0 overflow-hidden xl:col-span-3" aria-labelledby="sources-h">
          <div className="border-b border-slate-200 px-4 py-3">
            <h2 id="sources-h" className="text-base font-semibold text-slate-900">
              Sources
            </h2>
            <p className="text-sm text-slate-600">
              {sources.length} {sources.length === 1 ? "source" : "sources"}. Passwords and tokens are stored encrypted and never shown.
            </p>
          </div>
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="odata-source-table">
              <caption className="sr-only">OData sources with their version, schedule, state, last run and a run-now button</caption>
              <HeadRow labels={["Name", "Version", "Every", "State", "Last run", "Run"]} />
              <tbody className="divide-y divide-slate-200">
                {sources.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="px-3 py-4 text-slate-600">
                      No sources yet.
                    </td>
                  </tr>
                ) : (
                  sources.map((s) => (
                    <tr key={s.id} className={cx("align-top", !s.active && "bg-slate-50")} data-testid={`odata-source-${s.name}`}>
                      <th scope="row" className="px-3 py-2.5 text-left font-normal">
                        <Link href={`/admin/odata/${s.id}`} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                          {s.name}
                        </Link>
                        <div className="font-mono text-xs text-slate-600">{s.entitySet}</div>
                      </th>
                      <td className="px-3 py-2.5 text-slate-800">{s.version.toUpperCase()}</td>
                      <td className="px-3 py-2.5 text-slate-800">{s.intervalMin} min</td>
                      <td className="px-3 py-2.5 text-slate-800">{s.active ? "Active" : "Inactive"}</td>
                      <td className="px-3 py-2.5 text-slate-800">
                        {s.lastRun ? (
                          <>
                            <RunReport run={s.lastRun} compact />
                            <div className="text-xs text-slate-600">
                              <RelativeTime iso={s.lastRun.startedAt} now={now} />
                            </div>
                          </>
                        ) : (
                          "Never ran"
                        )}
                      </td>
                      <td className="px-3 py-2.5">
                        <RunNowButton label={`Run ${s.name} now`} action={runNowAction.bind(null, s.id)} />
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </Card>
        <Card className="min-w-0 p-4 xl:col-span-2" as="div">
          <SourceForm options={options} action={createSourceAction} submitLabel="Create source" />
        </Card>
      </div>
    </div>
  );
}
