import Link from "next/link";
import type { SerialHistoryDTO } from "@/lib/files/serials/history";
import { Card, CardHeader } from "@/components/ui/card";

/** Events shown per unit before "N earlier events" (the newest are kept). */
const MAX_EVENTS = 12;

/** "2027-03-31T08:15:00Z" → "2027-03-31 08:15 UTC"; a bare date stays as it is. */
function formatEventTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** EPCIS business steps and event names as words: "shipping" → "Shipping", "decommissioning" stays one word. */
function eventLabel(event: string): string {
  const words = event.replace(/^urn:epcglobal:cbv:bizstep:/, "").replace(/[_-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : event;
}

/**
 * Serialised units (GTIN + serial) that the ticket's title and description mention, as the
 * serial registry knows them (lib/files/serials/history.ts): the unit's lot and expiry, and a
 * timeline of its EPCIS events (business step, time, location), each linked to the sheet row it
 * came from. Renders nothing when the ticket mentions no known unit.
 */
export function SerialHistory({ units, headingId = "serials-h" }: { units: SerialHistoryDTO[]; headingId?: string }) {
  if (units.length === 0) return null;
  return (
    <Card aria-labelledby={headingId}>
      <CardHeader>
        <h2 id={headingId} className="text-sm font-semibold">
          Serial history
        </h2>
        <span className="text-xs text-slate-600">
          {units.length} {units.length === 1 ? "unit" : "units"} mentioned in this ticket
        </span>
      </CardHeader>
      <ul className="divide-y divide-slate-200" data-testid="serial-history">
        {units.map((u) => (
          <li key={`${u.gtin}/${u.serial}`} className="px-4 py-3" data-testid="serial-unit">
            <p className="text-sm font-medium text-slate-900">
              GTIN <span className="font-mono">{u.gtin}</span> · serial <span className="font-mono">{u.serial}</span>
              {u.lot ? (
                <>
                  {" "}
                  · lot <span className="font-mono">{u.lot}</span>
                </>
              ) : null}
              {u.expiry ? (
                <>
                  {" "}
                  · expiry <time dateTime={u.expiry}>{u.expiry}</time>
                </>
              ) : null}
            </p>
            {u.firstUploadId ? (
              <p className="mt-0.5 text-xs text-slate-600">
                Registered from{" "}
                <Link href={`/files/${u.firstUploadId}`} className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
                  this upload
                </Link>
              </p>
            ) : null}
            <EventTimeline events={u.events} unit={`${u.gtin} / ${u.serial}`} />
          </li>
        ))}
      </ul>
    </Card>
  );
}

function EventTimeline({ events, unit }: { events: SerialHistoryDTO["events"]; unit: string }) {
  if (events.length === 0) return <p className="mt-2 text-xs text-slate-600">No events recorded for this unit.</p>;
  const hidden = Math.max(0, events.length - MAX_EVENTS);
  const shown = events.slice(hidden);
  return (
    <>
      {hidden > 0 ? (
        <p className="mt-2 text-xs text-slate-600">
          {hidden} earlier {hidden === 1 ? "event" : "events"} not shown.
        </p>
      ) : null}
      <ol aria-label={`Events of ${unit}`} className="mt-2 space-y-1.5 border-l-2 border-slate-200 pl-3">
        {shown.map((e, i) => (
          <li key={`${e.uploadId}:${e.row}:${i}`} className="relative text-sm">
            <span aria-hidden="true" className="absolute -left-[1.05rem] top-1.5 h-2 w-2 rounded-full bg-brand-600" />
            <span className="font-medium text-slate-900">{eventLabel(e.event)}</span>
            <span className="text-slate-700">
              {" · "}
              {e.eventTime ? <time dateTime={e.eventTime}>{formatEventTime(e.eventTime)}</time> : "time not given"}
              {e.location ? ` · ${e.location}` : ""}
            </span>{" "}
            <Link href={`/files/${e.uploadId}`} className="text-xs text-brand-700 underline underline-offset-2 hover:text-brand-900">
              row {e.row}
            </Link>
          </li>
        ))}
      </ol>
    </>
  );
}
