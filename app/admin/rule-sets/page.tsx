import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { RuleSetEditor } from "@/components/files/rule-set-editor";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { listRuleSets } from "@/lib/files/compliance/rule-sets";
import { PHARMA_SHIPMENT_RULE_SET } from "@/lib/files/compliance/schema";
import { createRuleSetAction } from "./actions";

export const metadata: Metadata = { title: "Compliance rule sets" };
export const dynamic = "force-dynamic";

const STARTER = { name: "", description: "", active: true, rules: [{ type: "required_columns", columns: [] }] };

export default async function AdminRuleSetsPage() {
  await requireAdmin("/admin/rule-sets");
  const ruleSets = await listRuleSets(await getDb());
  const activeCount = ruleSets.filter((r) => r.active).length;

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Compliance rule sets: what an uploaded compliance sheet is checked against.</p>
      </div>
      <AdminNav current="rule-sets" />

      <div className="grid grid-cols-1 items-start gap-5 xl:grid-cols-5">
        <Card className="min-w-0 overflow-hidden xl:col-span-2" aria-labelledby="rule-sets-h">
          <div className="border-b border-slate-200 px-4 py-3">
            <h2 id="rule-sets-h" className="text-base font-semibold text-slate-900">
              Rule sets
            </h2>
            <p className="text-sm text-slate-600">
              {ruleSets.length} rule sets, {activeCount} active. Agents pick one when they upload a compliance sheet; inactive ones are not offered.
            </p>
          </div>
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="rule-set-table">
              <caption className="sr-only">Compliance rule sets with their number of rules, version and state</caption>
              <thead className="bg-slate-50 text-xs text-slate-700">
                <tr>
                  {["Name", "Rules", "Version", "State"].map((h) => (
                    <th key={h} scope="col" className="px-3 py-2 font-semibold">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200">
                {ruleSets.map((r) => (
                  <tr key={r.id} className={r.active ? undefined : "bg-slate-50"}>
                    <th scope="row" className="px-3 py-2.5 text-left font-normal">
                      <Link href={`/admin/rule-sets/${r.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                        {r.name}
                      </Link>
                      {r.description ? <span className="mt-0.5 block max-w-xs text-xs text-slate-600">{r.description}</span> : null}
                    </th>
                    <td className="px-3 py-2.5 text-slate-700">{r.rules.length}</td>
                    <td className="px-3 py-2.5 text-slate-700">
                      {r.version}
                      <span className="block text-xs text-slate-600">
                        <RelativeTime iso={r.updatedAt} />
                      </span>
                    </td>
                    <td className="px-3 py-2.5 text-slate-700">{r.active ? "Active" : "Inactive"}</td>
                  </tr>
                ))}
                {ruleSets.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="px-3 py-4 text-sm text-slate-600">
                      No rule sets yet. Create one, or start from the example.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </Card>

        <Card className="min-w-0 p-4 xl:col-span-3" as="div">
          <RuleSetEditor mode="create" initial={STARTER} example={PHARMA_SHIPMENT_RULE_SET} action={createRuleSetAction} />
        </Card>
      </div>
    </div>
  );
}
