import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { listHolidays, upsertHolidays } from "@/lib/sla/admin/calendars";
import { HolidaySchema } from "@/lib/sla/admin/schemas";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/sla/calendars/{id}/holidays — admins. → 200 {items: [{day, name}]} by day. Errors: 401, 403, 404. */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => ({ items: await listHolidays(await getDb(), params.id, principal!) }));

/**
 * POST /api/sla/calendars/{id}/holidays — admins. Body HolidaySchema {day: YYYY-MM-DD, name?};
 * adds the day or renames it (upsert) → 201 {day, name, added: boolean}. Errors: 400, 401, 403, 404.
 */
export const POST = route<Params, undefined, typeof HolidaySchema>({ auth: "admin", scope: "admin", body: HolidaySchema }, async ({ params, body, principal }) => {
  const r = await upsertHolidays(await getDb(), params.id, [body], principal!);
  return json({ day: body.day, name: body.name, added: r.added === 1 }, 201);
});
