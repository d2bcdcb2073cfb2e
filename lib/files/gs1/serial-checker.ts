/**
 * Streaming checks of a serial-tracking sheet (one row per pack or per EPCIS event): GTIN,
 * serial, lot and expiry formats, duplicate serials, event order and shipping after expiry.
 *
 * Rules and sources:
 * - GTIN: 8/12/13/14 digits, mod-10 check digit (GS1 General Specifications §3, §7.9.1);
 *   keys use the zero-padded GTIN-14.
 * - Serial AI (21) and lot AI (10): 1–20 characters of set 82 (§3, §7.11).
 * - Expiry AI (17): YYMMDD, day 00 = last day of the month, century by §7.12; or ISO date.
 * - Identity = (GTIN-14, serial) (an SGTIN). A row COMMISSIONS its identity when the sheet has
 *   no event column, the row's event cell is blank, or its event is commissioning. Any further
 *   commissioning row of the same identity is a `duplicate_serial` (one per extra occurrence),
 *   as is the first one when `knownSerials` says an earlier upload commissioned it (checked in
 *   `finish`, so a caller can look up just `serialKeys()` in its registry first). Rows with
 *   other events are the identity's history, not duplicates.
 * - Events (EPCIS 2.0 / CBV 2.0 §7.2 business steps), per identity sorted by event time (ties
 *   by row): `illegal_transition` for an event before the commissioning (when the file
 *   commissions the identity), any event after decommissioning, dispensing with no earlier
 *   shipping (in the file or as the prior last event: shipped or received), and any event
 *   other than decommissioning after dispensing (a pack leaves the supply chain when it is
 *   dispensed; a second dispensing is the classic falsification signal). A second
 *   commissioning is only reported as `duplicate_serial`. An unknown business step or an
 *   unreadable event time is also reported as `illegal_transition` (the event cannot be placed
 *   in the life cycle); such rows take no part in the order checks.
 * - `expired_shipped`: a shipping or dispensing event at or after the end of the expiry day
 *   (expiry is the last day inclusive, UTC) — expiry from the row, else from the identity's
 *   other rows, else from `priorHistory`.
 * - Prior state from earlier uploads (`priorHistory`, last event per identity) continues the
 *   order checks for events at or after the prior event's time (older, back-filled events are
 *   only checked against this file).
 * No regex and no Date parsing per row; caches for the few distinct expiry and event texts.
 */
import { SERIAL_FINDING_CODES, type Finding, type SerialFindingCode, type SerialSummary, type SheetRow } from "../types";
import { checkCharset82Value } from "./charset82";
import { parseGs1Code } from "./code";
import { mapSerialColumns, type SerialColumnMap, type SerialField } from "./columns";
import { BUSINESS_STEPS, normaliseBusinessStep, parseEventTime, parseEventTimeMs, type BusinessStep } from "./epcis";
import { DAY_MS, parseExpiry, type Gs1DateResult } from "./expiry";
import { validateGtin, type GtinResult } from "./gtin";

/** The key of a serialised identity (SGTIN): `${gtin14}|${serial}`. Used by `knownSerials` and `priorHistory`. */
export function serialKey(gtin14: string, serial: string): string {
  return gtin14 + "|" + serial;
}

/** Thrown by the {@link SerialChecker} constructor when the sheet lacks the columns to identify packs (the API answers 422). */
export class SerialSheetError extends Error {
  readonly code = "missing_columns" as const;
  /**
   * @param headers the header texts found in the sheet
   * @param missing the fields that could not be found: `gtin` and/or `serial`
   */
  constructor(
    message: string,
    readonly headers: string[],
    readonly missing: SerialField[],
  ) {
    super(message);
    this.name = "SerialSheetError";
  }
}

/** The last known event of an identity from earlier uploads. `time` ISO 8601; `expiry` ISO date when known. */
export interface PriorSerialState {
  event: BusinessStep;
  time: string | null;
  expiry?: string | null;
}

