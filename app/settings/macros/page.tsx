import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireStaff } from "@/components/auth/guards";
import { MacroManager } from "@/components/macros/macro-manager";
import { listMacros } from "@/lib/macros/macros";
import { getReferenceData } from "@/lib/reference/cache";
import { listAgents } from "@/lib/users/list-agents";

export const metadata: Metadata = { title: "My macros" };
export const dynamic = "force-dynamic";

/** /settings/macros: an agent's personal macros (canned responses); shared ones are listed read-only. */
export default async function MyMacrosPage() {
  const principal = await requireStaff("/settings/macros");
  const db = await getDb();
  const [macros, ref, agents] = await Promise.all([listMacros(db, principal), getReferenceData(db), listAgents(db)]);
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">My macros</h1>
        <p className="text-sm text-slate-600">
          Your own reply templates. Insert them from a ticket&apos;s composer with &ldquo;Insert macro&rdquo;; placeholders are filled for that
          ticket, and field changes apply when you send.
        </p>
      </div>
      <MacroManager
        initial={macros}
        scope="personal"
        categories={ref.categories.filter((c) => c.active).map((c) => ({ value: c.slug, label: c.name }))}
        teams={ref.teams.map((t) => ({ value: t.slug, label: t.name }))}
        agents={agents.map((a) => ({ value: a.id, label: a.name }))}
      />
    </div>
  );
}
