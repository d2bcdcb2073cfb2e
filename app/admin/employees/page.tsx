import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { EmployeeForm } from "@/components/employees/employee-form";
import { EmployeeTable } from "@/components/employees/employee-table";
import { EmployeeUploads } from "@/components/employees/employee-uploads";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { controlClass, Label } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button";
import { getReferenceData } from "@/lib/reference/cache";
import { listEmployees } from "@/lib/routing/employees/service";
import { recentEmployeeUploads } from "@/lib/routing/employees/uploads";
import { createEmployeeAction, updateEmployeeAction } from "./actions";

export const metadata: Metadata = { title: "Employees" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** IANA time zones the runtime knows (suggestions in the form). */
function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf ? ["UTC", ...intl.supportedValuesOf("timeZone")] : ["UTC"];
}

/**
 * /admin/employees (admins): employee skill profiles (seed 002) used for assignee matching —
 * list filtered by team, create and edit forms, and the newest employee sheet uploads with
 * their row-level findings. `?team=<slug>` filters, `?edit=<id>` opens an employee's form.
 */
export default async function AdminEmployeesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdmin("/admin/employees");
  const sp = await searchParams;
  const db = await getDb();
  const ref = await getReferenceData(db);
  const team = one(sp.team);
  const teamFilter = team && ref.teamBySlug.has(team) ? team : undefined;
  const [items, uploads] = await Promise.all([listEmployees(db, { team: teamFilter }), recentEmployeeUploads(db)]);
  const editId = one(sp.edit) ?? null;
  const editing = editId ? (items.find((e) => e.id === editId) ?? (await listEmployees(db)).find((e) => e.id === editId) ?? null) : null;
  const base = teamFilter ? `/admin/employees?team=${encodeURIComponent(teamFilter)}` : "/admin/employees";
  const editHref = (id: string) => `${base}${teamFilter ? "&" : "?"}edit=${id}`;
  const teams = ref.teams.map((t) => ({ slug: t.slug, name: t.name }));

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Employee skill profiles: who works in which team, on what, how much and when. Assignment uses them.</p>
      </div>
      <AdminNav current="employees" />

      <div className="grid grid-cols-1 items-start gap-5 xl:grid-cols-3">
        <Card className="min-w-0 overflow-hidden xl:col-span-2" aria-labelledby="employees-h">
          <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-200 px-4 py-3">
            <div>
              <h2 id="employees-h" className="text-base font-semibold text-slate-900">
                Employees
              </h2>
              <p className="text-sm text-slate-600" data-testid="employee-count">
                {items.length} {items.length === 1 ? "employee" : "employees"}
                {teamFilter ? ` in ${ref.teamBySlug.get(teamFilter)?.name}` : ""}. Load is open tickets assigned / maximum.
              </p>
            </div>
            <form method="get" action="/admin/employees" className="flex items-end gap-2">
              <div>
                <Label htmlFor="employee-team-filter">Filter by team</Label>
                <select id="employee-team-filter" name="team" defaultValue={teamFilter ?? ""} className={cx(controlClass, "mt-1")}>
                  <option value="">All teams</option>
                  {teams.map((t) => (
                    <option key={t.slug} value={t.slug}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className={buttonClass("secondary", "sm")}>
                Filter
              </button>
            </form>
          </div>
          {items.length === 0 ? (
            <p className="px-4 py-6 text-sm text-slate-600">
              No employees{teamFilter ? " in this team" : ""} yet. Upload a sheet or add one with the form.
            </p>
          ) : (
            <EmployeeTable items={items} editHref={editHref} editing={editing?.id ?? null} />
          )}
        </Card>

        <div className="min-w-0 space-y-5">
          <Card className="p-4" as="div">
            {editId && !editing ? <p className="mb-3 text-sm text-amber-900">That employee was not found; add a new one instead.</p> : null}
            <EmployeeForm
              key={editing?.id ?? "new"}
              employee={editing}
              teams={teams}
              timeZones={timeZones()}
              action={editing ? updateEmployeeAction : createEmployeeAction}
              cancelHref={editing ? base : undefined}
            />
          </Card>

          <Card className="min-w-0 overflow-hidden" aria-labelledby="employee-uploads-h">
            <div className="border-b border-slate-200 px-4 py-3">
              <h2 id="employee-uploads-h" className="text-base font-semibold text-slate-900">
                Import from a sheet
              </h2>
              <p className="mt-1 text-sm text-slate-600">
                CSV or Excel with columns name, e-mail, team or department, skills, seniority, max open tickets, time zone, active
                (optional: working hours, working days). A re-upload updates people by e-mail.
              </p>
              <Link href="/files?kind=employees" className={cx(buttonClass("secondary", "sm"), "mt-2")} data-testid="upload-employees-link">
                Upload an employee sheet
              </Link>
            </div>
            <EmployeeUploads items={uploads} />
          </Card>
        </div>
      </div>
    </div>
  );
}
