import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { CalendarForm } from "@/components/sla-admin/calendar-form";
import { Card } from "@/components/ui/card";
import { hoursSummary, supportedTimeZones } from "@/components/sla-admin/calendar-format";
import { listCalendars } from "@/lib/sla/admin/calendars";
import { createCalendarAction } from "./actions";

export const metadata: Metadata = { title: "Business hours" };
export const dynamic = "force-dynamic";

export default async function AdminCalendarsPage() {
  const principal = await requireAdmin("/admin/calendars");
  const calendars = await listCalendars(await getDb(), principal);
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Business hours: the calendars SLA targets count on (working days and hours per time zone, holidays, or 24×7).</p>
      </div>
      <AdminNav current="calendars" />
      <Card className="min-w-0 overflow-hidden" aria-labelledby="calendars-h">
        <div className="border-b border-slate-200 px-4 py-3">
          <h2 id="calendars-h" className="text-base font-semibold text-slate-900">
            Calendars
          </h2>
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="calendar-table">
            <caption className="sr-only">Business calendars with their time zone, working hours, holidays and the number of policies using them</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                {["Name", "Time zone", "Working hours", "Holidays", "Policies"].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {calendars.map((c) => (
                <tr key={c.id} className="align-top" data-testid={`calendar-row-${c.name}`}>
                  <th scope="row" className="px-3 py-2.5 text-left font-normal">
                    <Link href={`/admin/calendars/${c.id}`} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                      {c.name}
                    </Link>
                  </th>
                  <td className="px-3 py-2.5 text-slate-800">{c.timeZone}</td>
                  <td className="px-3 py-2.5 text-slate-800" data-testid="hours-summary">
                    {hoursSummary(c)}
                  </td>
                  <td className="px-3 py-2.5 text-slate-800">{c.alwaysOpen ? "Ignored" : c.holidayCount}</td>
                  <td className="px-3 py-2.5 text-slate-800">{c.policyCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card className="min-w-0 p-4" aria-labelledby="new-calendar-h">
        <h2 id="new-calendar-h" className="mb-3 text-base font-semibold text-slate-900">
          New calendar
        </h2>
        <CalendarForm action={createCalendarAction} timeZones={supportedTimeZones()} submitLabel="Create calendar" />
      </Card>
    </div>
  );
}
