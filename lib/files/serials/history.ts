import "server-only";
import { queryPrepared, type DbOrTx } from "@/db/client";
import { findSerialMentions } from "@/lib/files/gs1";

/** A serialised unit (GTIN + serial) and its EPCIS-style event history, as the ticket page shows it. */
export interface SerialHistoryDTO {
  gtin: string;
  serial: string;
  lot: string | null;
  /** ISO date */
  expiry: string | null;
  /** The upload that commissioned it, when known. */
  firstUploadId: string | null;
  /** Oldest first. `eventTime` ISO 8601 or null. */
  events: { event: string; eventTime: string | null; location: string | null; uploadId: string; row: number }[];
}

/** Most units looked up for one text. */
const MAX_UNITS = 20;

/**
 * Look up the serial numbers and GTINs a text mentions (GS1 element strings, Digital Link URIs,
 * GTINs with a valid check digit, "serial …"/"SN …" mentions; lib/files/gs1/mentions.ts) in
 * the serial registry: units matching a mentioned (GTIN, serial) pair, or a mentioned serial,
 * or — for a GTIN mentioned alone — nothing (a GTIN names a product, not a unit).
 * @returns at most 20 units with their events, in the order found
 */
export async function serialHistoryForText(db: DbOrTx, text: string): Promise<SerialHistoryDTO[]> {
  const m = findSerialMentions(text);
  if (m.pairs.length === 0 && m.serials.length === 0) return [];
  const items = await queryPrepared<{ gtin: string; serial: string; lot: string | null; expiry: string | null; upload_id: string | null }>(
    db,
    `SELECT i.gtin, i.serial, i.lot, i.expiry::text AS expiry, i.upload_id::text AS upload_id
     FROM serial_items i
     WHERE (i.gtin, i.serial) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        OR i.serial = ANY($3::text[])
     UNION
     SELECT DISTINCT e.gtin, e.serial, NULL, NULL, NULL FROM serial_events e
     WHERE ((e.gtin, e.serial) IN (SELECT * FROM unnest($1::text[], $2::text[])) OR e.serial = ANY($3::text[]))
       AND NOT EXISTS (SELECT 1 FROM serial_items i WHERE i.gtin = e.gtin AND i.serial = e.serial)
     LIMIT ${MAX_UNITS}`,
    [m.pairs.map((p) => p.gtin14), m.pairs.map((p) => p.serial), m.serials],
  );
  if (items.length === 0) return [];
  const events = await queryPrepared<{ gtin: string; serial: string; event: string; t: string | null; location: string | null; upload_id: string; row: number }>(
    db,
    `SELECT e.gtin, e.serial, e.event, to_char(e.event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t, e.location, e.upload_id::text AS upload_id, e."row"
     FROM serial_events e
     WHERE (e.gtin, e.serial) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     ORDER BY e.event_time NULLS LAST, e.id`,
    [items.map((i) => i.gtin), items.map((i) => i.serial)],
  );
  return items.map((i) => ({
    gtin: i.gtin,
    serial: i.serial,
    lot: i.lot,
    expiry: i.expiry,
    firstUploadId: i.upload_id,
    events: events
      .filter((e) => e.gtin === i.gtin && e.serial === i.serial)
      .map((e) => ({ event: e.event, eventTime: e.t, location: e.location, uploadId: e.upload_id, row: Number(e.row) })),
  }));
}
