import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { RuleSetEditor } from "@/components/files/rule-set-editor";
import { Card } from "@/components/ui/card";
import { getRuleSet } from "@/lib/files/compliance/rule-sets";
import { deactivateRuleSetAction, updateRuleSetAction } from "../actions";

export const metadata: Metadata = { title: "Edit compliance rule set" };
export const dynamic = "force-dynamic";

export default async function AdminRuleSetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`/admin/rule-sets/${encodeURIComponent(id)}`);
  const rs = await getRuleSet(await getDb(), id);
  if (!rs) notFound();

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">{rs.name}</h1>
        <p className="text-sm text-slate-600">
          <Link href="/admin/rule-sets" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
            All rule sets
          </Link>{" "}
          · {rs.active ? "Active" : "Inactive"} · version {rs.version}
        </p>
      </div>
      <AdminNav current="rule-sets" />
      <Card className="min-w-0 p-4" as="div">
        <RuleSetEditor
          mode="edit"
          initial={{ name: rs.name, description: rs.description, active: rs.active, rules: rs.rules, version: rs.version }}
          action={updateRuleSetAction.bind(null, rs.id)}
          deactivate={deactivateRuleSetAction.bind(null, rs.id)}
        />
      </Card>
    </div>
  );
}
