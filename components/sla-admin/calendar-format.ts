import type { CalendarDTO } from "@/lib/sla/admin/calendars";
import { ISO_WEEKDAYS } from "@/lib/sla/admin/schemas";

const SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "Mon 09:00–17:00; Tue 08:00–12:00, 13:00–17:00" (or "24×7"). */
export function hoursSummary(c: Pick<CalendarDTO, "alwaysOpen" | "hours">): string {
  if (c.alwaysOpen) return "24×7";
  return ISO_WEEKDAYS.filter((d) => (c.hours[d] ?? []).length)
    .map((d) => `${SHORT[Number(d) - 1]} ${(c.hours[d] ?? []).map((s) => `${s.start}–${s.end}`).join(", ")}`)
    .join("; ");
}

/** The IANA zones this runtime knows (Intl.supportedValuesOf), with UTC, for the time-zone select. */
export function supportedTimeZones(): string[] {
  const list = Intl.supportedValuesOf("timeZone");
  return list.includes("UTC") ? list : ["UTC", ...list];
}
