import { getDb } from "@/db/client";
import { readBodyBytes, readJsonBody } from "@/lib/http/body";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { importIcsHolidays } from "@/lib/sla/admin/calendars";
import { IcsImportSchema, MAX_ICS_BYTES } from "@/lib/sla/admin/schemas";
import { slaNow } from "@/lib/sla/now";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** Room for the JSON wrapper and escapes around a 1 MB file. */
const MAX_JSON_IMPORT_BYTES = 2 * MAX_ICS_BYTES + 1024;

/**
 * POST /api/sla/calendars/{id}/holidays/import — admins. Body: the .ics file as `text/calendar`
 * (or text/plain), or JSON {ics}. Merges its holidays into the calendar (upsert by day; yearly
 * recurrences expanded for the next 3 years) → 200 {added, updated, holidays: [{day, name}],
 * skipped: [{name, reason}]}. Errors: 400 (not iCalendar, nothing importable), 401, 403, 404,
 * 413 (over 1 MB), 415 (other content types).
 */
export const POST = route<Params>({ auth: "admin", scope: "admin" }, async ({ req, params, principal }) => {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  let ics: string;
  if (/^application\/(.+\+)?json\b/.test(type)) {
    const parsed = IcsImportSchema.safeParse(await readJsonBody(req, MAX_JSON_IMPORT_BYTES));
    if (!parsed.success) {
      const tooBig = parsed.error.issues.some((i) => i.code === "too_big");
      if (tooBig) throw new ApiError("payload_too_large", "The .ics file is larger than 1 MB", { maxBytes: MAX_ICS_BYTES });
      throw new ApiError("validation_error", "The request body is invalid", {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message })),
      });
    }
    ics = parsed.data.ics;
  } else if (/^text\/(calendar|plain)\b/.test(type)) {
    ics = new TextDecoder("utf-8").decode(await readBodyBytes(req, MAX_ICS_BYTES));
  } else {
    throw new ApiError("unsupported_media_type", "Send the .ics file as text/calendar, or JSON {ics}", { contentType: type || null });
  }
  const db = await getDb();
  return importIcsHolidays(db, params.id, ics, await slaNow(db), principal!);
});
