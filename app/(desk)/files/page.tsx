import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireStaff } from "@/components/auth/guards";
import { UploadCard } from "@/components/files/upload-card";
import { UploadList } from "@/components/files/upload-list";
import { hasRole } from "@/lib/auth/principal";
import { listRuleSets } from "@/lib/files/compliance/rule-sets";
import { listUploads } from "@/lib/files/uploads/queries";

export const metadata: Metadata = { title: "Files" };
export const dynamic = "force-dynamic";

/** /files: agents and admins upload serial, compliance (and, admins, employee) sheets and see recent uploads. */
export default async function FilesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requireStaff("/files");
  const isAdmin = hasRole(principal, "admin");
  // /files?kind=employees (linked from /admin/employees) preselects that kind; unknown values are ignored.
  const asked = (await searchParams).kind;
  const initialKind = asked === "compliance" || (asked === "employees" && isAdmin) ? asked : "serials";
  const db = await getDb();
  const [ruleSets, recent] = await Promise.all([listRuleSets(db, { activeOnly: true }), listUploads(db, principal, { limit: 50 })]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Files</h1>
        <p className="text-sm text-slate-600">
          Upload a serial or compliance sheet: it is checked row by row, and every finding can become a ticket.
        </p>
      </div>
      <UploadCard
        isAdmin={isAdmin}
        initialKind={initialKind}
        ruleSets={ruleSets.map((r) => ({ id: r.id, name: r.name, description: r.description }))}
      />
      <UploadList initial={recent.items} />
    </div>
  );
}