/** Identities commissioned earlier: a set of `serialKey(gtin14, serial)` or a lookup function. */
export type KnownSerials = ReadonlySet<string> | ((gtin14: string, serial: string) => boolean);

/** What earlier uploads know, given to the constructor or to `finish`. */
export type EarlierUploads = Pick<SerialCheckerOptions, "knownSerials" | "priorHistory">;

/** Options of {@link SerialChecker}. */
export interface SerialCheckerOptions {
  /**
   * Identities commissioned by earlier uploads — a set of `serialKey`s or a lookup — whose
   * commissioning in this sheet is a duplicate. May also be given to `finish` (after asking the
   * database about `serialKeys()` only).
   */
  knownSerials?: KnownSerials;
  /** Last event per `serialKey` from earlier uploads, so order checks continue across uploads. */
  priorHistory?: ReadonlyMap<string, PriorSerialState>;
  /** "Today" for the YYMMDD century rule (GS1 §7.12); default: when the checker is created. */
  today?: Date;
}

/** A pack this sheet commissions (valid rows only): what the caller persists as the serial registry. */
export interface CommissionedIdentity {
  gtin14: string;
  serial: string;
  lot: string | null;
  /** ISO `YYYY-MM-DD`, or null when the row has none. */
  expiry: string | null;
  row: number;
}

/** One event of a valid row. `eventTime` ISO 8601 UTC, null when the sheet has no event-time column. */
export interface SerialEvent {
  gtin14: string;
  serial: string;
  event: BusinessStep;
  eventTime: string | null;
  location: string | null;
  row: number;
}

/** Result of {@link SerialChecker.finish}. Findings sorted by row. */
export interface SerialCheckResult {
  findings: Finding[];
  summary: SerialSummary;
  identities: CommissionedIdentity[];
  events: SerialEvent[];
  columns: SerialColumnMap;
}

/** Event codes in the record columns: 0 = no event (a registry row), 1… = BUSINESS_STEPS index + 1. */
const NO_EVENT = 0;
const STEP_CODE: Record<BusinessStep, number> = { commissioned: 1, packed: 2, shipped: 3, received: 4, dispensed: 5, decommissioned: 6 };
const STEP_BY_CODE: readonly (BusinessStep | null)[] = [null, ...BUSINESS_STEPS];
const COMMISSIONED = 1;
const SHIPPED = 3;
const DISPENSED = 5;
const DECOMMISSIONED = 6;
/** Record flags. */
const F_COMMISSIONS = 1;
const F_DUPLICATE = 2;
const F_BAD = 4;

const CACHE_LIMIT = 10_000;
const STEP_LIST = "commissioning, packing, shipping, receiving, dispensing or decommissioning";
const PRIOR_OK_FOR_DISPENSING: ReadonlySet<BusinessStep> = new Set(["shipped", "received"]);

function cellAt(values: readonly string[], i: number | null): string {
  if (i === null) return "";
  const x = values[i];
  if (x === undefined || x === null) return "";
  const n = x.length;
  if (n === 0) return x;
  return x.charCodeAt(0) <= 32 || x.charCodeAt(n - 1) <= 32 ? x.trim() : x;
}

const sameText = (a: string, b: string) => a === b;
/** Same GTIN once zero-padded (a GTIN-13 column against the GTIN-14 of AI 01). */
const sameGtin = (a: string, b: string) => a.padStart(14, "0") === b.padStart(14, "0");

/** `compute(key, arg)` remembered per key (up to CACHE_LIMIT keys): sheets repeat a few GTINs, expiries and steps. */
function memo<T, A>(cache: Map<string, T>, key: string, compute: (key: string, arg: A) => T, arg: A): T {
  let r = cache.get(key);
  if (r === undefined) {
    r = compute(key, arg);
    if (cache.size < CACHE_LIMIT) cache.set(key, r);
  }
  return r;
}

