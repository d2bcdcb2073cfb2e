/**
 * Typed API errors. Domain code throws these; the route wrapper turns them into
 * `{error: {code, message, details}}` with the matching HTTP status.
 */
export type ErrorCode =
  | "bad_request"
  | "invalid_json"
  | "validation_error"
  | "unauthorized"
  | "forbidden"
  | "insufficient_scope"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "invalid_transition"
  | "gone"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "rate_limited"
  | "unavailable"
  | "internal_error";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_transition: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal_error: 500,
};

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Extra response headers (e.g. `Retry-After` on 429). */
  readonly headers: Record<string, string> | undefined;
  constructor(code: ErrorCode, message: string, details?: unknown, headers?: Record<string, string>) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = STATUS[code];
    this.details = details ?? null;
    this.headers = headers;
  }
}

/** The JSON body every error response carries. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown };
}

export const notFound = (what: string, details?: unknown) => new ApiError("not_found", `${what} not found`, details);
export const forbidden = (message = "You do not have access to this resource") => new ApiError("forbidden", message);
export const unauthorized = (message = "Sign in or send an API key (Authorization: Bearer <key>)") =>
  new ApiError("unauthorized", message);

/** PostgreSQL error as raised by postgres.js or PGlite (both expose SQLSTATE as `code`). */
interface PgLikeError {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  detail?: string;
  column?: string;
  column_name?: string;
  cause?: unknown;
}

/** Messages for common SQLSTATE class 22 (data exception) codes; others get a generic one. */
const DATA_EXCEPTION_MESSAGES: Record<string, string> = {
  "22001": "A value is too long",
  "22003": "A number is out of range",
  "22007": "A date or time has the wrong format",
  "22008": "A date or time is out of range",
  "22021": "Text contains a character the database cannot store (such as NUL, U+0000)",
  "22P02": "A value has the wrong format",
  "22P05": "Text contains a character the database cannot store (such as NUL, U+0000)",
  "2200N": "Invalid XML",
  "22023": "A parameter value is not valid",
  "22032": "Invalid JSON text",
};

/**
 * Connection-level failures: Node socket errors, postgres.js's own codes, and SQLSTATE classes
 * 08 (connection exception) and 57P (operator intervention: shutdown, cannot connect now).
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
  "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED",
  "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03",
]);

/**
 * Map a database error to an ApiError when it is the caller's fault (a constraint the DB
 * enforces: 23xxx → 409/422; a data exception, SQLSTATE class 22 → 400 validation_error), the
 * database unreachable → 503 unavailable with Retry-After, or
 * return null for genuine server errors. Both drivers expose the SQLSTATE as `code`
 * (postgres.js `PostgresError`, PGlite `DatabaseError`); drizzle wraps them in
 * `DrizzleQueryError` with the driver error as `cause`, so the cause chain is searched.
 * Details never carry the offending value.
 */
export function fromDatabaseError(err: unknown): ApiError | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const pg = e as PgLikeError;
    if (typeof pg.code === "string" && UNAVAILABLE_CODES.has(pg.code)) {
      // The database cannot be reached (stopped, restarting, network): fail fast with 503 and
      // let the client retry; nothing was written (the transaction never committed).
      return new ApiError("unavailable", "The database is unavailable; retry in a few seconds", { retryAfterS: 5 }, { "Retry-After": "5" });
    }
    if (typeof pg.code === "string" && /^[0-9A-Z]{5}$/.test(pg.code)) {
      const constraint = pg.constraint ?? pg.constraint_name;
      switch (pg.code) {
        case "23505":
          return new ApiError("conflict", "A record with the same unique value already exists", { constraint });
        case "23503":
          return new ApiError("unprocessable", "A referenced record does not exist", { constraint, detail: pg.detail });
        case "23514":
        case "23502":
          return new ApiError("unprocessable", "The record violates a data rule", {
            constraint,
            column: pg.column ?? pg.column_name,
          });
        case "40001":
        case "40P01":
          return new ApiError("conflict", "The record was changed concurrently; retry the request");
        default:
          // Class 22 "data exception": the value the caller sent cannot be stored or compared
          // (too long, NUL, bad date, out of range, bad JSON). Details name the rule, never the value.
          if (pg.code.startsWith("22")) {
            return new ApiError("validation_error", DATA_EXCEPTION_MESSAGES[pg.code] ?? "A value is not valid for the database", {
              sqlstate: pg.code,
              ...(pg.column ?? pg.column_name ? { column: pg.column ?? pg.column_name } : {}),
            });
          }
          return null;
      }
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
