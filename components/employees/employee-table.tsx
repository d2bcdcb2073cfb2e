import Link from "next/link";
import { cx } from "@/components/ui/cx";
import type { EmployeeDTO } from "@/lib/routing/employees/schemas";
import { formatWorkDays } from "@/lib/routing/employees/values";

/** At most this many skills are listed per row; the rest are counted. */
const SKILLS_SHOWN = 6;

/**
 * Employees as a table: name and e-mail, team, skills, seniority, load (open tickets / max),
 * time zone with working hours and days, active; each row links to its edit form (`editHref`).
 */
export function EmployeeTable({ items, editHref, editing }: { items: EmployeeDTO[]; editHref: (id: string) => string; editing: string | null }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="employee-table">
        <caption className="sr-only">Employees with their team, skills, seniority, load and working time</caption>
        <thead className="bg-slate-50 text-xs text-slate-700">
          <tr>
            {["Name", "Team", "Skills", "Seniority", "Load", "Time zone", "Active", ""].map((h, i) => (
              <th key={i} scope="col" className="px-3 py-2 font-semibold">
                {h || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {items.map((e) => {
            const full = e.maxOpenTickets > 0 && e.openTickets >= e.maxOpenTickets;
            return (
              <tr key={e.id} className={cx("align-top", editing === e.id && "bg-brand-50")} data-testid="employee-row" data-email={e.email}>
                <th scope="row" className="px-3 py-2.5 font-normal">
                  <span className="font-medium text-slate-900">{e.name}</span>
                  <span className="block text-xs text-slate-600">{e.email}</span>
                  {e.user?.invited ? <span className="mt-0.5 inline-block rounded bg-amber-50 px-1.5 text-xs text-amber-900 ring-1 ring-amber-200">invited</span> : null}
                </th>
                <td className="px-3 py-2.5 text-slate-800">
                  {e.teamName ?? <span className="text-slate-600">No team</span>}
                  {e.department && e.department !== e.teamName ? <span className="block text-xs text-slate-600">{e.department}</span> : null}
                </td>
                <td className="max-w-xs px-3 py-2.5 text-slate-800" data-testid="employee-skills">
                  {e.skills.length === 0 ? <span className="text-slate-600">None</span> : e.skills.slice(0, SKILLS_SHOWN).join(", ")}
                  {e.skills.length > SKILLS_SHOWN ? <span className="text-slate-600"> +{e.skills.length - SKILLS_SHOWN} more</span> : null}
                </td>
                <td className="px-3 py-2.5 capitalize text-slate-800" data-testid="employee-seniority">
                  {e.seniority}
                </td>
                <td className={cx("whitespace-nowrap px-3 py-2.5 tabular-nums", full ? "font-medium text-red-800" : "text-slate-800")} data-testid="employee-load">
                  {e.openTickets}/{e.maxOpenTickets}
                  {full ? <span className="sr-only"> (at capacity)</span> : null}
                </td>
                <td className="whitespace-nowrap px-3 py-2.5 text-slate-800">
                  {e.timeZone}
                  <span className="block text-xs text-slate-600">
                    {formatWorkDays(e.workDays)} {e.workHours}
                  </span>
                </td>
                <td className="px-3 py-2.5 text-slate-800">{e.active ? "Yes" : <span className="text-slate-600">No</span>}</td>
                <td className="px-3 py-2.5">
                  <Link href={editHref(e.id)} className="text-brand-700 underline underline-offset-2" aria-label={`Edit ${e.name}`}>
                    Edit
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