function isBlank(values: readonly string[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x && x.trim() !== "") return false;
  }
  return true;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number) => new Date(ms).toISOString();
/** A time for messages: `2026-01-06 08:00 UTC` (seconds only when not zero). */
const humanTime = (ms: number) => {
  const iso = isoTime(ms);
  return `${iso.slice(0, 10)} ${iso.slice(17, 19) === "00" ? iso.slice(11, 16) : iso.slice(11, 19)} UTC`;
};

/**
 * Checks one sheet row by row (`addRow`), then `finish()` runs the order checks and returns
 * findings, summary and what to persist. Memory: a few array slots per row with a readable
 * identity (no object per row). Not reusable after `finish`.
 */
export class SerialChecker {
  private readonly cols: Record<SerialField, number | null>;
  private readonly map: SerialColumnMap;
  private readonly findings: Finding[] = [];
  private readonly counts = Object.fromEntries(SERIAL_FINDING_CODES.map((c) => [c, 0])) as Record<SerialFindingCode, number>;
  // Rows with a readable identity, kept column-wise until `finish` (no object per row: 100,000+
  // retained objects cost more in GC than the checks themselves).
  private readonly rRow: number[] = [];
  private readonly rGtin: string[] = [];
  private readonly rSerial: string[] = [];
  private readonly rLot: (string | null)[] = [];
  private readonly rExpiry: (string | null)[] = [];
  private readonly rExpiryMs: number[] = [];
  private readonly rEvent: number[] = [];
  private readonly rEventCell: string[] = [];
  private readonly rTimeMs: number[] = [];
  private readonly rTimeCell: string[] = [];
  private readonly rLocation: (string | null)[] = [];
  private readonly rFlags: number[] = [];
  /** Next record of the same identity, -1 at the end. */
  private readonly rNext: number[] = [];
  // Identities: GTIN-14 → serial → identity index (no key string per row), then per identity
  // its first/last record, its commissioning record (-1: none) and whether it has events.
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly idFirst: number[] = [];
  private readonly idLast: number[] = [];
  private readonly idCommission: number[] = [];
  private readonly idHasEvents: number[] = [];
  private readonly gtinCache = new Map<string, GtinResult>();
  private readonly expiryCache = new Map<string, Gs1DateResult>();
  private readonly stepCache = new Map<string, BusinessStep | null>();
  private readonly today: Date;
  private prior: ReadonlyMap<string, PriorSerialState> | null = null;
  private rows = 0;
  private badRows = 0;
  private finished = false;
  private rowBad = false;

  /**
   * @param sheetName sheet name written into findings
   * @param headers the sheet's header texts (column order of `SheetRow.values`)
   * @throws SerialSheetError (`missing_columns`) when there is neither a GTIN nor a code column,
   *   or neither a serial nor a code column (a code column — element string, Digital Link,
   *   EPC URI — can carry both).
   */
  constructor(
    private readonly sheetName: string,
    private readonly headers: readonly string[],
    private readonly options: SerialCheckerOptions = {},
  ) {
    this.map = mapSerialColumns(headers);
    this.cols = this.map.columns;
    const missing: SerialField[] = [];
    if (this.cols.gtin === null && this.cols.code === null) missing.push("gtin");
    if (this.cols.serial === null && this.cols.code === null) missing.push("serial");
    if (missing.length > 0) {
      const shown = headers.filter((h) => h.trim() !== "");
      throw new SerialSheetError(
        `Sheet "${sheetName}" has no ${missing.join(" and no ")} column (or a barcode / element string / Digital Link column); ` +
          `headers found: ${shown.length ? shown.map((h) => `"${h}"`).join(", ") : "none"}`,
        [...headers],
        missing,
      );
    }
    this.today = options.today ?? new Date();
  }

  private add(code: SerialFindingCode, row: number, col: number | null, message: string, value: string | null): void {
    this.findings.push({
      sheet: this.sheetName,
      row,
      column: col === null ? null : (this.headers[col] ?? null),
      code,
      severity: "error",
      message,
      value: value === "" ? null : value,
    });
    this.counts[code]++;
    this.rowBad = true;
  }

