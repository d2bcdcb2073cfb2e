/**
 * Pharma serial-tracking rules (GS1 General Specifications, GS1 Digital Link, EPCIS 2.0 / CBV
 * 2.0): validators and parsers that return result objects, the column mapper, the streaming
 * {@link SerialChecker} for serial sheets, and {@link findSerialMentions} for ticket text.
 * Pure TypeScript: no database, no I/O.
 */
export { gs1CheckDigit, expectedCheckDigit, hasValidCheckDigit, isAllDigits } from "./check-digit";
export { CHARSET_82, isCharset82Code, firstNonCharset82, checkCharset82Value, describeChar, type Charset82Result } from "./charset82";
export { validateGtin, isValidGtin, type GtinResult } from "./gtin";
export { parseExpiry, parseGs1Date, parseIsoDate, resolveGs1Year, daysInMonth, isLeapYear, DAY_MS, type Gs1DateResult } from "./expiry";
export { getAi, matchAiAt, predefinedLength, checkAiValue, type AiSpec } from "./ai";
export {
  parseElementString,
  parseBracketedElementString,
  parseUnbracketedElementString,
  GS1_SYMBOLOGY_IDS,
  type AiElement,
  type Gs1Data,
  type Gs1CodeKind,
  type Gs1ParseResult,
} from "./element-string";
export { parseDigitalLink, parseSgtinUri, looksLikeDigitalLink } from "./digital-link";
export { parseGs1Code } from "./code";
export {
  BUSINESS_STEPS,
  normaliseBusinessStep,
  parseEventTime,
  parseEventTimeMs,
  type BusinessStep,
  type EventTimeResult,
} from "./epcis";
export { mapSerialColumns, classifySerialHeader, SERIAL_FIELDS, type SerialField, type SerialColumnMap, type HeaderMatch } from "./columns";
export {
  SerialChecker,
  SerialSheetError,
  serialKey,
  type SerialCheckerOptions,
  type KnownSerials,
  type EarlierUploads,
  type PriorSerialState,
  type CommissionedIdentity,
  type SerialEvent,
  type SerialCheckResult,
} from "./serial-checker";
export { findSerialMentions, type SerialMentions } from "./mentions";
