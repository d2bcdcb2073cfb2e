"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { failed, invalid, SIGNED_OUT } from "@/lib/sla/admin/action-state";
import type { SlaFormState } from "@/lib/sla/admin/form-errors";
import type { IcsImportState } from "@/components/sla-admin/holiday-forms";
import { currentPrincipal } from "@/lib/auth/session";
import { createCalendar, deleteCalendar, deleteHoliday, importIcsHolidays, updateCalendar, upsertHolidays } from "@/lib/sla/admin/calendars";
import { CreateCalendarSchema, HolidaySchema, UpdateCalendarSchema } from "@/lib/sla/admin/schemas";
import { slaNow } from "@/lib/sla/now";
import { textArg } from "@/lib/forms/action-args";

/** Create a business calendar (admins). Input: CreateCalendarSchema's payload. */
export async function createCalendarAction(_prev: SlaFormState, raw: unknown): Promise<SlaFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = CreateCalendarSchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error.issues);
    const c = await createCalendar(await getDb(), parsed.data, principal);
    revalidatePath("/admin/calendars");
    return { status: "success", message: `Calendar ${c.name} created.`, data: { id: c.id, name: c.name } };
  } catch (err) {
    return failed(err, "createCalendarAction");
  }
}

/** Change a business calendar (admins). Input: UpdateCalendarSchema's payload. */
export async function updateCalendarAction(id: string, _prev: SlaFormState, raw: unknown): Promise<SlaFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = UpdateCalendarSchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error.issues);
    const c = await updateCalendar(await getDb(), id, parsed.data, principal);
    revalidatePath("/admin/calendars");
    revalidatePath(`/admin/calendars/${id}`);
    return { status: "success", message: `Saved: ${c.name}.`, data: { id: c.id, name: c.name } };
  } catch (err) {
    return failed(err, "updateCalendarAction");
  }
}

/** Delete a business calendar (admins); refused (calendar_in_use) while a policy uses it. */
export async function deleteCalendarAction(id: string, _prev: SlaFormState): Promise<SlaFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    await deleteCalendar(await getDb(), id, principal);
    revalidatePath("/admin/calendars");
    return { status: "success", message: "Calendar deleted.", data: { id, name: "" } };
  } catch (err) {
    return failed(err, "deleteCalendarAction");
  }
}

/** Add or rename a holiday (admins). Input: HolidaySchema's payload. */
export async function addHolidayAction(id: string, _prev: SlaFormState, raw: unknown): Promise<SlaFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = HolidaySchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error.issues);
    const r = await upsertHolidays(await getDb(), id, [parsed.data], principal);
    revalidatePath(`/admin/calendars/${id}`);
    return { status: "success", message: `${parsed.data.day} ${r.added ? "added" : "renamed"}.`, data: { id, name: parsed.data.day } };
  } catch (err) {
    return failed(err, "addHolidayAction");
  }
}

/** Remove a holiday (admins). */
export async function deleteHolidayAction(id: string, day: string, _prev: SlaFormState): Promise<SlaFormState> {
  id = textArg(id);
  day = textArg(day);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    await deleteHoliday(await getDb(), id, day, principal);
    revalidatePath(`/admin/calendars/${id}`);
    return { status: "success", message: `${day} removed.`, data: { id, name: day } };
  } catch (err) {
    return failed(err, "deleteHolidayAction");
  }
}

/** Merge the holidays of an .ics text into the calendar (admins). */
export async function importIcsAction(id: string, _prev: IcsImportState, ics: unknown): Promise<IcsImportState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    if (typeof ics !== "string" || !ics) return { status: "error", message: "Choose an .ics file" };
    const db = await getDb();
    const r = await importIcsHolidays(db, id, ics, await slaNow(db), principal);
    revalidatePath(`/admin/calendars/${id}`);
    return { status: "success", message: `Imported ${r.holidays.length} ${r.holidays.length === 1 ? "day" : "days"}: ${r.added} new, ${r.updated} renamed.`, skipped: r.skipped };
  } catch (err) {
    const s = failed(err, "importIcsAction");
    return { status: "error", message: s.status === "error" ? s.message : "Import failed" };
  }
}
