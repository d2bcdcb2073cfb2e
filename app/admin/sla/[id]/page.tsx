import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { ConfirmDeleteButton } from "@/components/ui/confirm-delete-button";
import { PolicyForm } from "@/components/sla-admin/policy-form";
import { policyFormValues } from "@/components/sla-admin/policy-input";
import { Card } from "@/components/ui/card";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData } from "@/lib/reference/cache";
import { listCalendars } from "@/lib/sla/admin/calendars";
import { getPolicy } from "@/lib/sla/admin/policies";
import { deletePolicyAction, updatePolicyAction } from "../actions";

export const metadata: Metadata = { title: "Edit SLA policy" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export default async function EditPolicyPage({ params }: Props) {
  const { id } = await params;
  const principal = await requireAdmin(`/admin/sla/${id}`);
  const db = await getDb();
  const policy = await getPolicy(db, id, principal).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) notFound();
    throw err;
  });
  const [ref, calendars] = await Promise.all([getReferenceData(db), listCalendars(db, principal)]);
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">
          <Link href="/admin/sla" className="text-brand-700 underline underline-offset-2">
            SLA policies
          </Link>{" "}
          › {policy.name}
        </p>
      </div>
      <AdminNav current="sla" />
      <Card className="min-w-0 p-4" aria-labelledby="edit-policy-h">
        <h2 id="edit-policy-h" className="mb-1 text-base font-semibold text-slate-900">
          Edit {policy.name}
        </h2>
        <p className="mb-3 text-sm text-slate-600">Changed targets apply to new tickets, and to open tickets when their SLA is next recomputed (e.g. a priority change).</p>
        <PolicyForm
          action={updatePolicyAction.bind(null, policy.id)}
          initial={policyFormValues(policy)}
          categories={ref.categories.map((c) => ({ value: c.slug, label: c.name }))}
          teams={ref.teams.map((t) => ({ value: t.slug, label: t.name }))}
          calendars={calendars.map((c) => ({ value: c.id, label: c.name }))}
          submitLabel="Save policy"
        />
      </Card>
      <Card className="min-w-0 p-4" aria-labelledby="delete-policy-h">
        <h2 id="delete-policy-h" className="mb-2 text-base font-semibold text-slate-900">
          Delete
        </h2>
        <ConfirmDeleteButton
          label={`Delete policy ${policy.name}`}
          question={`Delete ${policy.name}? Tickets under it keep their current due times until recomputed.`}
          action={deletePolicyAction.bind(null, policy.id)}
          backTo="/admin/sla"
        />
      </Card>
    </div>
  );
}
