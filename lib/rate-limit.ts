/**
 * A small in-memory sliding-window rate limiter (per process). Good enough for one app
 * instance guarding anonymous form submissions; several instances would each count on their
 * own, so put a shared limiter (or the reverse proxy's) in front when scaling out.
 */

export interface RateLimitOptions {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in ms. */
  windowMs: number;
}

export interface RateLimitResult {
  ok: boolean;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** Seconds until the next request would be allowed (0 when ok). */
  retryAfterS: number;
}

/** Keys kept at most; beyond this the oldest windows are dropped (bounded memory under attack). */
const MAX_KEYS = 10_000;

const globalForLimits = globalThis as unknown as { __switchboardRateLimits?: Map<string, number[]> };
const hits: Map<string, number[]> = (globalForLimits.__switchboardRateLimits ??= new Map());

/**
 * Count one request for `key` (e.g. `submit:<ip>`) and say whether it is allowed.
 * Rejected requests are not counted, so a client that waits gets through again.
 */
export function rateLimit(key: string, opts: RateLimitOptions, now = Date.now()): RateLimitResult {
  const since = now - opts.windowMs;
  const recent = (hits.get(key) ?? []).filter((t) => t > since);
  if (recent.length >= opts.limit) {
    hits.set(key, recent);
    return { ok: false, remaining: 0, retryAfterS: Math.max(1, Math.ceil((recent[0] + opts.windowMs - now) / 1000)) };
  }
  recent.push(now);
  hits.delete(key); // re-insert so Map order is least-recently-used first
  hits.set(key, recent);
  if (hits.size > MAX_KEYS) {
    const drop = hits.size - MAX_KEYS;
    let i = 0;
    for (const k of hits.keys()) {
      if (i++ >= drop) break;
      hits.delete(k);
    }
  }
  return { ok: true, remaining: opts.limit - recent.length, retryAfterS: 0 };
}

/** Forget all counters (tests). */
export function resetRateLimits(): void {
  hits.clear();
}

/** Whether `key` is over its limit right now, without counting a request (pair with {@link rateLimit} to count only failures). */
export function isRateLimited(key: string, opts: RateLimitOptions, now = Date.now()): boolean {
  const since = now - opts.windowMs;
  return (hits.get(key) ?? []).filter((t) => t > since).length >= opts.limit;
}
