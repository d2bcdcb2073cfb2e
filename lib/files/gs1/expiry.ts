/**
 * GS1 dates: the expiration date AI (17) and the other YYMMDD AIs (11, 12, 13, 15, 16).
 *
 * Sources: GS1 General Specifications, section 3 ("Expiration date: AI (17)": YYMMDD; a day
 * of 00 means the last day of the month) and section 7.12 ("Determination of century in
 * dates": the century follows from the difference between YY and the current year).
 */
import { isAllDigits } from "./check-digit";

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/** Outcome of a date parse: the date as ISO `YYYY-MM-DD` and its UTC midnight in ms, or why not. */
export type Gs1DateResult = { ok: true; date: string; ms: number } | { ok: false; message: string };

/** True for a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year`, leap years included. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The four-digit year of a two-digit GS1 year `yy` (0–99), seen from `today` (default now).
 * GS1 General Specifications §7.12: with d = yy − (current year mod 100): d in 51..99 → the
 * previous century; d in −99..−50 → the next century; otherwise the current century.
 * E.g. in 2026: 76 → 1976, 75 → 2075, 26 → 2026, 00 → 2000.
 */
export function resolveGs1Year(yy: number, today: Date = new Date()): number {
  const current = today.getUTCFullYear();
  const century = Math.floor(current / 100);
  const d = yy - (current % 100);
  if (d >= 51 && d <= 99) return (century - 1) * 100 + yy;
  if (d >= -99 && d <= -50) return (century + 1) * 100 + yy;
  return century * 100 + yy;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function isoDate(year: number, month: number, day: number): string {
  const y = year < 1000 ? String(year).padStart(4, "0") : String(year);
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

function digitsAt(s: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

/**
 * Parses a GS1 `YYMMDD` date (6 ASCII digits). Month 01–12; the day must exist in that month
 * (29 February only in leap years); day `00` means the last day of the month (allowed for
 * AI 17 and the other YYMMDD AIs, §3). The century follows §7.12 relative to `today`.
 * Returns the resolved ISO date. Never throws.
 */
export function parseGs1Date(yymmdd: string, today?: Date): Gs1DateResult {
  if (yymmdd.length !== 6 || !isAllDigits(yymmdd)) {
    return { ok: false, message: `Date "${yymmdd}" must be 6 digits YYMMDD` };
  }
  const yy = digitsAt(yymmdd, 0, 2);
  const month = digitsAt(yymmdd, 2, 2);
  let day = digitsAt(yymmdd, 4, 2);
  if (month < 1 || month > 12) return { ok: false, message: `Date ${yymmdd} has month ${pad2(month)}; expected 01–12` };
  const year = resolveGs1Year(yy, today);
  const last = daysInMonth(year, month);
  if (day === 0) day = last;
  else if (day > last) {
    return { ok: false, message: `Date ${yymmdd} has day ${pad2(day)}, but ${isoDate(year, month, 1).slice(0, 7)} has ${last} days` };
  }
  return { ok: true, date: isoDate(year, month, day), ms: Date.UTC(year, month - 1, day) };
}

/**
 * Parses an ISO calendar date `YYYY-MM-DD`, optionally followed by a time part (`T…` or a space
 * and anything), which is ignored, as the sheet reader writes Excel date cells. Also accepts
 * `YYYY-MM` (a month, as printed on packs: the last day of that month). Never throws.
 */
export function parseIsoDate(s: string): Gs1DateResult {
  const n = s.length;
  const bad = (): Gs1DateResult => ({ ok: false, message: `Date "${s}" is not a valid YYYY-MM-DD date` });
  if (n < 7 || s.charCodeAt(4) !== 45 /* - */ || !isAllDigits(s.slice(0, 4)) || !isAllDigits(s.slice(5, 7))) return bad();
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  if (month < 1 || month > 12) return { ok: false, message: `Date "${s}" has month ${s.slice(5, 7)}; expected 01–12` };
  if (n === 7) {
    const day = daysInMonth(year, month);
    return { ok: true, date: isoDate(year, month, day), ms: Date.UTC(year, month - 1, day) };
  }
  if (n < 10 || s.charCodeAt(7) !== 45 || !isAllDigits(s.slice(8, 10))) return bad();
  if (n > 10) {
    const sep = s.charCodeAt(10);
    if (sep !== 84 /* T */ && sep !== 32 /* space */) return bad();
  }
  const day = digitsAt(s, 8, 2);
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) return { ok: false, message: `Date "${s}" has day ${s.slice(8, 10)}, but ${s.slice(0, 7)} has ${last} days` };
  return { ok: true, date: isoDate(year, month, day), ms: Date.UTC(year, month - 1, day) };
}

/**
 * Parses an expiry cell: GS1 `YYMMDD` (AI 17, §3 and §7.12, day 00 = last day of the month),
 * ISO `YYYY-MM-DD` (Excel date cells, as the sheet reader gives them; a time part is ignored)
 * or ISO `YYYY-MM`. Surrounding spaces are ignored. The expiry day itself is still usable
 * (last day inclusive): a product expires at the end of `date`, i.e. at `ms + DAY_MS` (UTC).
 * `today` (default now) anchors the century rule. Never throws.
 */
export function parseExpiry(input: string, today?: Date): Gs1DateResult {
  const s = input.trim();
  if (s.length === 0) return { ok: false, message: "Expiry is empty" };
  if (s.length === 6 && isAllDigits(s)) return parseGs1Date(s, today);
  if (s.length === 5 && isAllDigits(s)) {
    return { ok: false, message: `Expiry "${s}" has 5 digits; expected YYMMDD (was a leading zero lost in Excel?)` };
  }
  if (s.length >= 7 && s.charCodeAt(4) === 45) return parseIsoDate(s);
  return { ok: false, message: `Expiry "${s}" is neither YYMMDD nor YYYY-MM-DD` };
}
