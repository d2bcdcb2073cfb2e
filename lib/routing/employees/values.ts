/**
 * Cell-value parsers of employee skill profiles (seed 002), shared by the sheet import, the
 * admin form and the API schema. Pure: no database, safe in client components.
 *
 * Each parser takes the text as people write it and returns `{ok: true, value}` or
 * `{ok: false, message}` with a message that says what is accepted.
 */
import { SENIORITIES, type Seniority } from "@/db/schema/routing";

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** Longest skill, in characters. */
export const SKILL_MAX_CHARS = 60;
/** Most skills per person (the table's CHECK). */
export const SKILLS_MAX = 100;
/** Default capacity when a sheet or form leaves it out. */
export const DEFAULT_MAX_OPEN_TICKETS = 10;
/** Default working hours: 09:00–17:00 (minutes after local midnight). */
export const DEFAULT_WORK_START_MIN = 540;
export const DEFAULT_WORK_END_MIN = 1020;
/** Default working days: Monday to Friday (ISO weekdays, 1 = Monday). */
export const DEFAULT_WORK_DAYS: readonly number[] = [1, 2, 3, 4, 5];

/**
 * A skills cell as a list: split on `,` `;` `|` and line breaks, each trimmed, inner spaces
 * collapsed, lower-cased, empties and repeats dropped (first occurrence kept).
 */
export function splitSkills(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const part of text.split(/[,;|\r\n]+/)) {
    const s = part.trim().replace(/\s+/g, " ").toLowerCase();
    if (s && !seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}

/** Skills from a cell or a list: {@link splitSkills}, then at most 100 of at most 60 characters each. */
export function parseSkills(input: string | readonly string[]): Parsed<string[]> {
  const skills = splitSkills(typeof input === "string" ? input : input.join("\n"));
  const long = skills.find((s) => s.length > SKILL_MAX_CHARS);
  if (long) return fail(`Skill "${long.slice(0, 30)}…" is longer than ${SKILL_MAX_CHARS} characters`);
  if (skills.length > SKILLS_MAX) return fail(`${skills.length} skills; at most ${SKILLS_MAX} are allowed`);
  return ok(skills);
}

/**
 * Words people use for the four seniority levels. Career ladders' L1…L5 map onto them
 * (L1 junior, L2 mid, L3 senior, L4 and up lead), as do roman numerals and bare digits.
 */
const SENIORITY_SYNONYMS: Record<string, Seniority> = {
  junior: "junior", jr: "junior", entry: "junior", "entry level": "junior", associate: "junior", trainee: "junior",
  graduate: "junior", intern: "junior", apprentice: "junior", l1: "junior", i: "junior", "1": "junior",
  mid: "mid", middle: "mid", "mid level": "mid", midlevel: "mid", intermediate: "mid", regular: "mid", medior: "mid",
  professional: "mid", l2: "mid", ii: "mid", "2": "mid",
  senior: "senior", sr: "senior", experienced: "senior", expert: "senior", l3: "senior", iii: "senior", "3": "senior",
  lead: "lead", "team lead": "lead", "tech lead": "lead", principal: "lead", staff: "lead", head: "lead",
  manager: "lead", architect: "lead", l4: "lead", l5: "lead", l6: "lead", iv: "lead", v: "lead", "4": "lead", "5": "lead",
};

/** A seniority (junior, mid, senior, lead) or one of its synonyms; empty → mid. */
export function parseSeniority(text: string): Parsed<Seniority> {
  const key = text.toLowerCase().replace(/[-_.]+/g, " ").replace(/\s+/g, " ").trim();
  if (key === "") return ok("mid");
  const hit = SENIORITY_SYNONYMS[key] ?? SENIORITY_SYNONYMS[key.replace(/^level /, "l")];
  if (hit) return ok(hit);
  return fail(`Unknown seniority "${text.trim()}"; use ${SENIORITIES.join(", ")} (or intermediate, principal, staff, L1–L5)`);
}

/** Maximum open tickets: a whole number 0–1000 ("8", "8.0"); empty → 10. */
export function parseMaxOpenTickets(text: string): Parsed<number> {
  const t = text.trim();
  if (t === "") return ok(DEFAULT_MAX_OPEN_TICKETS);
  const m = /^(\d{1,7})(?:\.0+)?$/.exec(t);
  if (!m) return fail(`Max open tickets must be a whole number from 0 to 1000, not "${t}"`);
  const n = Number(m[1]);
  if (n > 1000) return fail(`Max open tickets must be from 0 to 1000, not ${n}`);
  return ok(n);
}

/**
 * An IANA time zone ("Europe/Berlin", "america/new_york", "UTC"), as the runtime's Intl knows
 * it, returned in its canonical spelling; empty → UTC. Offsets ("+02:00", "CET+1") are refused:
 * they have no daylight-saving rules.
 */
export function parseTimeZone(text: string): Parsed<string> {
  const t = text.trim();
  if (t === "") return ok("UTC");
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+){0,2}$/.test(t) || t.length > 64) {
    return fail(`"${t}" is not an IANA time zone such as Europe/Berlin or America/New_York`);
  }
  try {
    const zone = new Intl.DateTimeFormat("en-US", { timeZone: t }).resolvedOptions().timeZone;
    return ok(zone);
  } catch {
    return fail(`Unknown time zone "${t}"; use an IANA name such as Europe/Berlin or America/New_York`);
  }
}

