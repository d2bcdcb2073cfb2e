import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { createCalendar, listCalendars } from "@/lib/sla/admin/calendars";
import { CreateCalendarSchema } from "@/lib/sla/admin/schemas";

export const dynamic = "force-dynamic";

/** GET /api/sla/calendars — admins. → 200 {items: CalendarDTO[]} by name. Errors: 401, 403. */
export const GET = route({ auth: "admin", scope: "admin" }, async ({ principal }) => ({ items: await listCalendars(await getDb(), principal!) }));

/**
 * POST /api/sla/calendars — admins. Body CreateCalendarSchema {name, timeZone?, alwaysOpen?,
 * hours?} (hours: ISO weekday "1".."7" → [{start: "HH:MM", end: "HH:MM"}]) → 201 CalendarDTO.
 * Errors: 400 (validation: bad time zone, overlapping shifts, no working time), 401, 403,
 * 409 (details.reason duplicate_name).
 */
export const POST = route({ auth: "admin", scope: "admin", body: CreateCalendarSchema }, async ({ body, principal }) =>
  json(await createCalendar(await getDb(), body, principal!), 201),
);
