import { z } from "zod";
import { WAITING_REASONS } from "@/db/schema/enums";
import type { WeeklyHours } from "@/db/schema/sla";
import { PrioritySchema, SlugSchema, text } from "@/lib/tickets/schemas";

/*
 * One zod schema per payload of the SLA admin API (/api/sla/policies, /api/sla/calendars…),
 * shared by the route handlers, the admin forms' server actions and the OpenAPI document.
 * Imported by client components, so nothing here may import server-only modules.
 * Units: policy targets are business seconds; calendar hours are "HH:MM" local wall clock,
 * stored as minutes after local midnight (db/schema/sla.ts WeeklyHours).
 */

/** ISO weekdays as the `hours` map keys them: "1" = Monday … "7" = Sunday. */
export const ISO_WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;
export type IsoWeekday = (typeof ISO_WEEKDAYS)[number];

/** True when `tz` is an IANA time zone this runtime knows (Intl.DateTimeFormat accepts it). */
export function isValidTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "HH:MM" → minutes after midnight; "24:00" → 1440. Null when malformed. */
export function parseHhMm(s: string): number | null {
  const m = /^([01][0-9]|2[0-4]):([0-5][0-9])$/.exec(s);
  if (!m) return null;
  const min = Number(m[1]) * 60 + Number(m[2]);
  return min <= 1440 ? min : null;
}

/** Minutes after midnight → "HH:MM" (1440 → "24:00"). */
export function formatHhMm(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
}

const HhMmSchema = z.string().refine((s) => parseHhMm(s) !== null, { message: 'Use HH:MM (00:00–24:00), e.g. "09:00"' });

/** One working interval of a day, local wall clock, [start, end). */
export const ShiftSchema = z
  .strictObject({
    start: HhMmSchema.describe('Local start, "HH:MM"'),
    end: HhMmSchema.describe('Local end, "HH:MM"; "24:00" = midnight'),
  })
  .refine((s) => (parseHhMm(s.start) ?? 0) < (parseHhMm(s.end) ?? 0), { message: "The end must be after the start", path: ["end"] });
export type Shift = z.output<typeof ShiftSchema>;

/**
 * Working hours: ISO weekday "1".."7" → shifts. Several shifts per day (split shifts) are
 * allowed; they must not overlap. Days left out are closed.
 */
export const HoursSchema = z
  .partialRecord(z.enum(ISO_WEEKDAYS), z.array(ShiftSchema).max(12, "At most 12 shifts a day"))
  .superRefine((hours, ctx) => {
    for (const [day, shifts] of Object.entries(hours)) {
      const sorted = (shifts ?? [])
        .map((s, i) => ({ i, start: parseHhMm(s.start), end: parseHhMm(s.end) }))
        .filter((s): s is { i: number; start: number; end: number } => s.start !== null && s.end !== null)
        .sort((a, b) => a.start - b.start);
      for (let k = 1; k < sorted.length; k++) {
        if (sorted[k].start < sorted[k - 1].end) {
          ctx.addIssue({ code: "custom", path: [day, sorted[k].i, "start"], message: "Shifts of a day must not overlap" });
        }
      }
    }
  })
  .describe('ISO weekday ("1" = Monday … "7" = Sunday) → [{start: "HH:MM", end: "HH:MM"}]; split shifts allowed, no overlaps; missing days are closed');
export type HoursInput = z.output<typeof HoursSchema>;

/** API hours ("HH:MM" shifts) → stored WeeklyHours (minutes, sorted). Empty days are left out. */
export function toWeeklyHours(hours: HoursInput): WeeklyHours {
  const out: WeeklyHours = {};
  for (const d of ISO_WEEKDAYS) {
    const list = (hours[d] ?? []).map((s) => [parseHhMm(s.start)!, parseHhMm(s.end)!] as [number, number]).sort((a, b) => a[0] - b[0]);
    if (list.length) out[d] = list;
  }
  return out;
}

/** Stored WeeklyHours → API hours ("HH:MM" shifts) for every weekday that has any. */
export function fromWeeklyHours(hours: WeeklyHours): HoursInput {
  const out: HoursInput = {};
  for (const d of ISO_WEEKDAYS) {
    const list = hours[d] ?? [];
    if (list.length) out[d] = list.map(([s, e]) => ({ start: formatHhMm(s), end: formatHhMm(e) }));
  }
  return out;
}