  private expiryOf(text: string): Gs1DateResult {
    return memo(this.expiryCache, text, parseExpiry, this.today);
  }

  /** Two expiry texts name the same day (unreadable ones are reported on their own, so count as same). */
  private sameExpiry(a: string, b: string): boolean {
    const x = this.expiryOf(a);
    const y = this.expiryOf(b);
    return !x.ok || !y.ok || x.date === y.date;
  }

  /** Checks one data row. Blank rows (every cell empty) are skipped and not counted. */
  addRow(row: SheetRow): void {
    if (this.finished) throw new Error("SerialChecker.addRow after finish()");
    const v = row.values;
    if (isBlank(v)) return;
    this.rows++;
    this.rowBad = false;
    const c = this.cols;
    const r = row.row;

    let gtinText = cellAt(v, c.gtin);
    let serialText = cellAt(v, c.serial);
    let lotText = cellAt(v, c.lot);
    let expiryText = cellAt(v, c.expiry);
    let gtinCol = c.gtin;
    let serialCol = c.serial;
    let lotCol = c.lot;
    let expiryCol = c.expiry;

    let codeUnreadable = false;
    if (c.code !== null) {
      const codeText = cellAt(v, c.code);
      if (codeText !== "") {
        const p = parseGs1Code(codeText, this.today);
        if (!p.ok) {
          codeUnreadable = true;
          this.add("invalid_gtin", r, c.code, `Cannot read the code: ${p.message}`, codeText);
        } else {
          const codeCol = c.code;
          const merge = (colText: string, codeValue: string | null, code: SerialFindingCode, label: string, same: (a: string, b: string) => boolean): string => {
            if (codeValue === null) return colText;
            if (colText === "") return codeValue;
            if (!same(colText, codeValue)) this.add(code, r, codeCol, `${label} column has "${colText}" but the code has "${codeValue}"`, codeText);
            return colText;
          };
          if (gtinText === "" && p.gtin !== null) gtinCol = codeCol;
          if (serialText === "" && p.serial !== null) serialCol = codeCol;
          if (lotText === "" && p.lot !== null) lotCol = codeCol;
          if (expiryText === "" && p.expiry !== null) expiryCol = codeCol;
          gtinText = merge(gtinText, p.gtin, "invalid_gtin", "GTIN", sameGtin);
          serialText = merge(serialText, p.serial, "invalid_serial", "Serial", sameText);
          lotText = merge(lotText, p.lot, "invalid_lot", "Lot", sameText);
          expiryText = merge(expiryText, p.expiry, "invalid_expiry", "Expiry", (a, b) => this.sameExpiry(a, b));
        }
      }
    }

    // GTIN
    let gtin14: string | null = null;
    const g = memo(this.gtinCache, gtinText, validateGtin, undefined);
    if (g.ok) gtin14 = g.gtin14;
    else if (!(codeUnreadable && gtinText === "")) this.add("invalid_gtin", r, gtinCol ?? c.code, g.message, gtinText);

    // Serial AI (21); a missing one is not reported again when the code itself was unreadable
    let serial: string | null = null;
    if (serialText === "") {
      if (!codeUnreadable) this.add("invalid_serial", r, serialCol ?? c.code, "Serial is missing", null);
    }
    else {
      const s = checkCharset82Value(serialText, 20, "Serial");
      if (s.ok) serial = serialText;
      else this.add("invalid_serial", r, serialCol, s.message, serialText);
    }

    // Lot AI (10), optional
    let lot: string | null = null;
    if (lotText !== "") {
      const l = checkCharset82Value(lotText, 20, "Lot");
      if (l.ok) lot = lotText;
      else this.add("invalid_lot", r, lotCol, l.message, lotText);
    }

    // Expiry AI (17), optional
    let expiry: string | null = null;
    let expiryMs = NaN;
    if (expiryText !== "") {
      const e = this.expiryOf(expiryText);
      if (e.ok) {
        expiry = e.date;
        expiryMs = e.ms;
      } else this.add("invalid_expiry", r, expiryCol, e.message, expiryText);
    }

    // Event (business step) and its time
    let event: BusinessStep | null = null;
    let eventOk = true;
    let timeMs = NaN;
    const eventCell = cellAt(v, c.event);
    const timeCell = cellAt(v, c.eventTime);
    if (eventCell !== "") {
      event = memo(this.stepCache, eventCell, normaliseBusinessStep, undefined);
      if (event === null) {
        eventOk = false;
        this.add("illegal_transition", r, c.event, `Unknown business step "${eventCell}"; expected ${STEP_LIST}`, eventCell);
      } else if (c.eventTime !== null) {
        timeMs = parseEventTimeMs(timeCell);
        if (Number.isNaN(timeMs)) {
          eventOk = false;
          const t = parseEventTime(timeCell);
          this.add("illegal_transition", r, c.eventTime, `${t.ok ? "Event time unreadable" : t.message}; the ${event} event cannot be placed in order`, timeCell);
        }
      }
    }

    if (gtin14 !== null && serial !== null && eventOk) {
      const commissions = event === null || event === "commissioned";
      let bySerial = this.ids.get(gtin14);
      if (bySerial === undefined) {
        bySerial = new Map();
        this.ids.set(gtin14, bySerial);
      }
      let id = bySerial.get(serial);
      const rec = this.rRow.length;
      let flags = commissions ? F_COMMISSIONS : 0;
      if (commissions) {
        const earlier = id === undefined ? -1 : this.idCommission[id];
        if (earlier >= 0) {
          flags |= F_DUPLICATE;
          this.add("duplicate_serial", r, serialCol, `GTIN ${gtin14} serial "${serial}" is already commissioned in row ${this.rRow[earlier]}`, serial);
        }
      }
      if (id === undefined) {
        id = this.idFirst.length;
        bySerial.set(serial, id);
        this.idFirst.push(rec);
        this.idLast.push(rec);
        this.idCommission.push(-1);
        this.idHasEvents.push(0);
      } else {
        this.rNext[this.idLast[id]] = rec;
        this.idLast[id] = rec;
      }
      if (commissions && (flags & F_DUPLICATE) === 0 && this.idCommission[id] < 0) this.idCommission[id] = rec;
      if (event !== null) this.idHasEvents[id] = 1;
      if (this.rowBad) flags |= F_BAD;
      this.rRow.push(r);
      this.rGtin.push(gtin14);
      this.rSerial.push(serial);
      this.rLot.push(lot);
      this.rExpiry.push(expiry);
      this.rExpiryMs.push(expiryMs);
      this.rEvent.push(event === null ? NO_EVENT : STEP_CODE[event]);
      this.rEventCell.push(eventCell);
      this.rTimeMs.push(timeMs);
      this.rTimeCell.push(timeCell);
      this.rLocation.push(c.location === null ? null : cellAt(v, c.location) || null);
      this.rFlags.push(flags);
      this.rNext.push(-1);
    }
    if (this.rowBad) this.badRows++;
  }

