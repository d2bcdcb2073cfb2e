import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { ConfirmDeleteButton } from "@/components/ui/confirm-delete-button";
import { TargetForm } from "@/components/routing/target-form";
import { targetValuesOf } from "@/components/routing/target-input";
import { Card } from "@/components/ui/card";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData } from "@/lib/reference/cache";
import { getTarget } from "@/lib/routing/targets/service";
import { deleteTargetAction, updateTargetAction } from "../actions";

export const metadata: Metadata = { title: "Edit team mapping" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export default async function EditTargetPage({ params }: Props) {
  const { id } = await params;
  const principal = await requireAdmin(`/admin/routing/${id}`);
  const db = await getDb();
  const target = await getTarget(db, id, principal).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  });
  const ref = await getReferenceData(db);

  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm">
          <Link href="/admin/routing" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
            Team mappings
          </Link>{" "}
          <span aria-hidden="true" className="text-slate-500">/</span> <span className="text-slate-700">{target.name}</span>
        </nav>
        <h1 className="text-xl font-semibold tracking-tight">{target.name}</h1>
      </div>
      <AdminNav current="routing" />
      <div className="grid grid-cols-1 items-start gap-5 lg:grid-cols-3">
        <Card className="min-w-0 p-4 lg:col-span-2" as="div">
          <TargetForm
            teams={ref.teams.map((t) => ({ slug: t.slug, name: t.name }))}
            action={updateTargetAction.bind(null, target.id)}
            initial={targetValuesOf(target)}
            stored={{ headerNames: target.headerNames, hasSecret: target.hasSecret }}
            submitLabel="Save changes"
          />
        </Card>
        <Card className="min-w-0 space-y-2 p-4" as="div">
          <h2 className="text-base font-semibold text-slate-900">Delete</h2>
          <p className="text-sm text-slate-600">Only a mapping no ticket links to can be deleted; otherwise make it inactive.</p>
          <ConfirmDeleteButton question={`Delete ${target.name}? Dead-lettered pushes to it go too.`} action={deleteTargetAction.bind(null, target.id)} backTo="/admin/routing" />
        </Card>
      </div>
    </div>
  );
}