const hasShift = (hours: HoursInput | undefined) => Object.values(hours ?? {}).some((l) => (l ?? []).length > 0);

const calendarFields = {
  name: text().trim().min(1, "Enter a name").max(80, "The name has at most 80 characters").describe("Unique"),
  timeZone: z
    .string()
    .trim()
    .refine(isValidTimeZone, { message: "Choose a valid IANA time zone, e.g. Europe/Berlin" })
    .describe("IANA time zone, e.g. Europe/Berlin"),
  alwaysOpen: z.boolean().describe("24×7: every second counts; hours and holidays are ignored"),
  hours: HoursSchema,
};

const NO_WORKING_TIME = "A calendar that is not 24×7 needs working hours on at least one day";

/** POST /api/sla/calendars and the admin create form. */
export const CreateCalendarSchema = z
  .strictObject({
    name: calendarFields.name,
    timeZone: calendarFields.timeZone.default("UTC"),
    alwaysOpen: calendarFields.alwaysOpen.default(false),
    hours: calendarFields.hours.default({}),
  })
  .refine((v) => v.alwaysOpen || hasShift(v.hours), { message: NO_WORKING_TIME, path: ["hours"] });
export type CreateCalendarInput = z.output<typeof CreateCalendarSchema>;

/**
 * PATCH /api/sla/calendars/{id} and the admin edit form: any subset. Whether the result still
 * has working time is checked by the service against the stored values.
 */
export const UpdateCalendarSchema = z
  .strictObject({
    name: calendarFields.name.optional(),
    timeZone: calendarFields.timeZone.optional(),
    alwaysOpen: calendarFields.alwaysOpen.optional(),
    hours: calendarFields.hours.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" })
  .refine((v) => v.alwaysOpen !== false || v.hours === undefined || hasShift(v.hours), { message: NO_WORKING_TIME, path: ["hours"] });
export type UpdateCalendarInput = z.output<typeof UpdateCalendarSchema>;

/** A local date, YYYY-MM-DD, that exists in the calendar. */
export const DaySchema = z.iso.date("Use a date as YYYY-MM-DD").describe("Local date, YYYY-MM-DD");

/** POST /api/sla/calendars/{id}/holidays: add or rename one holiday (upsert by day). */
export const HolidaySchema = z.strictObject({
  day: DaySchema,
  name: text().trim().max(120, "The name has at most 120 characters").default("").describe("e.g. New Year's Day"),
});
export type HolidayInput = z.output<typeof HolidaySchema>;

/** Largest .ics accepted by the holiday import, in bytes (1 MB). */
export const MAX_ICS_BYTES = 1024 * 1024;

/** POST /api/sla/calendars/{id}/holidays/import as JSON (the raw text/calendar body is also accepted). */
export const IcsImportSchema = z.strictObject({
  ics: z.string().min(1, "Send the iCalendar text").max(MAX_ICS_BYTES, "The .ics file is larger than 1 MB").describe("iCalendar (.ics) text"),
});

/** A lower-case DNS domain (the requester organisation's e-mail domain). */
export const OrgDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, "A domain has at most 253 characters")
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/, "Enter a domain such as example.com (no @, no scheme)")
  .describe("Requester organisation: the e-mail domain, e.g. example.com (stored lower case)");

/** Most business seconds a target may be: 365 days. */
export const MAX_TARGET_S = 365 * 24 * 3600;
const TargetSecondsSchema = z.number().int("Whole seconds").min(1, "At least 1 second").max(MAX_TARGET_S, "At most 365 days");

export const EscalationSchema = z
  .strictObject({
    raisePriority: z.boolean().optional().describe("Move the ticket one priority up on a breach (never above P1)"),
    reassignTo: z.enum(["lead", "team"]).nullable().optional().describe("lead: assign to the team's lead; team: move to teamSlug, unassigned"),
    teamSlug: SlugSchema.nullable().optional().describe("Team to move the ticket to (reassignTo = team)"),
  })
  .refine((e) => e.reassignTo !== "team" || !!e.teamSlug, { message: "Choose the team to move breached tickets to", path: ["teamSlug"] })
  .transform((e) => ({
    ...(e.raisePriority ? { raisePriority: true } : {}),
    ...(e.reassignTo ? { reassignTo: e.reassignTo } : {}),
    ...(e.reassignTo === "team" ? { teamSlug: e.teamSlug } : {}),
  }))
  .describe("What a breach does: {raisePriority?, reassignTo?: lead|team|null, teamSlug? (required for team)}");

