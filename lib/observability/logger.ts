import pino from "pino";
import { env } from "@/lib/env";
import { currentRequestId } from "./request-context";

/**
 * A logged error, reduced to what is safe to keep: the type, a scrubbed message, stack frames
 * (never the message lines), the SQLSTATE and other non-value fields of database errors, and
 * the same for its causes.
 */
export interface SafeError {
  type: string;
  message: string;
  stack?: string;
  [field: string]: unknown;
}

/**
 * Database and system error fields that name things but never carry values. Everything else
 * on an error (postgres.js `query`/`parameters`, PGlite `query`/`params`, `detail`, `where`,
 * `hint`, `internalQuery`, …) can hold ticket text or e-mails and is dropped.
 */
const SAFE_FIELDS = ["code", "severity", "routine", "constraint", "constraint_name", "table", "table_name", "column", "column_name", "schema", "schema_name", "dataType", "errno", "syscall", "status", "statusCode"] as const;

const MAX_MESSAGE = 500;
const MAX_CAUSES = 3;
const EMAIL = /[^\s@"'<>()[\]{},;:]+@[^\s@"'<>()[\]{},;:]+\.[^\s@"'<>()[\]{},;:]+/g;
/** PostgreSQL quotes the offending input after a colon: `invalid input syntax for type uuid: "…"`. */
const QUOTED_VALUE = /: "(?:[^"\\]|\\.)*"/g;

/**
 * Scrub an error message for the log: drop drizzle's `params: …` (and anything after it),
 * shorten the failed SQL text, redact e-mail addresses and quoted input values, cap the length.
 */
export function scrubMessage(message: string): string {
  let m = message;
  const params = m.search(/\n?\s*params:/);
  if (params >= 0) m = m.slice(0, params);
  if (m.startsWith("Failed query:")) m = `Failed query: ${m.slice(13).trim().replace(/\s+/g, " ").slice(0, 200)}`;
  m = m.replace(EMAIL, "[email]").replace(QUOTED_VALUE, ': "[value]"');
  return m.length > MAX_MESSAGE ? `${m.slice(0, MAX_MESSAGE)}…` : m;
}

function stackFrames(stack: unknown): string | undefined {
  if (typeof stack !== "string") return undefined;
  const frames = stack.split("\n").filter((l) => /^\s+at /.test(l));
  return frames.length ? frames.slice(0, 20).join("\n") : undefined;
}

/**
 * Reduce any thrown value to a {@link SafeError} (the `err` serializer of {@link logger}).
 * Non-errors become `{type: typeof value, message: "[non-error value]"}` so no payload leaks.
 */
export function safeError(err: unknown, depth = 0): SafeError {
  if (!err || typeof err !== "object") {
    return { type: typeof err, message: typeof err === "string" ? scrubMessage(err) : "[non-error value]" };
  }
  const e = err as Record<string, unknown> & { message?: unknown; stack?: unknown; name?: unknown; cause?: unknown };
  const out: SafeError = {
    type: (e.constructor && e.constructor !== Object && e.constructor.name) || (typeof e.name === "string" ? e.name : "Object"),
    message: typeof e.message === "string" ? scrubMessage(e.message) : "[no message]",
  };
  const stack = stackFrames(e.stack);
  if (stack) out.stack = stack;
  for (const f of SAFE_FIELDS) {
    const v = e[f];
    if (typeof v === "string" || typeof v === "number") out[f] = typeof v === "string" ? v.slice(0, 100) : v;
  }
  if (e.cause !== undefined && depth < MAX_CAUSES) out.cause = safeError(e.cause, depth + 1);
  return out;
}

function level(): pino.LevelWithSilent {
  try {
    return process.env.VITEST && !process.env.LOG_LEVEL ? "warn" : env().LOG_LEVEL;
  } catch {
    return "info"; // an invalid environment is reported by whoever reads it; logging must still work
  }
}

/**
 * Process-wide structured logger (pino, JSON lines on stdout). Level from LOG_LEVEL (default
 * info; tests default to warn). Errors logged under `err` or `error` go through
 * {@link safeError}: SQL text is shortened, SQL parameters, driver detail fields, e-mail
 * addresses and quoted values are never written. Never log ticket bodies or secrets yourself.
 * Lines written inside a request or job carry `requestId`.
 */
export const logger = pino({
  level: level(),
  base: { service: "switchboard" },
  // Every line written inside a request or job carries its request id (X-Request-Id).
  mixin: () => {
    const requestId = currentRequestId();
    return requestId ? { requestId } : {};
  },
  serializers: { err: (e: unknown) => safeError(e), error: (e: unknown) => safeError(e) },
  redact: { paths: ["req.headers.authorization", "req.headers.cookie", "password", "*.password"], remove: true },
});
