import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { MacroManager } from "@/components/macros/macro-manager";
import { listMacros } from "@/lib/macros/macros";
import { getReferenceData } from "@/lib/reference/cache";
import { listAgents } from "@/lib/users/list-agents";

export const metadata: Metadata = { title: "Macros" };
export const dynamic = "force-dynamic";

/** /admin/macros: shared macros (canned responses) every agent can insert from the composer. */
export default async function AdminMacrosPage() {
  const principal = await requireAdmin("/admin/macros");
  const db = await getDb();
  const [macros, ref, agents] = await Promise.all([listMacros(db, principal), getReferenceData(db), listAgents(db)]);
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">
          Shared macros: reply templates every agent can insert from a ticket&apos;s composer, optionally setting fields. Agents keep their
          own under{" "}
          <Link href="/settings/macros" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
            My macros
          </Link>
          .
        </p>
      </div>
      <AdminNav current="macros" />
      <MacroManager
        initial={macros}
        scope="shared"
        categories={ref.categories.filter((c) => c.active).map((c) => ({ value: c.slug, label: c.name }))}
        teams={ref.teams.map((t) => ({ value: t.slug, label: t.name }))}
        agents={agents.map((a) => ({ value: a.id, label: a.name }))}
      />
    </div>
  );
}
