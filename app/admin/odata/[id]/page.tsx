import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { HeadRow } from "@/components/mail/parts";
import { requireAdmin } from "@/components/auth/guards";
import { ConfirmDeleteButton } from "@/components/ui/confirm-delete-button";
import { RunNowButton } from "@/components/odata/run-now-button";
import { RunReport } from "@/components/odata/run-report";
import { SourceForm } from "@/components/odata/source-form";
import { sourceValuesOf } from "@/components/odata/source-input";
import { Card } from "@/components/ui/card";
import { formatAbsolute } from "@/components/ui/time";
import { ApiError } from "@/lib/http/errors";
import { getSource, listRuns } from "@/lib/odata/service";
import { getReferenceData } from "@/lib/reference/cache";
import { deleteSourceAction, runNowAction, updateSourceAction } from "../actions";

export const metadata: Metadata = { title: "OData source" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

/** /admin/odata/{id}: a source's runs with their reports (errors as served), run now, edit and delete. */
export default async function ODataSourcePage({ params }: Props) {
  const { id } = await params;
  const principal = await requireAdmin(`/admin/odata/${id}`);
  const db = await getDb();
  const source = await getSource(db, id, principal).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  });
  const [ref, runs] = await Promise.all([getReferenceData(db), listRuns(db, id, principal, { limit: 50 })]);
  const options = {
    categories: ref.categories.filter((c) => c.active).map((c) => ({ slug: c.slug, name: c.name })),
    teams: ref.teams.map((t) => ({ slug: t.slug, name: t.name })),
  };

  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm">
          <Link href="/admin/odata" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
            OData sources
          </Link>{" "}
          <span aria-hidden="true" className="text-slate-500">/</span> <span className="text-slate-700">{source.name}</span>
        </nav>
        <h1 className="text-xl font-semibold tracking-tight">{source.name}</h1>
      </div>
      <AdminNav current="odata" />
      <Card className="min-w-0 overflow-hidden" aria-labelledby="runs-h">
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
          <div>
            <h2 id="runs-h" className="text-base font-semibold text-slate-900">
              Runs
            </h2>
            <p className="text-sm text-slate-600">
              Next scheduled pull: {source.active ? formatAbsolute(source.nextRunAt) : "none (inactive)"}.{" "}
              {source.deltaCursor ? `Records changed since ${formatAbsolute(source.deltaCursor)} are read.` : "The next pull reads every record."}
            </p>
          </div>
          <RunNowButton label={`Run ${source.name} now`} action={runNowAction.bind(null, source.id)} />
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="odata-run-table">
            <caption className="sr-only">Runs of this source, newest first, with their reports</caption>
            <HeadRow labels={["Started", "Trigger", "Report"]} />
            <tbody className="divide-y divide-slate-200">
              {runs.length === 0 ? (
                <tr>
                  <td colSpan={3} className="px-3 py-4 text-slate-600">
                    No runs yet.
                  </td>
                </tr>
              ) : (
                runs.map((r) => (
                  <tr key={r.id} id={`run-${r.id}`} className="align-top">
                    <th scope="row" className="whitespace-nowrap px-3 py-2.5 text-left font-normal text-slate-800">
                      {formatAbsolute(r.startedAt)}
                    </th>
                    <td className="px-3 py-2.5 text-slate-800">{r.trigger}</td>
                    <td className="px-3 py-2.5">
                      <RunReport run={r} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </Card>
      <div className="grid grid-cols-1 items-start gap-5 lg:grid-cols-3">
        <Card className="min-w-0 p-4 lg:col-span-2" as="div">
          <SourceForm options={options} action={updateSourceAction.bind(null, source.id)} initial={sourceValuesOf(source)} hasSecret={source.hasSecret} submitLabel="Save changes" />
        </Card>
        <Card className="min-w-0 space-y-2 p-4" as="div">
          <h2 className="text-base font-semibold text-slate-900">Delete</h2>
          <p className="text-sm text-slate-600">Its runs and record links go; the tickets it made stay. To pause it, make it inactive instead.</p>
          <ConfirmDeleteButton question={`Delete ${source.name} and its runs? Its tickets stay.`} action={deleteSourceAction.bind(null, source.id)} backTo="/admin/odata" />
        </Card>
      </div>
    </div>
  );
}
