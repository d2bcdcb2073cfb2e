import { DateTime } from "luxon";
import type { Phrase } from "./phrase";

/*
 * Creation-date phrases → a half-open range [from, to) of instants (ISO UTC strings), computed
 * in the caller's time zone (GrammarContext.timeZone); weeks start on Monday.
 *
 * - "today" = local midnight .. next midnight; "yesterday" = the day before.
 * - "this week" / "this month" / "this year" = from Monday 00:00 / the 1st / 1 January, open-ended.
 * - "last week" / "last month" / "last year" = the previous one: [its start, the current one's start).
 * - "last|past N days|weeks|months" (also "in the last 2 weeks") = from local midnight N days
 *   (weeks, months) before today, open-ended; "last|past N hours" = from now minus N hours.
 * - "since X" = from the start of day X; "after X" = from the day after X; "before X"/"until X" = to the start of X.
 * - "on X" (or a bare date) = that day; "from X to Y" / "between X and Y" = X 00:00 .. the day after Y.
 * - A day X is "today", "yesterday", a weekday ("monday" = the latest Monday on or before today),
 *   an ISO date (2026-11-20), "20.11.2026", "1 nov", "nov 1st", "november 1 2026". Without a
 *   year it is the latest such day on or before today.
 */

export interface DateRange {
  from?: string;
  to?: string;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const WEEKDAY = String.raw`(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)`;
const ORD = String.raw`(?:st|nd|rd|th)?`;
/** One day as people write it (see the module comment). */
export const DAY_SOURCE = String.raw`(?:\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}${ORD}\s+(?:of\s+)?${MONTH}(?:,?\s+\d{4})?|${MONTH}\s+\d{1,2}${ORD}(?:,?\s+\d{4})?|(?:last\s+)?${WEEKDAY}|today|yesterday)`;

/** Start of the day `text` names (see {@link DAY_SOURCE}) in `zone`, or null. */
export function parseDay(text: string, now: DateTime): DateTime | null {
  const t = text.toLowerCase().trim();
  const today = now.startOf("day");
  if (t === "today") return today;
  if (t === "yesterday") return today.minus({ days: 1 });
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return valid(DateTime.fromObject({ year: +m[1], month: +m[2], day: +m[3] }, { zone: now.zone }));
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m) return valid(DateTime.fromObject({ year: +m[3], month: +m[2], day: +m[1] }, { zone: now.zone }));
  const wd = new RegExp(String.raw`^(last\s+)?(${WEEKDAY})$`).exec(t);
  if (wd) {
    const target = WEEKDAYS.findIndex((d) => d.startsWith(wd[2].slice(0, 3))) + 1;
    let back = (today.weekday - target + 7) % 7;
    if (wd[1] && back === 0) back = 7;
    return today.minus({ days: back });
  }
  m = new RegExp(String.raw`^(\d{1,2})${ORD}\s+(?:of\s+)?(${MONTH})(?:,?\s+(\d{4}))?$`).exec(t) ?? null;
  let day: number, month: number, year: number | undefined;
  if (m) [day, month, year] = [+m[1], monthIndex(m[2]), m[3] ? +m[3] : undefined];
  else {
    m = new RegExp(String.raw`^(${MONTH})\s+(\d{1,2})${ORD}(?:,?\s+(\d{4}))?$`).exec(t);
    if (!m) return null;
    [day, month, year] = [+m[2], monthIndex(m[1]), m[3] ? +m[3] : undefined];
  }
  if (year) return valid(DateTime.fromObject({ year, month, day }, { zone: now.zone }));
  const thisYear = valid(DateTime.fromObject({ year: today.year, month, day }, { zone: now.zone }));
  if (thisYear && thisYear > today) return valid(DateTime.fromObject({ year: today.year - 1, month, day }, { zone: now.zone }));
  return thisYear;
}

