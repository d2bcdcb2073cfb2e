import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { CalendarForm } from "@/components/sla-admin/calendar-form";
import { supportedTimeZones } from "@/components/sla-admin/calendar-format";
import { ConfirmDeleteButton } from "@/components/ui/confirm-delete-button";
import { HolidayForm, IcsUploadForm } from "@/components/sla-admin/holiday-forms";
import { Card } from "@/components/ui/card";
import { ApiError } from "@/lib/http/errors";
import { getCalendar, listHolidays } from "@/lib/sla/admin/calendars";
import { addHolidayAction, deleteCalendarAction, deleteHolidayAction, importIcsAction, updateCalendarAction } from "../actions";

export const metadata: Metadata = { title: "Business calendar" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export default async function CalendarPage({ params }: Props) {
  const { id } = await params;
  const principal = await requireAdmin(`/admin/calendars/${id}`);
  const db = await getDb();
  const cal = await getCalendar(db, id, principal).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) notFound();
    throw err;
  });
  const holidays = await listHolidays(db, id, principal);
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">
          <Link href="/admin/calendars" className="text-brand-700 underline underline-offset-2">
            Business hours
          </Link>{" "}
          › {cal.name}
        </p>
      </div>
      <AdminNav current="calendars" />
      <Card className="min-w-0 p-4" aria-labelledby="edit-cal-h">
        <h2 id="edit-cal-h" className="mb-1 text-base font-semibold text-slate-900">
          {cal.name}
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Used by {cal.policyCount} {cal.policyCount === 1 ? "policy" : "policies"}. Changes apply to new tickets, and to open tickets when their SLA is next recomputed.
        </p>
        <CalendarForm
          action={updateCalendarAction.bind(null, cal.id)}
          initial={{ name: cal.name, timeZone: cal.timeZone, alwaysOpen: cal.alwaysOpen, hours: cal.hours }}
          timeZones={supportedTimeZones()}
          submitLabel="Save calendar"
        />
      </Card>
      <Card className="min-w-0 p-4" aria-labelledby="holidays-h">
        <h2 id="holidays-h" className="mb-1 text-base font-semibold text-slate-900">
          Holidays
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Whole local days on which the clock does not run{cal.alwaysOpen ? " (ignored while the calendar is 24×7)" : ""}.
        </p>
        <div className="space-y-4">
          <HolidayForm action={addHolidayAction.bind(null, cal.id)} />
          <IcsUploadForm action={importIcsAction.bind(null, cal.id)} />
          <table className="w-full text-left text-sm" data-testid="holiday-table">
            <caption className="sr-only">Holidays of {cal.name}</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Date
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {holidays.length === 0 ? (
                <tr>
                  <td colSpan={3} className="px-3 py-2 text-slate-600">
                    No holidays.
                  </td>
                </tr>
              ) : (
                holidays.map((h) => (
                  <tr key={h.day} data-testid={`holiday-${h.day}`}>
                    <th scope="row" className="px-3 py-2 text-left font-mono font-normal">
                      {h.day}
                    </th>
                    <td className="px-3 py-2 text-slate-800">{h.name}</td>
                    <td className="px-3 py-2">
                      <ConfirmDeleteButton label={`Delete holiday ${h.day}`} question={`Remove ${h.day}?`} action={deleteHolidayAction.bind(null, cal.id, h.day)} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </Card>
      <Card className="min-w-0 p-4" aria-labelledby="delete-cal-h">
        <h2 id="delete-cal-h" className="mb-2 text-base font-semibold text-slate-900">
          Delete
        </h2>
        <ConfirmDeleteButton
          label={`Delete calendar ${cal.name}`}
          question={cal.policyCount ? `${cal.policyCount} ${cal.policyCount === 1 ? "policy uses" : "policies use"} it: move them first. Delete anyway?` : `Delete ${cal.name} and its holidays?`}
          action={deleteCalendarAction.bind(null, cal.id)}
          backTo="/admin/calendars"
        />
      </Card>
    </div>
  );
}
