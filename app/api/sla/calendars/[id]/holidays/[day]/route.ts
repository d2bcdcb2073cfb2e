import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { deleteHoliday } from "@/lib/sla/admin/calendars";

export const dynamic = "force-dynamic";

type Params = { id: string; day: string };

/** DELETE /api/sla/calendars/{id}/holidays/{day} — admins; day is YYYY-MM-DD. → 204. Errors: 401, 403, 404. */
export const DELETE = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => {
  await deleteHoliday(await getDb(), params.id, params.day, principal!);
  return new Response(null, { status: 204 });
});
