/*
 * Reading numbers and dates out of sheet cells for range and cross-field rules. Cells are text
 * (lib/files/types.ts ParsedSheet): numbers as written, dates as ISO 8601. Pure.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/**
 * A cell as a number: plain decimal (`12`, `-3.5`, `1e3`) or with comma thousands separators
 * (`1,234.5`). NaN for anything else (a decimal comma such as `1,5` is ambiguous and refused).
 */
export function parseNumberCell(cell: string): number {
  const t = cell.trim();
  if (PLAIN_NUMBER.test(t)) return Number(t);
  if (GROUPED_NUMBER.test(t)) return Number(t.replace(/,/g, ""));
  return Number.NaN;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A cell as an instant in ms since 1970-01-01T00:00Z: ISO 8601 calendar date `YYYY-MM-DD`,
 * optionally with a time `THH:mm[:ss[.fff]]` and an offset (`Z`, `+01:00`); no offset is read
 * as UTC. NaN for anything else, including impossible dates such as 2025-02-30.
 */
export function parseDateCell(cell: string): number {
  const m = ISO_DATE.exec(cell.trim());
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return Number.NaN;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : MONTH_DAYS[mo - 1])) return Number.NaN;
  const h = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const s = m[6] ? Number(m[6]) : 0;
  if (h > 23 || mi > 59 || s > 59) return Number.NaN;
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (y < 100) t = new Date(t).setUTCFullYear(y); // Date.UTC maps years 0–99 to 1900–1999
  if (m[8] && m[8] !== "Z") {
    const sign = m[8][0] === "-" ? -1 : 1;
    const digits = m[8].slice(1).replace(":", "");
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

/** The UTC day number (days since 1970-01-01) of an instant in ms. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** Today's UTC date as `YYYY-MM-DD`. */
export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

/**
 * A date bound of a range rule as a UTC day number: `YYYY-MM-DD`, `today`, or `today+N` /
 * `today-N` (N days), with `today` given as `YYYY-MM-DD`.
 * @throws Error when the bound or `today` is not one of these (the rule schema refuses them first).
 */
export function resolveDateBound(bound: string, today: string): number {
  const rel = /^today(?:([+-])(\d{1,5}))?$/.exec(bound);
  const base = parseDateCell(rel ? today : bound);
  if (Number.isNaN(base)) throw new Error(`Not a date bound: ${rel ? `today=${today}` : bound}`);
  const offset = rel && rel[1] ? (rel[1] === "-" ? -1 : 1) * Number(rel[2]) : 0;
  return dayOf(base) + offset;
}
