import "server-only";
import { copyRows, queryPrepared, type DbOrTx } from "@/db/client";
import { serialKey } from "@/lib/files/gs1";
import type { Finding } from "@/lib/files/types";

/** Rows per INSERT … SELECT FROM unnest(…) statement (one array parameter per column). */
const BATCH = 5000;

const clip = (s: string | null, n: number) => (s === null ? null : s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Replace an upload's findings (a retried job starts over), numbering them 1… in order.
 * Texts are clipped to their column widths (message 1,000, value 1,000, column 255, sheet 120).
 */
export async function replaceFindings(db: DbOrTx, uploadId: string, findings: readonly Finding[]): Promise<void> {
  await queryPrepared(db, "DELETE FROM upload_findings WHERE upload_id = $1", [uploadId]);
  for (let i = 0; i < findings.length; i += BATCH) {
    const part = findings.slice(i, i + BATCH);
    await queryPrepared(
      db,
      `INSERT INTO upload_findings (upload_id, seq, sheet, "row", "column", code, severity, message, value)
       SELECT $1::uuid, * FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
      [
        uploadId,
        part.map((_, j) => i + j + 1),
        part.map((f) => clip(f.sheet, 120)),
        part.map((f) => f.row),
        part.map((f) => clip(f.column, 255)),
        part.map((f) => f.code),
        part.map((f) => f.severity),
        part.map((f) => clip(f.message, 1000)),
        part.map((f) => clip(f.value, 1000)),
      ],
    );
  }
}

/** A serialised unit commissioned by a sheet row (GTIN-14 + serial = SGTIN). */
export interface CommissionedItem {
  gtin14: string;
  serial: string;
  lot: string | null;
  /** ISO date (YYYY-MM-DD) or null */
  expiry: string | null;
  row: number;
}

/** One EPCIS-style event of a serialised unit from a sheet row. */
export interface SerialEventRow {
  gtin14: string;
  serial: string;
  event: string;
  /** ISO 8601, or null when the sheet has no event-time column */
  eventTime: string | null;
  location: string | null;
  row: number;
}

/** `gtin14|serial`: the key of a serialised unit in sets and maps (the GS1 checker's own key). */
const itemKey = serialKey;

/**
 * Of these units, the ones ANOTHER upload commissioned already (cross-file duplicates).
 * Call inside the transaction that holds {@link lockSerialRegistry}.
 */
export async function knownElsewhere(db: DbOrTx, uploadId: string, items: readonly { gtin14: string; serial: string }[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < items.length; i += BATCH) {
    const part = items.slice(i, i + BATCH);
    const r = await queryPrepared<{ gtin: string; serial: string }>(
      db,
      `SELECT s.gtin, s.serial FROM serial_items s
       JOIN unnest($1::text[], $2::text[]) AS k(gtin, serial) ON s.gtin = k.gtin AND s.serial = k.serial
       WHERE s.upload_id <> $3::uuid`,
      [part.map((x) => x.gtin14), part.map((x) => x.serial), uploadId],
    );
    for (const x of r) known.add(itemKey(x.gtin, x.serial));
  }
  return known;
}

/**
 * Where each unit's history stands after earlier uploads: its latest event (business step and
 * ISO time; `commissioned` with no time for a unit registered without events) and its expiry
 * from the registry, so order and expiry checks continue across files.
 */
export async function priorHistory(
  db: DbOrTx,
  uploadId: string,
  items: readonly { gtin14: string; serial: string }[],
): Promise<Map<string, { event: string; time: string | null; expiry: string | null }>> {
  const out = new Map<string, { event: string; time: string | null; expiry: string | null }>();
  for (let i = 0; i < items.length; i += BATCH) {
    const part = items.slice(i, i + BATCH);
    const r = await queryPrepared<{ gtin: string; serial: string; event: string; t: string | null; expiry: string | null }>(
      db,
      `SELECT k.gtin, k.serial, coalesce(le.event, 'commissioned') AS event,
              to_char(le.event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t, s.expiry::text AS expiry
       FROM unnest($1::text[], $2::text[]) AS k(gtin, serial)
       LEFT JOIN serial_items s ON s.gtin = k.gtin AND s.serial = k.serial AND s.upload_id <> $3::uuid
       LEFT JOIN LATERAL (
         SELECT e.event, e.event_time FROM serial_events e
         WHERE e.gtin = k.gtin AND e.serial = k.serial AND e.upload_id <> $3::uuid
         ORDER BY e.event_time DESC NULLS LAST, e.id DESC LIMIT 1
       ) le ON true
       WHERE s.gtin IS NOT NULL OR le.event IS NOT NULL`,
      [part.map((x) => x.gtin14), part.map((x) => x.serial), uploadId],
    );
    for (const x of r) out.set(itemKey(x.gtin, x.serial), { event: x.event, time: x.t, expiry: x.expiry });
  }
  return out;
}

/**
 * Serialise writers of the serial registry (transaction-scoped advisory lock), so two uploads
 * processed at once on two workers cannot both commission the same unit unseen.
 */
export async function lockSerialRegistry(db: DbOrTx): Promise<void> {
  await queryPrepared(db, "SELECT pg_advisory_xact_lock(7305200101)", []);
}

/**
 * Replace what an upload contributed to the serial registry: the units it commissioned first
 * (a unit already known stays with its first upload) and its events.
 */
export async function replaceSerialRegistry(db: DbOrTx, uploadId: string, items: readonly CommissionedItem[], events: readonly SerialEventRow[]): Promise<void> {
  await queryPrepared(db, "DELETE FROM serial_items WHERE upload_id = $1", [uploadId]);
  await queryPrepared(db, "DELETE FROM serial_events WHERE upload_id = $1", [uploadId]);
  // COPY is about twice as fast as INSERT … unnest for 100,000 units. The caller passes only units
  // no other upload commissioned (checked under the registry lock), so no key conflicts; should
  // one slip through, the savepoint rolls the COPY back and the INSERT skips conflicting units.
  try {
    await db.transaction(async (sp) =>
      copyRows(
        sp,
        "serial_items",
        ["gtin", "serial", "lot", "expiry", "upload_id", "row"],
        items.map((x) => [x.gtin14, x.serial, x.lot, x.expiry, uploadId, x.row]),
      ),
    );
  } catch (err) {
    if ((err as { code?: string }).code !== "23505") throw err;
    for (let i = 0; i < items.length; i += BATCH) {
      const part = items.slice(i, i + BATCH);
      await queryPrepared(
        db,
        `INSERT INTO serial_items (gtin, serial, lot, expiry, upload_id, "row")
         SELECT g, s, l, e::date, $1::uuid, r FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS x(g, s, l, e, r)
         ON CONFLICT (gtin, serial) DO NOTHING`,
        [uploadId, part.map((x) => x.gtin14), part.map((x) => x.serial), part.map((x) => x.lot), part.map((x) => x.expiry), part.map((x) => x.row)],
      );
    }
  }
  await copyRows(
    db,
    "serial_events",
    ["gtin", "serial", "event", "event_time", "location", "upload_id", "row"],
    events.map((x) => [x.gtin14, x.serial, x.event, x.eventTime, x.location === null ? null : x.location.slice(0, 200), uploadId, x.row]),
  );
}