const monthIndex = (name: string) => MONTHS.indexOf(name.slice(0, 3)) + 1;
const valid = (d: DateTime) => (d.isValid ? d : null);
const iso = (d: DateTime) => d.toUTC().toJSDate().toISOString();

/** Result of {@link takeDateRange}: the range, or an error message for a date that makes no sense. */
export type DateResult = { range: DateRange } | { error: string } | null;

const UNIT: Record<string, "days" | "weeks" | "months" | "hours" | "years"> = {
  day: "days", days: "days", week: "weeks", weeks: "weeks", month: "months", months: "months", hour: "hours", hours: "hours", year: "years", years: "years",
};

/**
 * Takes the first creation-date phrase out of `p` (with a leading "created"/"opened"/"raised"
 * if present) and returns its range in `timeZone` relative to `now`, or null when there is none.
 */
export function takeDateRange(p: Phrase, now: Date, timeZone: string): DateResult {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (!local.isValid) return { error: `Unknown time zone ${timeZone}` };
  const today = local.startOf("day");
  const lead = String.raw`(?:(?:created|opened|raised|filed|logged|submitted|reported|came in)\s+)?`;
  const DAY = DAY_SOURCE;
  let m: RegExpExecArray | null;
  const day = (s: string) => parseDay(s, local);

  if ((m = p.take(new RegExp(String.raw`\b${lead}(?:from|between)\s+(${DAY})\s+(?:to|until|till|and|-|through)\s+(${DAY})\b`, "i")))) {
    const [a, b] = [day(m[1]), day(m[2])];
    if (!a || !b) return { error: `I could not read the dates "${m[1]}" and "${m[2]}".` };
    if (b < a) return { error: `"${m[1]}" is after "${m[2]}".` };
    return { range: { from: iso(a), to: iso(b.plus({ days: 1 })) } };
  }
  if ((m = p.take(new RegExp(String.raw`\b${lead}(since|after|from|before|until|till)\s+(${DAY})\b`, "i")))) {
    const d = day(m[2]);
    if (!d) return { error: `I could not read the date "${m[2]}".` };
    const kw = m[1].toLowerCase();
    if (kw === "before" || kw === "until" || kw === "till") return { range: { to: iso(d) } };
    return { range: { from: iso(kw === "after" ? d.plus({ days: 1 }) : d) } };
  }
  if ((m = p.take(new RegExp(String.raw`\b${lead}(?:in\s+the\s+|within\s+the\s+|over\s+the\s+|during\s+the\s+)?(?:last|past|previous)\s+(\d{1,3})\s+(days?|weeks?|months?|hours?|years?)\b`, "i")))) {
    const n = +m[1];
    const unit = UNIT[m[2].toLowerCase()];
    if (n < 1) return { error: "Give a period of at least 1." };
    return { range: { from: iso(unit === "hours" ? local.minus({ hours: n }) : today.minus({ [unit]: n })) } };
  }
  if ((m = p.take(new RegExp(String.raw`\b${lead}(?:(this|last|previous|current|past)\s+(week|month|year)|(today|yesterday))\b`, "i")))) {
    if (m[3]) {
      const start = m[3].toLowerCase() === "today" ? today : today.minus({ days: 1 });
      return { range: { from: iso(start), to: iso(start.plus({ days: 1 })) } };
    }
    const unit = m[2].toLowerCase() as "week" | "month" | "year";
    const current = today.startOf(unit);
    if (/this|current/i.test(m[1])) return { range: { from: iso(current) } };
    return { range: { from: iso(current.minus({ [`${unit}s`]: 1 })), to: iso(current) } };
  }
  if ((m = p.take(new RegExp(String.raw`\b${lead}(?:on\s+)?(${DAY})\b`, "i")))) {
    const d = day(m[1]);
    if (!d) return { error: `I could not read the date "${m[1]}".` };
    return { range: { from: iso(d), to: iso(d.plus({ days: 1 })) } };
  }
  return null;
}
