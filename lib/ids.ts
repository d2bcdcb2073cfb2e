/** A UUID in its canonical text form (8-4-4-4-12 hex digits, any case; RFC 9562 §4). */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `s` is a UUID in canonical text form. Services check ids from URLs with it before
 * querying a `uuid` column, so a malformed id is a 404 and never reaches the database (where
 * PostgreSQL would reject the cast).
 */
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}