  private flag(rec: number, code: SerialFindingCode, col: number | null, message: string, value: string): void {
    this.add(code, this.rRow[rec], col, message, value);
    if ((this.rFlags[rec] & F_BAD) === 0) {
      this.rFlags[rec] |= F_BAD;
      this.badRows++;
    }
  }

  /** `" on <ISO time> (row N)"` for a record, in messages. */
  private when(rec: number): string {
    const t = this.rTimeMs[rec];
    return `${Number.isNaN(t) ? "" : ` on ${humanTime(t)}`} (row ${this.rRow[rec]})`;
  }

  /** Order and expiry checks for one identity's events (see the file comment). */
  private checkHistory(id: number): void {
    const only = this.idFirst[id];
    // Fast path: a lone commissioning event cannot break an order rule (unless earlier uploads exist).
    if (this.prior === null && this.rNext[only] < 0 && this.rEvent[only] === COMMISSIONED) return;
    const evs: number[] = [];
    for (let x = this.idFirst[id]; x >= 0; x = this.rNext[x]) {
      if (this.rEvent[x] !== NO_EVENT && (this.rFlags[x] & F_DUPLICATE) === 0) evs.push(x);
    }
    if (evs.length === 0) return;
    const timeMs = this.rTimeMs;
    const rowNo = this.rRow;
    if (evs.length > 1) evs.sort((a, b) => timeMs[a] - timeMs[b] || rowNo[a] - rowNo[b]);

    const first = this.idFirst[id];
    const gtin14 = this.rGtin[first];
    const serial = this.rSerial[first];
    const prior = this.prior?.get(serialKey(gtin14, serial));
    const priorMs = prior?.time ? Date.parse(prior.time) : NaN;
    const priorWhen = prior ? `${prior.time ? ` on ${prior.time.slice(0, 10)}` : ""} (earlier upload)` : "";

    // The identity's expiry: from its commissioning row, else any of its rows, else the registry.
    const commission = this.idCommission[id];
    let idExpiryMs = commission >= 0 ? this.rExpiryMs[commission] : NaN;
    for (let x = first; Number.isNaN(idExpiryMs) && x >= 0; x = this.rNext[x]) idExpiryMs = this.rExpiryMs[x];
    if (Number.isNaN(idExpiryMs) && prior?.expiry) {
      const e = parseExpiry(prior.expiry, this.today);
      if (e.ok) idExpiryMs = e.ms;
    }

    let commissionAt = -1;
    for (let i = 0; i < evs.length; i++) {
      if (this.rEvent[evs[i]] === COMMISSIONED) {
        commissionAt = i;
        break;
      }
    }
    let shipped = false;
    let dispensed = -1;
    let decommissioned = -1;
    for (let i = 0; i < evs.length; i++) {
      const x = evs[i];
      const code = this.rEvent[x];
      const t = timeMs[x];
      const priorApplies = prior !== undefined && !(t < priorMs);
      let msg: string | null = null;
      if (code !== COMMISSIONED) {
        const step = STEP_BY_CODE[code] as BusinessStep;
        const label = `${step[0].toUpperCase()}${step.slice(1)} event${Number.isNaN(t) ? "" : ` on ${humanTime(t)}`}`;
        if (commissionAt > i) msg = `${label} is before the commissioning${this.when(evs[commissionAt])}`;
        else if (decommissioned >= 0) msg = `${label} is after the decommissioning${this.when(decommissioned)}`;
        else if (priorApplies && prior.event === "decommissioned") msg = `${label} is after the decommissioning${priorWhen}`;
        else if (code !== DECOMMISSIONED && dispensed >= 0) msg = `${label} is after the dispensing${this.when(dispensed)}`;
        else if (code !== DECOMMISSIONED && priorApplies && prior.event === "dispensed") msg = `${label} is after the dispensing${priorWhen}`;
        else if (code === DISPENSED && !shipped && !(priorApplies && PRIOR_OK_FOR_DISPENSING.has(prior.event))) {
          msg = `${label} has no earlier shipping of this pack`;
        }
      }
      if (code === SHIPPED) shipped = true;
      else if (code === DISPENSED && dispensed < 0) dispensed = x;
      else if (code === DECOMMISSIONED && decommissioned < 0) decommissioned = x;
      if (msg) this.flag(x, "illegal_transition", this.cols.event, `GTIN ${gtin14} serial "${serial}": ${msg}`, this.rEventCell[x]);

      if ((code === SHIPPED || code === DISPENSED) && !Number.isNaN(t)) {
        const own = this.rExpiryMs[x];
        const exp = Number.isNaN(own) ? idExpiryMs : own;
        if (!Number.isNaN(exp) && t >= exp + DAY_MS) {
          this.flag(
            x,
            "expired_shipped",
            this.cols.eventTime,
            `GTIN ${gtin14} serial "${serial}" was ${STEP_BY_CODE[code]} on ${isoDay(t)}, after its expiry ${isoDay(exp)}`,
            this.rTimeCell[x],
          );
        }
      }
    }
  }

