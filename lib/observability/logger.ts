import pino from "pino";

/**
 * Process-wide structured logger (pino, JSON lines on stdout). Level from LOG_LEVEL
 * (default info; tests default to warn). Never log ticket bodies or secrets.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? "warn" : "info"),
  base: { service: "switchboard" },
  redact: { paths: ["req.headers.authorization", "req.headers.cookie", "password", "*.password"], remove: true },
});