const policyFields = {
  name: text().trim().min(1, "Enter a name").max(80, "The name has at most 80 characters").describe("Unique"),
  priority: PrioritySchema,
  category: SlugSchema.nullable().describe("Narrow to tickets of this category (slug)"),
  team: SlugSchema.nullable().describe("Narrow to tickets of this team (slug)"),
  orgDomain: OrgDomainSchema.nullable(),
  calendarId: z.uuid("Choose a calendar").describe("Business calendar the targets count on"),
  firstResponseS: TargetSecondsSchema.describe("First-response target, business seconds"),
  resolutionS: TargetSecondsSchema.describe("Resolution target, business seconds"),
  nextResponseS: TargetSecondsSchema.nullable().describe("Next-response target after each requester message, business seconds; null = none"),
  pauseOn: z
    .array(z.enum(WAITING_REASONS))
    .max(WAITING_REASONS.length)
    .refine((l) => new Set(l).size === l.length, { message: "List each waiting reason once" })
    .describe("Waiting reasons that stop the clock: requester, third_party"),
  atRiskPct: z.number().int().min(1, "1–99 %").max(99, "1–99 %").describe("Share of a target after which it is at risk, %; default 80"),
  escalation: EscalationSchema,
  active: z.boolean(),
};

/** POST /api/sla/policies and the admin create form. */
export const CreatePolicySchema = z.strictObject({
  name: policyFields.name,
  priority: policyFields.priority,
  category: policyFields.category.optional().default(null),
  team: policyFields.team.optional().default(null),
  orgDomain: policyFields.orgDomain.optional().default(null),
  calendarId: policyFields.calendarId,
  firstResponseS: policyFields.firstResponseS,
  resolutionS: policyFields.resolutionS,
  nextResponseS: policyFields.nextResponseS.optional().default(null),
  pauseOn: policyFields.pauseOn.default(["requester", "third_party"]),
  atRiskPct: policyFields.atRiskPct.default(80),
  escalation: policyFields.escalation.default({}),
  active: policyFields.active.default(true),
});
export type CreatePolicyInput = z.output<typeof CreatePolicySchema>;

/** PATCH /api/sla/policies/{id} and the admin edit form: any subset; `null` clears a narrowing field. */
export const UpdatePolicySchema = z
  .strictObject({
    name: policyFields.name.optional(),
    priority: policyFields.priority.optional(),
    category: policyFields.category.optional(),
    team: policyFields.team.optional(),
    orgDomain: policyFields.orgDomain.optional(),
    calendarId: policyFields.calendarId.optional(),
    firstResponseS: policyFields.firstResponseS.optional(),
    resolutionS: policyFields.resolutionS.optional(),
    nextResponseS: policyFields.nextResponseS.optional(),
    pauseOn: policyFields.pauseOn.optional(),
    atRiskPct: policyFields.atRiskPct.optional(),
    escalation: policyFields.escalation.optional(),
    active: policyFields.active.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" });
export type UpdatePolicyInput = z.output<typeof UpdatePolicySchema>;

/** Units the admin form offers for a target; a business day is 8 business hours. */
export const DURATION_UNITS = { minutes: 60, hours: 3600, bdays: 8 * 3600 } as const;
export type DurationUnit = keyof typeof DURATION_UNITS;

/** A target in seconds as the largest unit that divides it exactly (form default and table display). */
export function splitDuration(seconds: number): { value: number; unit: DurationUnit } {
  if (seconds % DURATION_UNITS.bdays === 0 && seconds >= DURATION_UNITS.bdays) return { value: seconds / DURATION_UNITS.bdays, unit: "bdays" };
  if (seconds % DURATION_UNITS.hours === 0) return { value: seconds / DURATION_UNITS.hours, unit: "hours" };
  return { value: Math.round((seconds / 60) * 100) / 100, unit: "minutes" };
}

/** A target in human units: "15 min", "4 h", "1 business day" (8 business hours), "90 s". */
export function formatTarget(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} s`;
  const { value, unit } = splitDuration(seconds);
  if (unit === "bdays") return `${value} business ${value === 1 ? "day" : "days"}`;
  return unit === "hours" ? `${value} h` : `${value} min`;
}