  /**
   * The `serialKey`s of every identity (readable GTIN and serial) seen so far, once each: what
   * to look up in the serial registry before `finish({ knownSerials, priorHistory })`.
   */
  serialKeys(): string[] {
    const keys: string[] = [];
    for (const [gtin14, bySerial] of this.ids) for (const serial of bySerial.keys()) keys.push(serialKey(gtin14, serial));
    return keys;
  }

  /** Flags the in-sheet commissioning of identities that earlier uploads already commissioned. */
  private checkKnown(known: KnownSerials): void {
    const has = typeof known === "function" ? known : (g: string, s: string) => known.has(serialKey(g, s));
    const col = this.cols.serial ?? this.cols.code;
    for (const [gtin14, bySerial] of this.ids) {
      for (const [serial, id] of bySerial) {
        const rec = this.idCommission[id];
        if (rec < 0 || !has(gtin14, serial)) continue;
        this.rFlags[rec] |= F_DUPLICATE;
        this.idCommission[id] = -1;
        this.flag(rec, "duplicate_serial", col, `GTIN ${gtin14} serial "${serial}" was already commissioned by an earlier upload`, serial);
      }
    }
  }

  /**
   * Runs the cross-row checks and returns findings (sorted by row), the summary (`rows` =
   * non-blank data rows, `valid` = rows without any finding, counts per code), the commissioned
   * identities and the events of valid rows (row order), and the column map. `earlier` (known
   * serials, prior history) overrides what the constructor was given.
   */
  finish(earlier: EarlierUploads = {}): SerialCheckResult {
    if (this.finished) throw new Error("SerialChecker.finish called twice");
    this.finished = true;
    const known = earlier.knownSerials ?? this.options.knownSerials;
    if (known && (typeof known === "function" || known.size > 0)) this.checkKnown(known);
    const prior = earlier.priorHistory ?? this.options.priorHistory;
    this.prior = prior && prior.size > 0 ? prior : null;
    for (let id = 0; id < this.idHasEvents.length; id++) if (this.idHasEvents[id] === 1) this.checkHistory(id);

    const identities: CommissionedIdentity[] = [];
    const events: SerialEvent[] = [];
    const n = this.rRow.length;
    for (let x = 0; x < n; x++) {
      const flags = this.rFlags[x];
      if ((flags & F_BAD) !== 0) continue;
      if ((flags & F_COMMISSIONS) !== 0 && (flags & F_DUPLICATE) === 0) {
        identities.push({ gtin14: this.rGtin[x], serial: this.rSerial[x], lot: this.rLot[x], expiry: this.rExpiry[x], row: this.rRow[x] });
      }
      const code = this.rEvent[x];
      if (code !== NO_EVENT) {
        const t = this.rTimeMs[x];
        events.push({
          gtin14: this.rGtin[x],
          serial: this.rSerial[x],
          event: STEP_BY_CODE[code] as BusinessStep,
          eventTime: Number.isNaN(t) ? null : isoTime(t),
          location: this.rLocation[x],
          row: this.rRow[x],
        });
      }
    }
    const findings = this.findings;
    for (let i = 1; i < findings.length; i++) {
      if (findings[i].row < findings[i - 1].row) {
        findings.sort((a, b) => a.row - b.row);
        break;
      }
    }
    return {
      findings,
      summary: { rows: this.rows, valid: this.rows - this.badRows, findings: { ...this.counts } },
      identities,
      events,
      columns: this.map,
    };
  }
}
