/**
 * EPCIS business steps and event times for serialised packs.
 *
 * Sources: GS1 EPCIS 2.0 / Core Business Vocabulary (CBV) 2.0, section 7.2 (business step
 * vocabulary: `commissioning`, `packing`, `shipping`, `receiving`, `dispensing`,
 * `decommissioning`; written `urn:epcglobal:cbv:bizstep:shipping` in EPCIS 1.x and
 * `https://ref.gs1.org/cbv/BizStep-shipping` or bare `shipping` in EPCIS 2.0). Event time is
 * an ISO 8601 date-time (EPCIS `eventTime`).
 */

import { daysInMonth } from "./expiry";

/** The six life-cycle steps the serial checks know, named by their outcome. */
export const BUSINESS_STEPS = ["commissioned", "packed", "shipped", "received", "dispensed", "decommissioned"] as const;
export type BusinessStep = (typeof BUSINESS_STEPS)[number];

const STEP_NAMES = new Map<string, BusinessStep>();
for (const [step, words] of [
  ["commissioned", ["commission", "commissioned", "commissioning"]],
  ["packed", ["pack", "packed", "packing"]],
  ["shipped", ["ship", "shipped", "shipping"]],
  ["received", ["receive", "received", "receiving"]],
  ["dispensed", ["dispense", "dispensed", "dispensing"]],
  ["decommissioned", ["decommission", "decommissioned", "decommissioning"]],
] as const) {
  for (const w of words) STEP_NAMES.set(w, step);
}

const PREFIXES = ["urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/bizstep-", "http://ref.gs1.org/cbv/bizstep-", "cbv:bizstep-", "bizstep-", "bizstep:"];

/**
 * The business step named by `text`: the step (`shipped`), its CBV verb (`shipping`), the
 * bare verb (`ship`), a CBV 1.x URN or CBV 2.0 URI; case, surrounding spaces, `_` and `-`
 * are ignored. Null when it is none of the six (CBV 2.0 §7.2).
 */
export function normaliseBusinessStep(text: string): BusinessStep | null {
  let s = text.trim().toLowerCase();
  for (const p of PREFIXES) {
    if (s.startsWith(p)) {
      s = s.slice(p.length);
      break;
    }
  }
  const direct = STEP_NAMES.get(s);
  if (direct) return direct;
  return STEP_NAMES.get(s.replace(/[\s_-]+/g, "")) ?? null;
}

/** Outcome of {@link parseEventTime}: UTC ms and ISO 8601 (`…Z`), or a message. */
export type EventTimeResult = { ok: true; ms: number; iso: string } | { ok: false; message: string };

function num(s: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const d = s.charCodeAt(i) - 48; // NaN past the end
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Parses an event time: ISO 8601 `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm`, `…:ss`, `…:ss.fff` (any
 * number of fraction digits, kept to ms), `T` or a space between date and time, then `Z`,
 * `±HH:MM`, `±HHMM` or nothing. Without an offset the time is taken as UTC (sheets rarely
 * carry a zone; UTC keeps results independent of the server's zone). A date alone is
 * midnight UTC. Calendar validity is checked. No regex, no Date parsing. Never throws.
 */
export function parseEventTime(input: string): EventTimeResult {
  const r = eventTimeCore(input);
  if (typeof r === "number") return { ok: true, ms: r, iso: new Date(r).toISOString() };
  return { ok: false, message: r };
}

/** Like {@link parseEventTime} but only the UTC ms, NaN when unreadable (no allocation on success). */
export function parseEventTimeMs(input: string): number {
  const r = eventTimeCore(input);
  return typeof r === "number" ? r : NaN;
}

function badTime(s: string, why: string): string {
  return `Event time "${s}" ${why}`;
}

/** UTC ms of an event time, or the message saying why it cannot be read. */
function eventTimeCore(input: string): number | string {
  const s = input.length > 0 && (input.charCodeAt(0) <= 32 || input.charCodeAt(input.length - 1) <= 32) ? input.trim() : input;
  const n = s.length;
  if (n === 0) return "Event time is missing";
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return badTime(s, "is not an ISO 8601 date-time (YYYY-MM-DDTHH:mm:ssZ)");
  const year = num(s, 0, 4);
  const month = num(s, 5, 2);
  const day = num(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return badTime(s, "is not a valid date");
  if (day > daysInMonth(year, month)) return badTime(s, "is not a valid date");
  let hh = 0;
  let mm = 0;
  let ss = 0;
  let ms = 0;
  let offsetMin = 0;
  let i = 10;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep !== 84 && sep !== 116 && sep !== 32) return badTime(s, "has text after the date");
    i++;
    if (i + 5 > n || s.charCodeAt(i + 2) !== 58) return badTime(s, "has no HH:mm time after the date");
    hh = num(s, i, 2);
    mm = num(s, i + 3, 2);
    i += 5;
    if (i < n && s.charCodeAt(i) === 58) {
      ss = num(s, i + 1, 2);
      if (i + 3 > n) return badTime(s, "has an incomplete seconds field");
      i += 3;
      if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
        i++;
        let scale = 100;
        const start = i;
        while (i < n) {
          const d = s.charCodeAt(i) - 48;
          if (d < 0 || d > 9) break;
          ms += d * scale;
          scale /= 10;
          i++;
        }
        if (i === start) return badTime(s, "has an empty fraction of a second");
        ms = Math.floor(ms);
      }
    }
    if (hh < 0 || hh > 24 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || (hh === 24 && (mm > 0 || ss > 0 || ms > 0))) return badTime(s, "has an invalid time of day");
    if (i < n) {
      const z = s.charCodeAt(i);
      if (z === 90 || z === 122) i++;
      else if (z === 43 || z === 45) {
        const sign = z === 43 ? 1 : -1;
        const oh = num(s, i + 1, 2);
        let om: number;
        if (i + 6 <= n && s.charCodeAt(i + 3) === 58) {
          om = num(s, i + 4, 2);
          i += 6;
        } else {
          om = num(s, i + 3, 2);
          i += 5;
        }
        if (oh < 0 || oh > 18 || om < 0 || om > 59 || i > n) return badTime(s, "has an invalid UTC offset");
        offsetMin = sign * (oh * 60 + om);
      } else return badTime(s, "has an invalid time zone");
      if (i !== n) return badTime(s, "has text after the time");
    }
  }
  return Date.UTC(year, month - 1, day, hh, mm, ss === 60 ? 59 : ss, ms) - offsetMin * 60_000;
}
