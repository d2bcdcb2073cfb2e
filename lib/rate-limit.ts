import "server-only";
import crypto from "node:crypto";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getDb, sqlExecutor, type SqlExecutor } from "@/db/client";
import type { RateClass } from "@/lib/auth/scopes";
import { env } from "@/lib/env";

/*
 * Rate limits shared by every app instance: counters live in PostgreSQL (the `rate_limits`
 * table, rate-limiter-flexible's RateLimiterPostgres layout, created by migration 0005), so N
 * instances behind a load balancer enforce one limit, not N. Fixed windows: the first request
 * for a key opens a window of `windowMs`; up to `limit` requests pass in it.
 */

export interface RateLimitOptions {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in ms (whole seconds; at least 1,000). */
  windowMs: number;
}

export interface RateLimitResult {
  ok: boolean;
  /** The window's limit (for `RateLimit-Limit`). */
  limit: number;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** Seconds until the next request would be allowed (0 when ok). */
  retryAfterS: number;
  /** Seconds until the current window ends (for `RateLimit-Reset`). */
  resetS: number;
}

/** A limiter over one store; {@link consume} uses the process-wide one on the app database. */
export interface RateLimiter {
  /**
   * Count one request for `key` (e.g. `submit:<ip>`) and say whether it is allowed.
   * @throws Error when the database cannot be reached (callers fail the request, not open).
   */
  consume(key: string, opts: RateLimitOptions): Promise<RateLimitResult>;
}

/** Keys longer than this are hashed (the table's key column is varchar(255)). */
const MAX_KEY = 160;

/**
 * The `{query({text, values, name})}` client RateLimiterPostgres drives (its "pool" store type):
 * statements run through the app's SQL executor, on PGlite or postgres.js alike. Results are
 * pg-shaped: `{rows, rowCount}`, with the bigint `expire` as a number.
 */
function storeClient(executor: () => Promise<SqlExecutor>) {
  return {
    async query(q: string | { text: string; values?: unknown[] }, values?: unknown[]) {
      const text = typeof q === "string" ? q : q.text;
      const params = (typeof q === "string" ? values : q.values) ?? [];
      const { rows } = await (await executor()).executeSql(text, params);
      for (const r of rows) if (r.expire !== null && r.expire !== undefined) r.expire = Number(r.expire);
      return { rows, rowCount: rows.length };
    },
  };
}

/**
 * A limiter whose counters live in the `rate_limits` table reached through `executor`.
 * Two limiters on the same database (two processes, or two instances in a test) share counts.
 */
export function createRateLimiter(executor: () => Promise<SqlExecutor>): RateLimiter {
  const client = storeClient(executor);
  const limiters = new Map<string, RateLimiterPostgres>();
  const limiterFor = (opts: RateLimitOptions) => {
    const id = `${opts.limit}/${opts.windowMs}`;
    let l = limiters.get(id);
    if (!l) {
      l = new RateLimiterPostgres({
        storeClient: client,
        storeType: "pool",
        tableName: "rate_limits",
        tableCreated: true,
        keyPrefix: `sb:${id}`,
        points: opts.limit,
        duration: Math.max(1, Math.round(opts.windowMs / 1000)),
      });
      limiters.set(id, l);
    }
    return l;
  };
  return {
    async consume(key, opts) {
      const k = key.length > MAX_KEY ? `h:${crypto.createHash("sha256").update(key).digest("hex")}` : key;
      let res: RateLimiterRes;
      let ok = true;
      try {
        res = await limiterFor(opts).consume(k, 1);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        res = err;
        ok = false;
      }
      const resetS = Math.max(0, Math.ceil(res.msBeforeNext / 1000));
      return { ok, limit: opts.limit, remaining: Math.max(0, res.remainingPoints), retryAfterS: ok ? 0 : Math.max(1, resetS), resetS };
    },
  };
}

const globalForLimits = globalThis as unknown as { __switchboardRateLimiter?: RateLimiter };

/**
 * Count one request for `key` against the shared limit `opts` (counters in the app database).
 * @returns `{ok, limit, remaining, retryAfterS, resetS}`.
 * @throws Error when the database cannot be reached.
 */
export function consume(key: string, opts: RateLimitOptions): Promise<RateLimitResult> {
  globalForLimits.__switchboardRateLimiter ??= createRateLimiter(async () => sqlExecutor(await getDb(), { prepare: true }));
  return globalForLimits.__switchboardRateLimiter.consume(key, opts);
}

/**
 * The per-minute limit of a route class (env `RATE_LIMIT_READ_PER_MIN`, `_WRITE_`, `_CLASSIFY_`,
 * `_AUTH_`): every API route counts each caller (API key, user, else client IP) against its
 * class's limit in a 60 s window, shared by all instances.
 */
export function rateClassLimit(rateClass: RateClass): RateLimitOptions {
  const e = env();
  const perMin = { read: e.RATE_LIMIT_READ_PER_MIN, write: e.RATE_LIMIT_WRITE_PER_MIN, classify: e.RATE_LIMIT_CLASSIFY_PER_MIN, auth: e.RATE_LIMIT_AUTH_PER_MIN }[rateClass];
  return { limit: perMin, windowMs: 60_000 };
}

/**
 * Response headers for a limited request: `RateLimit-Limit`, `RateLimit-Remaining`,
 * `RateLimit-Reset` (seconds, IETF draft), plus `Retry-After` (seconds) when refused.
 */
export function rateLimitHeaders(r: RateLimitResult): Record<string, string> {
  const h: Record<string, string> = {
    "RateLimit-Limit": String(r.limit),
    "RateLimit-Remaining": String(r.remaining),
    "RateLimit-Reset": String(r.resetS),
  };
  if (!r.ok) h["Retry-After"] = String(r.retryAfterS);
  return h;
}
