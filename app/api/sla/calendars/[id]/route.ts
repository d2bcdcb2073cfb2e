import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { deleteCalendar, getCalendar, updateCalendar } from "@/lib/sla/admin/calendars";
import { UpdateCalendarSchema } from "@/lib/sla/admin/schemas";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/sla/calendars/{id} — admins. → 200 CalendarDTO. Errors: 401, 403, 404. */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => getCalendar(await getDb(), params.id, principal!));

/**
 * PATCH /api/sla/calendars/{id} — admins. Body UpdateCalendarSchema (any subset) → 200
 * CalendarDTO. Errors: 400 (incl. no working time left), 401, 403, 404, 409 (duplicate_name).
 */
export const PATCH = route<Params, undefined, typeof UpdateCalendarSchema>({ auth: "admin", scope: "admin", body: UpdateCalendarSchema }, async ({ params, body, principal }) =>
  updateCalendar(await getDb(), params.id, body, principal!),
);

/** DELETE /api/sla/calendars/{id} — admins. → 204. Errors: 401, 403, 404, 409 (details.reason calendar_in_use). */
export const DELETE = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => {
  await deleteCalendar(await getDb(), params.id, principal!);
  return new Response(null, { status: 204 });
});
