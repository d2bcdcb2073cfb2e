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
  | "not_found"
  | "conflict"
  | "invalid_transition"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "rate_limited"
  | "internal_error";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal_error: 500,
};

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = STATUS[code];
    this.details = details ?? null;
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

/**
 * Map a database error to an ApiError when it is the caller's fault (a constraint the DB
 * enforces), or return null for genuine server errors. Drizzle wraps driver errors, so the
 * cause chain is searched.
 */
export function fromDatabaseError(err: unknown): ApiError | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const pg = e as PgLikeError;
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
        case "22001":
          return new ApiError("validation_error", "A value is too long", { detail: pg.detail });
        case "22P02":
        case "22007":
        case "22008":
          return new ApiError("validation_error", "A value has the wrong format", { detail: pg.detail });
        case "40001":
        case "40P01":
          return new ApiError("conflict", "The record was changed concurrently; retry the request");
        default:
          return null;
      }
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
