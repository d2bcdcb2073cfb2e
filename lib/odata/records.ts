import crypto from "node:crypto";
import { DateTime } from "luxon";
import type { Priority } from "@/db/schema/enums";
import type { ODataMapping } from "@/db/schema/sla";
import { DESCRIPTION_MAX, TITLE_MAX } from "@/db/schema/tickets";

/*
 * Cleaning of pulled OData records (pure: no I/O). A raw entity (a JSON object as served) is
 * mapped to the ticket fields named by the source's mapping: text trimmed (inner runs of
 * whitespace kept), dates as ISO, priority through priorityMap, closed records dropped, and
 * duplicates within one pull collapsed by external id (the last one served wins).
 */

/** A record ready to become (or update) a ticket. */
export interface CleanRecord {
  externalId: string;
  title: string;
  /** The mapped description (may be empty). */
  description: string;
  priority: Priority;
  /** The changed-at value as ISO 8601 (UTC), or null when unmapped or unparsable. */
  changedAt: string | null;
  /** sha256 (hex) of the mapped fields: title, description, priority. */
  hash: string;
}

/** The outcome of {@link cleanRecords}. */
export interface CleanResult {
  records: CleanRecord[];
  /** Records dropped as closed (mapping.closed). */
  closed: number;
  /** Records dropped as earlier duplicates of an external id. */
  duplicates: number;
  /** Records that cannot become tickets (no external id, no title), with the reason. */
  invalid: { externalId?: string; message: string }[];
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/**
 * A date value as OData serves it, as ISO 8601 in UTC: V2 JSON `/Date(1700000000000)/` and
 * `/Date(1700000000000+0100)/` (milliseconds since the epoch in UTC; the offset is the
 * original zone's and does not move the instant), and ISO strings (with or without zone; none
 * = UTC, as SAP Gateway serves Edm.DateTime).
 * @returns the ISO string (`2023-11-14T22:13:20.000Z`), or null when `v` is not a date.
 */
export function parseODataDate(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const s = v.trim();
  const m = MS_DATE.exec(s);
  if (m) {
    const d = new Date(Number(m[1]));
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const d = DateTime.fromISO(s, { zone: "utc", setZone: false });
  return d.isValid ? d.toUTC().toISO() : null;
}

/** A property value as display text: strings trimmed (dates as ISO), numbers and booleans as written. */
function textOf(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return MS_DATE.test(v.trim()) ? (parseODataDate(v) ?? v.trim()) : v.trim();
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return "";
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The ticket priority of a record: priorityMap of its value (as text), else defaultPriority, else P3. */
export function mapPriority(mapping: ODataMapping, raw: Record<string, unknown>): Priority {
  const fallback = mapping.defaultPriority ?? "P3";
  if (!mapping.priority) return fallback;
  const value = textOf(raw[mapping.priority]);
  return (value && mapping.priorityMap?.[value]) || fallback;
}

/** Whether the record is closed by mapping.closed (its field's text equals one of the values). */
export function isClosed(mapping: ODataMapping, raw: Record<string, unknown>): boolean {
  if (!mapping.closed) return false;
  const value = textOf(raw[mapping.closed.field]);
  return mapping.closed.values.some((c) => c.trim() === value);
}

/** sha256 hex of the mapped fields (stable JSON of title, description, priority). */
export function contentHash(r: Pick<CleanRecord, "title" | "description" | "priority">): string {
  return crypto.createHash("sha256").update(JSON.stringify([r.title, r.description, r.priority])).digest("hex");
}

/**
 * Clean one pull's raw entities (in the order served): map, drop closed ones, drop records
 * without an external id or title (reported in `invalid`), and keep one record per external id
 * (the last served wins, at the position of its first appearance).
 */
export function cleanRecords(mapping: ODataMapping, raws: readonly unknown[]): CleanResult {
  const byId = new Map<string, CleanRecord>();
  const out: CleanResult = { records: [], closed: 0, duplicates: 0, invalid: [] };
  for (const item of raws) {
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      out.invalid.push({ message: "not an entity (JSON object)" });
      continue;
    }
    const raw = item as Record<string, unknown>;
    if (isClosed(mapping, raw)) {
      out.closed++;
      continue;
    }
    const externalId = clip(textOf(raw[mapping.externalId]), 200);
    if (!externalId) {
      out.invalid.push({ message: `no value in the external id property ${mapping.externalId}` });
      continue;
    }
    const title = clip(textOf(raw[mapping.title]).replace(/\s+/g, " "), TITLE_MAX);
    if (title.length < 3) {
      out.invalid.push({ externalId, message: `the title property ${mapping.title} has under 3 characters` });
      continue;
    }
    const description = clip(mapping.description ? textOf(raw[mapping.description]) : "", DESCRIPTION_MAX - 400);
    const priority = mapPriority(mapping, raw);
    const changedAt = mapping.changedAt ? parseODataDate(raw[mapping.changedAt]) : null;
    if (byId.has(externalId)) out.duplicates++;
    byId.set(externalId, { externalId, title, description, priority, changedAt, hash: contentHash({ title, description, priority }) });
  }
  out.records = [...byId.values()];
  return out;
}

/** The latest of the records' changed-at values (ISO), or `current` when none is later. */
export function highestChangedAt(records: readonly Pick<CleanRecord, "changedAt">[], current: string | null): string | null {
  let best = current;
  for (const r of records) if (r.changedAt && (!best || Date.parse(r.changedAt) > Date.parse(best))) best = r.changedAt;
  return best;
}