const TRUE_WORDS = new Set(["yes", "y", "true", "t", "1", "active", "x", "on"]);
const FALSE_WORDS = new Set(["no", "n", "false", "f", "0", "inactive", "off", "left", "disabled"]);

/** Active: yes/no, true/false, y/n, 1/0, active/inactive; empty → yes. */
export function parseActive(text: string): Parsed<boolean> {
  const t = text.trim().toLowerCase();
  if (t === "") return ok(true);
  if (TRUE_WORDS.has(t)) return ok(true);
  if (FALSE_WORDS.has(t)) return ok(false);
  return fail(`Active must be yes or no (true/false, 1/0), not "${text.trim()}"`);
}

/** "09:00", "9", "9:30", "17.30", "24:00" → minutes after midnight, or null. */
export function clockMinutes(text: string): number | null {
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

/** Minutes after midnight as "HH:MM" (1440 → "24:00"). */
export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * Working hours "09:00-17:00" (also "9-17", "09:00 – 17:30", "9:00 to 17:00") → start and end
 * in minutes after local midnight, start before end; empty → 09:00–17:00.
 */
export function parseWorkHours(text: string): Parsed<{ startMin: number; endMin: number }> {
  const t = text.trim();
  if (t === "") return ok({ startMin: DEFAULT_WORK_START_MIN, endMin: DEFAULT_WORK_END_MIN });
  const parts = t.split(/\s*(?:-|–|—|to|until)\s*/i);
  const start = parts.length === 2 ? clockMinutes(parts[0]) : null;
  const end = parts.length === 2 ? clockMinutes(parts[1]) : null;
  if (start === null || end === null) return fail(`Working hours must look like 09:00-17:00, not "${t}"`);
  if (start >= end) return fail(`Working hours must end after they start ("${t}")`);
  return ok({ startMin: start, endMin: end });
}

const DAY_NAMES: Record<string, number> = {
  mon: 1, monday: 1, mo: 1, tue: 2, tues: 2, tuesday: 2, tu: 2, wed: 3, wednesday: 3, we: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, th: 4, fri: 5, friday: 5, fr: 5, sat: 6, saturday: 6, sa: 6,
  sun: 7, sunday: 7, su: 7, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7,
};

/**
 * Working days as ISO weekdays (1 = Monday … 7 = Sunday), sorted: "Mon-Fri", "Mon,Tue,Thu",
 * "Sun-Thu" (ranges wrap over the week end), "Monday–Friday", "1-5", "weekdays", "daily";
 * empty → Monday to Friday.
 */
export function parseWorkDays(text: string): Parsed<number[]> {
  const t = text.trim().toLowerCase();
  if (t === "") return ok([...DEFAULT_WORK_DAYS]);
  if (t === "weekdays" || t === "workdays") return ok([1, 2, 3, 4, 5]);
  if (t === "daily" || t === "every day" || t === "all" || t === "24/7") return ok([1, 2, 3, 4, 5, 6, 7]);
  const days = new Set<number>();
  const normal = t.replace(/\s*(?:-|–|—|\bto\b)\s*/g, "-");
  for (const item of normal.split(/[\s,;/|&]+/)) {
    if (item === "" || item === "and") continue;
    const range = item.split("-");
    const ends = range.map((d) => DAY_NAMES[d.replace(/\.$/, "")]);
    if (range.length > 2 || ends.some((d) => d === undefined)) return fail(`Working days must look like Mon-Fri or Mon,Tue,Wed, not "${text.trim()}"`);
    if (ends.length === 1) days.add(ends[0]);
    else for (let d = ends[0]; ; d = (d % 7) + 1) {
      days.add(d);
      if (d === ends[1]) break;
    }
  }
  if (days.size === 0) return fail(`Working days must look like Mon-Fri or Mon,Tue,Wed, not "${text.trim()}"`);
  return ok([...days].sort((a, b) => a - b));
}

const WEEKDAY_SHORT = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** ISO weekdays as text: [1,2,3,4,5] → "Mon-Fri", [1,3] → "Mon,Wed". */
export function formatWorkDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(j - i >= 2 ? `${WEEKDAY_SHORT[sorted[i]]}-${WEEKDAY_SHORT[sorted[j]]}` : sorted.slice(i, j + 1).map((d) => WEEKDAY_SHORT[d]).join(","));
    i = j + 1;
  }
  return out.join(",");
}

/** An e-mail address, trimmed and lower-cased; a plausible address (one @, a dot in the domain, no spaces). */
export function parseEmail(text: string): Parsed<string> {
  const t = text.trim().toLowerCase().replace(/^mailto:/, "");
  if (t === "") return fail("E-mail is required");
  if (t.length > 254 || !/^[^\s@<>(),;:"]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(t)) {
    return fail(`"${text.trim()}" is not a valid e-mail address`);
  }
  return ok(t);
}
